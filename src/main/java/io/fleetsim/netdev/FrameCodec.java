package io.fleetsim.netdev;

import java.util.function.LongConsumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * QEMU's stream framing (socket listen/connect, stream, fd): each frame on the wire is a 4-byte
 * big-endian length that does not count itself, then the raw Ethernet frame. No handshake, no
 * keepalive; a zero length is a valid, empty frame.
 *
 * <p>The {@link #bidi} shape is {@code (wire in -> frame out, frame in -> wire out)}, so it joins
 * a transport on the left ({@code tcpFlow.join(codec)}) and a port's link on the right.
 */
public final class FrameCodec {
  /** How far the decoder reads ahead of its consumer, beyond one received chunk. */
  static final int READ_AHEAD_BYTES = 64 * 1024;

  private FrameCodec() {}

  /** Both directions with the limits from {@code settings}. */
  public static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> bidi(
      NetdevSettings settings) {
    return bidi(settings, unsent -> { });
  }

  /**
   * Both directions; {@code onUnsent} is told how many frames the encoder still held when the
   * wire side went away.
   */
  public static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> bidi(
      NetdevSettings settings, LongConsumer onUnsent) {
    return BidiFlow.fromFlows(decoder(settings.maxFrame()),
        encoder(settings.writeBatchBytes(), onUnsent));
  }

  /**
   * Wire bytes in any chunking to frames (zero-copy slices). Fails with
   * {@link OversizeFrameException} on a length above {@code maxFrame} and with
   * {@link TruncatedFrameException} when the bytes end inside a frame.
   */
  public static Flow<ByteString, ByteString, NotUsed> decoder(int maxFrame) {
    return Flow.fromGraph(new FrameDecoder(maxFrame, READ_AHEAD_BYTES, true, end -> { }));
  }

  /** Frames to wire bytes, coalescing up to {@code batchBytes} while downstream is busy. */
  public static Flow<ByteString, ByteString, NotUsed> encoder(int batchBytes) {
    return encoder(batchBytes, unsent -> { });
  }

  static Flow<ByteString, ByteString, NotUsed> encoder(int batchBytes, LongConsumer onUnsent) {
    return encoder(batchBytes, new FrameEncoder.Tally() {
      @Override
      public void written(long frames, long bytes) {}

      @Override
      public void unsent(long frames) {
        onUnsent.accept(frames);
      }
    });
  }

  static Flow<ByteString, ByteString, NotUsed> encoder(int batchBytes, FrameEncoder.Tally tally) {
    return Flow.fromGraph(new FrameEncoder(batchBytes, tally, () -> { }))
        .mapMaterializedValue(abort -> NotUsed.notUsed());
  }

  /** One frame with its prefix, uncoalesced: for tests and one-off writes. */
  public static ByteString encode(ByteString frame) {
    byte[] prefix = {
        (byte) (frame.length() >>> 24), (byte) (frame.length() >>> 16),
        (byte) (frame.length() >>> 8), (byte) frame.length()};
    return ByteString.fromArrayUnsafe(prefix).concat(frame);
  }
}
