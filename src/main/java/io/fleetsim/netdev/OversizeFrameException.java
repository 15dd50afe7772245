package io.fleetsim.netdev;

import org.apache.pekko.stream.scaladsl.Framing;

/** A stream peer announced a frame longer than the limit (QEMU: 69632): its connection is closed. */
public final class OversizeFrameException extends Framing.FramingException {
  private final long length;
  private final int maxFrame;

  public OversizeFrameException(long length, int maxFrame) {
    super("oversized packet received: length " + length + " exceeds the limit of " + maxFrame
        + " bytes");
    this.length = length;
    this.maxFrame = maxFrame;
  }

  /** The length the peer announced (the 4-byte prefix read as unsigned). */
  public long length() {
    return length;
  }

  public int maxFrame() {
    return maxFrame;
  }
}
