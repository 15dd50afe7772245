package io.fleetsim.fault;

import java.util.SplittableRandom;

/**
 * What a stage gets when it is made. All its randomness comes from {@code random}, seeded by the
 * chain entry, so the same seed and the same frames give the same decisions.
 */
public record FaultContext(SplittableRandom random) {

  public static FaultContext seeded(long seed) {
    return new FaultContext(new SplittableRandom(seed));
  }
}
