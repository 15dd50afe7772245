package io.fleetsim.fault;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * {@code reorder}: with {@code probability} a frame is held back by {@code gap}, so the frames
 * sent within {@code gap} after it overtake it. The others pass at once.
 */
public record ReorderFault(double probability, Duration gap) implements Fault.LinkFault {

  public ReorderFault {
    Checks.probability("probability", probability);
    Checks.positive("gap", gap);
  }

  @Override
  public String kind() {
    return "reorder";
  }

  @Override
  public String describe() {
    return "reorder " + Checks.percent(probability) + " by " + Checks.human(gap);
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    SplittableRandom random = ctx.random();
    long gapNanos = gap.toNanos();
    return (frame, at, out) -> out.frame(frame,
        random.nextDouble() < probability ? at + gapNanos : at);
  }
}
