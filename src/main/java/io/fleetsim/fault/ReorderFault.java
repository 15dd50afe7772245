package io.fleetsim.fault;

import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code reorder}: with {@code probability} a frame is held back by {@code gap}, so the frames
 * sent within {@code gap} after it overtake it. The others pass at once.
 */
public record ReorderFault(double probability, Duration gap) implements Fault.LinkFault {

  public static final FaultKind KIND = new FaultKind("reorder",
      "a frame is held back by gap, so the frames sent within gap after it overtake it",
      List.of(FaultKey.required("probability", FaultKey.Type.PROBABILITY,
              "a frame is held back with it"),
          FaultKey.optional("gap", FaultKey.Type.DURATION, "10ms", "how long it is held back")),
      FaultKind.ANY_TARGET, true, ReorderFault::read);

  public ReorderFault {
    Checks.probability("probability", probability);
    Checks.positive("gap", gap);
  }

  private static Optional<Fault> read(FaultParams p) {
    Optional<Double> probability = p.getDouble("probability");
    Optional<Duration> gap = p.getDuration("gap");
    return Checks.all(probability, gap) ? Optional.of(new ReorderFault(probability.get(), gap.get()))
        : Optional.empty();
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public String describe() {
    return "reorder " + Checks.percent(probability) + " by " + DurationText.human(gap);
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    SplittableRandom random = ctx.random();
    long gapNanos = gap.toNanos();
    return (frame, at, out) -> out.frame(frame,
        random.nextDouble() < probability ? at + gapNanos : at);
  }
}
