package io.fleetsim.fault;

import java.util.List;
import java.util.SplittableRandom;

/** {@code duplicate}: each frame is passed on twice, at the same time, with {@code probability}. */
public record DuplicateFault(double probability) implements Fault.LinkFault {

  public static final FaultKind KIND = new FaultKind("duplicate",
      "a frame is passed on twice, at the same time",
      List.of(FaultKey.required("probability", FaultKey.Type.PROBABILITY,
          "a frame is duplicated with it")),
      FaultKind.ANY_TARGET, true, p -> p.getDouble("probability").map(DuplicateFault::new));

  public DuplicateFault {
    Checks.probability("probability", probability);
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public String describe() {
    return "duplicate " + Checks.percent(probability);
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    SplittableRandom random = ctx.random();
    return (frame, at, out) -> {
      out.frame(frame, at);
      if (random.nextDouble() < probability) {
        out.frame(frame, at);
      }
    };
  }
}
