package io.fleetsim.netdev;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Wire bytes to frames: a 4-byte big-endian length (not counting itself), then the frame.
 *
 * <p>Frames are zero-copy slices of the received chunks. Complete frames already buffered are
 * still delivered when the byte stream ends; then a leftover partial frame fails the stage with
 * {@link TruncatedFrameException}. A length above {@code maxFrame} fails it with
 * {@link OversizeFrameException} (QEMU closes the connection in that case). A failed upstream
 * (a reset connection) is passed on after the complete frames, wrapped when a partial frame was
 * pending. The stage reads ahead at most {@code readAheadBytes} plus one chunk, so a downstream
 * that stops pulling stops the reads (and TCP pushes back on the sender).
 */
final class FrameDecoder extends GraphStage<FlowShape<ByteString, ByteString>> {
  static final int HEADER = 4;

  private final Inlet<ByteString> in = Inlet.create("FrameDecoder.in");
  private final Outlet<ByteString> out = Outlet.create("FrameDecoder.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final int maxFrame;
  private final int readAheadBytes;

  FrameDecoder(int maxFrame, int readAheadBytes) {
    if (maxFrame < 0) {
      throw new IllegalArgumentException("maxFrame must not be negative, got " + maxFrame);
    }
    if (readAheadBytes < 1) {
      throw new IllegalArgumentException("readAheadBytes must be positive, got " + readAheadBytes);
    }
    this.maxFrame = maxFrame;
    this.readAheadBytes = readAheadBytes;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("FrameDecoder");
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private ByteString buffer = ByteString.emptyByteString();
      /** Length of the next frame once its prefix is buffered, else -1. */
      private long frameLength = -1;
      private boolean upstreamDone;
      private Throwable upstreamFailure;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            buffer = buffer.concat(grab(in));
            deliver();
          }

          @Override
          public void onUpstreamFinish() {
            upstreamDone = true;
            deliver();
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            upstreamDone = true;
            upstreamFailure = ex;
            deliver();
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            deliver();
          }
        });
      }

      private void deliver() {
        boolean frameReady = parsePrefix();
        if (frameLength > maxFrame) {
          failStage(new OversizeFrameException(frameLength, maxFrame));
          return;
        }
        if (frameReady && isAvailable(out)) {
          int total = HEADER + (int) frameLength;
          ByteString frame = buffer.slice(HEADER, total);
          buffer = buffer.drop(total);
          frameLength = -1;
          push(out, frame);
          frameReady = parsePrefix();
        }
        if (upstreamDone) {
          if (!frameReady) {
            finish();
          }
        } else if (!hasBeenPulled(in) && (!frameReady || buffer.length() < readAheadBytes)) {
          pull(in);
        }
      }

      /** Reads the next length prefix if buffered; true when a whole frame (or an oversize one) is. */
      private boolean parsePrefix() {
        if (frameLength < 0) {
          if (buffer.length() < HEADER) {
            return false;
          }
          frameLength = ((buffer.apply(0) & 0xffL) << 24) | ((buffer.apply(1) & 0xffL) << 16)
              | ((buffer.apply(2) & 0xffL) << 8) | (buffer.apply(3) & 0xffL);
        }
        return frameLength > maxFrame || buffer.length() >= HEADER + frameLength;
      }

      private void finish() {
        if (!buffer.isEmpty()) {
          failStage(new TruncatedFrameException(buffer.length(), upstreamFailure));
        } else if (upstreamFailure != null) {
          failStage(upstreamFailure);
        } else {
          completeStage();
        }
      }
    };
  }
}
