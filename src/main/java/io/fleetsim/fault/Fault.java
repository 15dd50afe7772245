package io.fleetsim.fault;

import java.util.Optional;

/**
 * One fault an experiment injects, its parameters already validated. It says what it does when it
 * goes on ({@link #apply}): frame faults ({@link LinkFault}) put their decisions on the target's
 * links, the others act on VMs or connections through the run's {@link FaultSite}.
 */
public interface Fault {

  /** Its kind's name ({@code latency}); for an effect that is no kind, the name chains show. */
  String kind();

  /** What it does, for progress lines and reports: {@code latency 50ms +- 10ms normal}. */
  default String describe() {
    return kind();
  }

  /** Goes on at {@code site}; whatever it does there is undone by the site when it goes off. */
  void apply(FaultSite site);

  /** Whether it is over as soon as it is applied (a restart), so it never goes off. */
  default boolean instant() {
    return false;
  }

  /**
   * Whether it acts on frames: one that starts at 0 is put in place before the VMs boot, so that
   * it sees their first frame.
   */
  default boolean onFrames() {
    return false;
  }

  /** What it does to the power state of its target VMs, if anything (their order is checked). */
  default Optional<VmPower> power() {
    return Optional.empty();
  }

  /** A fault on the frames of one direction of a link. */
  interface LinkFault extends Fault {

    /** Fresh decision logic for one direction of one link materialisation. */
    FaultStage stage(FaultContext ctx);

    @Override
    default void apply(FaultSite site) {
      site.onTargetLinks(this);
    }

    @Override
    default boolean onFrames() {
      return true;
    }
  }
}
