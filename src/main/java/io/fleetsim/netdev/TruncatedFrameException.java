package io.fleetsim.netdev;

import org.apache.pekko.stream.scaladsl.Framing;

/**
 * The byte stream ended (peer closed or the connection broke) in the middle of a frame. QEMU
 * discards such a partial frame; fleetsim does too, and counts it.
 */
public final class TruncatedFrameException extends Framing.FramingException {
  private final int bufferedBytes;

  public TruncatedFrameException(int bufferedBytes, Throwable cause) {
    super("stream ended inside a frame: " + bufferedBytes + " bytes of a partial frame discarded"
        + (cause == null ? "" : " (" + cause.getMessage() + ")"));
    this.bufferedBytes = bufferedBytes;
    if (cause != null) {
      initCause(cause);
    }
  }

  /** How many bytes of the partial frame (length prefix included) were thrown away. */
  public int bufferedBytes() {
    return bufferedBytes;
  }
}
