package io.fleetsim.netdev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A connected blocking {@link SocketChannel} (unix socket, inherited fd) as a byte flow, for the
 * transports Pekko's TCP cannot open.
 *
 * <p>The blocking calls run on {@code blocking} ({@link ChannelIo} threads), never on the
 * stage: one read per downstream pull and one write at a time, so back-pressure is the socket's
 * own. The stage owns the channel: when either side ends, or the stage is stopped (its netdev
 * stops), it closes the channel, which also wakes a read blocked on it. Semantics match Pekko
 * TCP without half-close: the first side to finish closes the connection.
 */
final class ChannelTransport extends GraphStage<FlowShape<ByteString, ByteString>> {
  static final int READ_CHUNK = 64 * 1024;
  private static final Object END_OF_STREAM = new Object();

  private final Inlet<ByteString> in = Inlet.create("ChannelTransport.in");
  private final Outlet<ByteString> out = Outlet.create("ChannelTransport.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final SocketChannel channel;
  private final Executor blocking;

  private ChannelTransport(SocketChannel channel, Executor blocking) {
    this.channel = channel;
    this.blocking = blocking;
  }

  /** Wire bytes to the peer in, wire bytes from the peer out. */
  static Flow<ByteString, ByteString, NotUsed> flow(SocketChannel channel, Executor blocking) {
    return Flow.fromGraph(new ChannelTransport(channel, blocking));
  }

  /** As {@link #flow}, materializing the already known peer address (see {@link Peer}). */
  static Flow<ByteString, ByteString, CompletionStage<String>> peerFlow(SocketChannel channel,
      String address, Executor blocking) {
    return flow(channel, blocking)
        .mapMaterializedValue(n -> CompletableFuture.completedFuture(address));
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing is best effort: the peer is gone either way
    }
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("ChannelTransport");
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private final byte[] readBuffer = new byte[READ_CHUNK];
      private boolean writing;
      private final AsyncCallback<Object> readDone = createAsyncCallback(this::onReadDone);
      private final AsyncCallback<Optional<Throwable>> writeDone =
          createAsyncCallback(this::onWriteDone);

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            write(grab(in));
          }

          @Override
          public void onUpstreamFinish() {
            if (!writing) {
              completeStage(); // postStop closes the channel
            }
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            failStage(ex);
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            read();
          }
        });
      }

      @Override
      public void preStart() {
        pull(in);
      }

      private void read() {
        blocking.execute(() -> {
          Object result;
          try {
            int n = channel.read(ByteBuffer.wrap(readBuffer));
            result = n < 0 ? END_OF_STREAM : ByteString.fromArray(readBuffer, 0, n);
          } catch (ClosedChannelException closedHere) {
            result = END_OF_STREAM; // closed by this stage because the other side ended
          } catch (IOException | RuntimeException e) {
            result = e;
          }
          readDone.invoke(result);
        });
      }

      private void onReadDone(Object result) {
        if (result instanceof ByteString bytes) {
          push(out, bytes);
        } else if (result instanceof Throwable failure) {
          failStage(failure);
        } else {
          completeStage(); // end of stream from the peer
        }
      }

      private void write(ByteString bytes) {
        writing = true;
        blocking.execute(() -> {
          Throwable failure = null;
          try {
            ByteBuffer buffer = bytes.asByteBuffer();
            while (buffer.hasRemaining()) {
              channel.write(buffer);
            }
          } catch (IOException | RuntimeException e) {
            failure = e;
          }
          writeDone.invoke(Optional.ofNullable(failure));
        });
      }

      private void onWriteDone(Optional<Throwable> failure) {
        writing = false;
        if (failure.isPresent()) {
          failStage(failure.get());
        } else if (isClosed(in)) {
          completeStage();
        } else {
          pull(in);
        }
      }

      @Override
      public void postStop() {
        closeQuietly(channel);
      }
    };
  }
}
