package io.fleetsim.netdev;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * Frames to wire bytes, coalesced: while the socket side is busy, frames pile up (up to
 * {@code batchBytes} of wire bytes) and go out as one contiguous chunk, prefix and frame after
 * prefix and frame. One chunk per socket write instead of one write per frame is what lets a
 * stream netdev outrun QEMU's one sendmsg per frame.
 *
 * <p>{@code onUnsent} hears how many whole frames were still held when the socket side went away
 * (cancelled or failed), so they can be counted as lost.
 */
final class FrameEncoder extends GraphStage<FlowShape<ByteString, ByteString>> {
  /** Frames up to this size are copied into the batch; larger ones are referenced. */
  private static final int SMALL_COPY_LIMIT = 256;

  private final Inlet<ByteString> in = Inlet.create("FrameEncoder.in");
  private final Outlet<ByteString> out = Outlet.create("FrameEncoder.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final int batchBytes;
  private final LongConsumer onUnsent;

  FrameEncoder(int batchBytes, LongConsumer onUnsent) {
    if (batchBytes < FrameDecoder.HEADER + 1) {
      throw new IllegalArgumentException("batchBytes must be at least 5, got " + batchBytes);
    }
    this.batchBytes = batchBytes;
    this.onUnsent = onUnsent;
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
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private final List<ByteString> pending = new ArrayList<>();
      private long pendingBytes;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString frame = grab(in);
            pending.add(frame);
            pendingBytes += FrameDecoder.HEADER + frame.length();
            if (isAvailable(out)) {
              flush();
            }
            pullIfRoom();
          }

          @Override
          public void onUpstreamFinish() {
            if (pending.isEmpty()) {
              completeStage();
            }
            // else: the last batch goes out on the next pull, then the stage completes
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
            if (!pending.isEmpty()) {
              flush();
            }
            if (isClosed(in)) {
              if (pending.isEmpty()) {
                completeStage();
              }
            } else {
              pullIfRoom();
            }
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            reportUnsent();
            cancelStage(cause);
          }
        });
      }

      @Override
      public void preStart() {
        pull(in);
      }

      private void pullIfRoom() {
        if (!hasBeenPulled(in) && !isClosed(in) && pendingBytes < batchBytes) {
          pull(in);
        }
      }

      private void flush() {
        // Prefixes and small frames are copied into one array; large frames are referenced, not
        // copied: the socket write copies everything once anyway, and a second copy of bulk
        // data here would cost more than the rope's extra parts.
        ByteStringBuilder wire = new ByteStringBuilder();
        wire.sizeHint((int) Math.min(pendingBytes, SMALL_COPY_LIMIT * 64L));
        for (ByteString frame : pending) {
          wire.putInt(frame.length(), ByteOrder.BIG_ENDIAN);
          if (frame.length() <= SMALL_COPY_LIMIT) {
            for (int i = 0; i < frame.length(); i++) {
              wire.putByte(frame.apply(i));
            }
          } else {
            wire.append(frame);
          }
        }
        pending.clear();
        pendingBytes = 0;
        push(out, wire.result());
      }

      private void reportUnsent() {
        if (!pending.isEmpty()) {
          onUnsent.accept(pending.size());
          pending.clear();
          pendingBytes = 0;
        }
      }
    };
  }
}
