package io.fleetsim.netdev;

import java.time.Duration;

/**
 * How long a multicast netdev remembers the frames it sent, to recognise their looped-back
 * copies (see {@link EchoFilter}). A remembered frame is forgotten when its echo arrives, or when
 * it is older than {@code maxAge}, or to keep at most {@code frames} frames and {@code bytes}
 * bytes remembered.
 */
public record EchoWindow(int frames, long bytes, Duration maxAge) {
  public static EchoWindow defaults() {
    return new EchoWindow(1024, 4L * 1024 * 1024, Duration.ofSeconds(10));
  }

  public EchoWindow {
    if (frames < 1) {
      throw new IllegalArgumentException("echo window must hold at least 1 frame, got " + frames);
    }
    if (bytes < DatagramStage.MAX_UDP_PAYLOAD) {
      throw new IllegalArgumentException("echo window must hold at least one largest datagram ("
          + DatagramStage.MAX_UDP_PAYLOAD + " bytes), got " + bytes);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("echo window max age must be positive, got " + maxAge);
    }
  }
}
