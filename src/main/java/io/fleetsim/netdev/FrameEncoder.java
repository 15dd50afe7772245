package io.fleetsim.netdev;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * Frames to wire bytes, coalesced: while the socket side is busy, frames pile up (up to
 * {@code batchBytes} of wire bytes) and go out as one contiguous chunk, prefix and frame after
 * prefix and frame. One chunk per socket write instead of one write per frame is what lets a
 * stream netdev outrun QEMU's one sendmsg per frame.
 *
 * <p>The {@link Tally} hears what became of every frame taken: written, once the socket side has
 * written the chunk and asks for the next one (the transports ask only then), or unsent, when the
 * socket side went away or the stage was aborted with frames still held or a chunk unconfirmed.
 * The materialized {@link Abort} stops the stage from outside (thread-safe): held frames are
 * dropped and the socket side is failed, which aborts the connection.
 *
 * <p>Once the socket side is gone the stage does not cancel its upstream: Pekko drops an element
 * pushed into a stage that is cancelled before it takes it, and the frame on its way from the
 * port would be counted by nobody. It takes what still comes, as unsent, until the port's link
 * completes (it does when the connection's read side ends, which it does with the write side).
 */
final class FrameEncoder
    extends AbstractGraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>,
        FrameEncoder.Abort> {
  /** Drops what the encoder holds and fails the wire side with {@code cause}. */
  interface Abort {
    void abort(Throwable cause);
  }

  /** What became of the frames the encoder took: each is reported once, one way or the other. */
  interface Tally {
    /** {@code frames} frames, {@code bytes} bytes without prefixes, were written to the socket. */
    void written(long frames, long bytes);

    /** {@code frames} frames were taken but not (known to be) written: the wire went away. */
    void unsent(long frames);
  }

  /** Frames up to this size are copied into the batch; larger ones are referenced. */
  private static final int SMALL_COPY_LIMIT = 256;

  private final Inlet<ByteString> in = Inlet.create("FrameEncoder.in");
  private final Outlet<ByteString> out = Outlet.create("FrameEncoder.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final int batchBytes;
  private final Tally tally;
  private final Runnable onEnd;

  FrameEncoder(int batchBytes, Tally tally, Runnable onEnd) {
    if (batchBytes < FrameDecoder.HEADER + 1) {
      throw new IllegalArgumentException("batchBytes must be at least 5, got " + batchBytes);
    }
    this.batchBytes = batchBytes;
    this.tally = tally;
    this.onEnd = onEnd;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("FrameEncoder");
  }

  @Override
  public Pair<GraphStageLogic, Abort> createLogicAndMaterializedValuePair(Attributes attributes) {
    class Logic extends GraphStageLogic {
      private final List<ByteString> pending = new ArrayList<>();
      private long pendingBytes;
      // the chunk last pushed, until the socket side asks for the next (it has written this one)
      private long inFlightFrames;
      private long inFlightBytes;
      private boolean wireGone; // frames that still come are unsent
      final AsyncCallback<Throwable> abort = createAsyncCallback(cause -> {
        if (!isClosed(out)) {
          fail(out, cause);
        }
        wireGone();
      });

      Logic() {
        super(shape);
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString frame = grab(in);
            if (wireGone) {
              tally.unsent(1);
              pull(in);
              return;
            }
            pending.add(frame);
            pendingBytes += FrameDecoder.HEADER + frame.length();
            if (isAvailable(out)) {
              flush();
            }
            pullIfRoom();
          }

          @Override
          public void onUpstreamFinish() {
            if (wireGone || pending.isEmpty() && inFlightFrames == 0) {
              completeStage();
            }
            // else: the last batch goes out (or is confirmed) on the next pull, then we complete
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            reportUnsent();
            failStage(ex);
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            confirmWritten();
            if (!pending.isEmpty()) {
              flush();
            }
            if (isClosed(in)) {
              if (pending.isEmpty() && inFlightFrames == 0) {
                completeStage();
              }
            } else {
              pullIfRoom();
            }
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            wireGone();
          }
        });
      }

      @Override
      public void preStart() {
        pull(in);
      }

      @Override
      public void postStop() {
        reportUnsent(); // stopped from outside (the materializer shut down): what it held is lost
        onEnd.run();
      }

      /** The socket side is gone: held frames are unsent, and so is whatever still comes. */
      private void wireGone() {
        reportUnsent();
        if (wireGone) {
          return;
        }
        wireGone = true;
        if (isClosed(in)) {
          completeStage();
        } else if (!hasBeenPulled(in)) {
          pull(in);
        }
      }

      private void pullIfRoom() {
        if (!hasBeenPulled(in) && !isClosed(in) && pendingBytes < batchBytes) {
          pull(in);
        }
      }

      private void flush() {
        // Prefixes and small frames are copied into one array; large frames are referenced, not
        // copied: the socket write copies everything once anyway, and a second copy of bulk
        // data here costs more than the rope's extra parts (measured: 1514-byte frames).
        ByteStringBuilder wire = new ByteStringBuilder();
        for (ByteString frame : pending) {
          wire.putInt(frame.length(), ByteOrder.BIG_ENDIAN);
          if (frame.length() <= SMALL_COPY_LIMIT) {
            wire.putBytes(frame.toArrayUnsafe());
          } else {
            wire.append(frame);
          }
        }
        inFlightFrames = pending.size();
        inFlightBytes = pendingBytes - (long) FrameDecoder.HEADER * pending.size();
        pending.clear();
        pendingBytes = 0;
        push(out, wire.result());
      }

      private void confirmWritten() {
        if (inFlightFrames > 0) {
          tally.written(inFlightFrames, inFlightBytes);
          inFlightFrames = 0;
          inFlightBytes = 0;
        }
      }

      private void reportUnsent() {
        long unsent = pending.size() + inFlightFrames;
        pending.clear();
        pendingBytes = 0;
        inFlightFrames = 0;
        inFlightBytes = 0;
        if (unsent > 0) {
          tally.unsent(unsent);
        }
      }
    }
    Logic logic = new Logic();
    return Pair.create(logic, cause -> logic.abort.invoke(cause));
  }
}
