package io.fleetsim.netdev;

import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.stream.AbruptStageTerminationException;
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
 * <p>Frames are zero-copy slices of the received chunks (a frame straddling two chunks is
 * copied into one piece). Complete frames already buffered are still delivered when the byte
 * stream ends; then a leftover partial frame is a {@link TruncatedFrameException}. A length above
 * {@code maxFrame} is an {@link OversizeFrameException} (QEMU closes the connection then); the
 * bytes are not read further and the upstream is cancelled with that cause. A failed upstream (a
 * reset connection) is passed on after the complete frames, wrapped when a partial frame was
 * pending.
 *
 * <p>With {@code failDownstream} these endings fail the stage (the codec's public behaviour);
 * without it the frames' consumer sees a normal completion, as a port's link expects when its
 * peer goes away. Either way {@code onEnd} hears how the stage ended, once.
 *
 * <p>The stage reads ahead at most {@code readAheadBytes} plus one chunk, so a downstream that
 * stops pulling stops the reads (and TCP pushes back on the sender).
 */
final class FrameDecoder extends GraphStage<FlowShape<ByteString, ByteString>> {
  static final int HEADER = 4;

  private final Inlet<ByteString> in = Inlet.create("FrameDecoder.in");
  private final Outlet<ByteString> out = Outlet.create("FrameDecoder.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final int maxFrame;
  private final int readAheadBytes;
  private final boolean failDownstream;
  private final Consumer<Optional<Throwable>> onEnd;

  FrameDecoder(int maxFrame, int readAheadBytes, boolean failDownstream,
      Consumer<Optional<Throwable>> onEnd) {
    if (maxFrame < 0) {
      throw new IllegalArgumentException("maxFrame must not be negative, got " + maxFrame);
    }
    if (readAheadBytes < 1) {
      throw new IllegalArgumentException("readAheadBytes must be positive, got " + readAheadBytes);
    }
    this.maxFrame = maxFrame;
    this.readAheadBytes = readAheadBytes;
    this.failDownstream = failDownstream;
    this.onEnd = onEnd;
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
      /** Unread bytes: a slice of the last chunk, or a carried partial frame plus that chunk. */
      private ByteString buffer = ByteString.emptyByteString();
      /** How many bytes at the front of buffer came from before {@link #lastChunk}; 0 if none. */
      private int carried;
      private ByteString lastChunk;
      /** Length of the next frame once its prefix is buffered, else -1. */
      private long frameLength = -1;
      private boolean upstreamDone;
      private Throwable upstreamFailure;
      private boolean ended;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString chunk = grab(in);
            if (buffer.isEmpty()) {
              buffer = chunk;
            } else {
              carried = buffer.length();
              lastChunk = chunk;
              buffer = buffer.concat(chunk);
            }
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

          @Override
          public void onDownstreamFinish(Throwable cause) {
            end(Optional.empty());
            cancelStage(cause);
          }
        });
      }

      private void deliver() {
        boolean frameReady = parsePrefix();
        if (frameLength > maxFrame) {
          stop(new OversizeFrameException(frameLength, maxFrame));
          return;
        }
        if (frameReady && isAvailable(out)) {
          push(out, takeFrame());
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

      private ByteString takeFrame() {
        int total = HEADER + (int) frameLength;
        ByteString frame = buffer.slice(HEADER, total);
        if (carried == 0) {
          buffer = buffer.drop(total);
        } else if (total >= carried) {
          // The frame straddled two chunks: copy it into one piece and go back to plain
          // slices of the last chunk, so the hot path never works on multi-piece strings.
          frame = frame.compact();
          buffer = lastChunk.drop(total - carried);
          carried = 0;
          lastChunk = null;
        } else {
          buffer = buffer.drop(total);
          carried -= total;
        }
        frameLength = -1;
        return frame;
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
          stop(new TruncatedFrameException(buffer.length(), upstreamFailure));
        } else if (upstreamFailure != null) {
          stop(upstreamFailure);
        } else {
          end(Optional.empty());
          completeStage();
        }
      }

      private void stop(Throwable failure) {
        end(Optional.of(failure));
        if (failDownstream) {
          failStage(failure);
        } else {
          complete(out);
          if (!isClosed(in)) {
            cancel(in, failure); // with a cause: Pekko TCP aborts the connection
          }
        }
      }

      private void end(Optional<Throwable> how) {
        if (!ended) {
          ended = true;
          onEnd.accept(how);
        }
      }

      @Override
      public void postStop() {
        end(Optional.of(new AbruptStageTerminationException(this)));
      }
    };
  }
}
