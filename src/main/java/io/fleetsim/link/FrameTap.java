package io.fleetsim.link;

import org.apache.pekko.util.ByteString;

/** Sees every frame a port passes, in both directions (QEMU's netfilter position). */
public interface FrameTap {
  enum Direction { FROM_WIRE, TO_WIRE }

  /** Called on a stream thread for each frame; must not block for long. */
  void frame(Direction direction, ByteString frame);
}
