package io.fleetsim.fault;

import java.util.SplittableRandom;

/** {@code duplicate}: each frame is passed on twice, at the same time, with {@code probability}. */
public record DuplicateFault(double probability) implements Fault.LinkFault {

  public DuplicateFault {
    Checks.probability("probability", probability);
  }

  @Override
  public String kind() {
    return "duplicate";
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
