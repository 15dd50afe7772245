package io.fleetsim.fault;

import org.apache.pekko.util.ByteString;

/**
 * The per-frame logic of one link fault, deliberately not a stream stage: decisions are
 * synchronous and deterministic (given the seed and the frames), and a chain of stages can change
 * without re-materialising the link. Times are virtual arrival times in nanoseconds; a stage
 * delays a frame by emitting it with a later time. One instance serves one direction of one link
 * and is called from one thread at a time.
 */
public interface FaultStage {

  /**
   * Decides what becomes of {@code frame}, which arrived at {@code atNanos}: pass it on (possibly
   * later, changed or more than once) through {@code out.frame}, or {@code out.drop} it.
   */
  void onFrame(ByteString frame, long atNanos, Emit out);

  /** Where a stage's decisions go: the next stage of the chain, or the chain's release queue. */
  interface Emit {
    /** Passes {@code frame} on as arriving at {@code atNanos} (not before the input's time). */
    void frame(ByteString frame, long atNanos);

    /** Counts the input frame as dropped for {@code cause}, e.g. {@code fault-loss}. */
    void drop(String cause);
  }
}
