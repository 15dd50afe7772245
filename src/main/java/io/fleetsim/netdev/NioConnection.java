package io.fleetsim.netdev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageWithMaterializedValue;
import org.apache.pekko.util.ByteString;
import scala.Tuple2;

/**
 * A TCP connection as a byte flow on a non-blocking channel: the stage itself reads when
 * downstream pulls and writes when upstream pushes, and waits on {@link NioLoop} only when the
 * socket has nothing to read or no room to write. Reading only on demand is the back-pressure:
 * an unread socket fills and TCP pushes back on the peer.
 *
 * <p>Why not Pekko's TCP: there every read and write hops between the selector thread, a
 * connection actor and the stream's actor; on two cores those context switches, not the
 * copying, bounded a relay (measured with perf: a quarter of all CPU in task switching).
 *
 * <p>Like Pekko's TCP without half-close, the first side to finish closes the connection.
 */
final class NioConnection
    extends GraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, CompletionStage<String>> {
  private static final int READ_BUFFER = 256 * 1024;
  private static final int WRITE_BUFFER = 256 * 1024;
  /**
   * The write buffer grows up to this to hold a whole element: the encoder's batches end one
   * frame past its batch size, and a buffer just short of that split every batch into a full
   * write and a tiny one (measured: twice the write syscalls, each waking the peer).
   */
  private static final int MAX_WRITE_BUFFER = 4 * 1024 * 1024;

  private final Inlet<ByteString> in = Inlet.create("NioConnection.in");
  private final Outlet<ByteString> out = Outlet.create("NioConnection.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final SocketChannel accepted; // null for an outgoing connection
  private final InetSocketAddress remote; // null for an accepted one

  private NioConnection(SocketChannel accepted, InetSocketAddress remote) {
    this.accepted = accepted;
    this.remote = remote;
  }

  /** An accepted connection; the materialized value is its peer's address. */
  static Flow<ByteString, ByteString, CompletionStage<String>> accepted(SocketChannel channel) {
    return Flow.fromGraph(new NioConnection(channel, null));
  }

  /**
   * A connection to {@code remote}, made when materialized; the materialized value completes
   * with the peer's address, or fails with a {@link StartFailure} ("can't connect socket: ...").
   */
  static Flow<ByteString, ByteString, CompletionStage<String>> connect(InetSocketAddress remote) {
    return Flow.fromGraph(new NioConnection(null, remote));
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("NioConnection");
  }

  @Override
  public Tuple2<GraphStageLogic, CompletionStage<String>> createLogicAndMaterializedValue(
      Attributes attributes) {
    CompletableFuture<String> connected = new CompletableFuture<>();
    GraphStageLogic logic = new GraphStageLogic(shape) {
      private final NioLoop loop = NioLoop.get();
      private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
      private SocketChannel channel;
      private boolean open;
      // What is left of the element being written: first what sits in writeBuffer, then the rest.
      private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
      private ByteString writing;
      private final AsyncCallback<Object> readable = createAsyncCallback(x -> tryRead());
      private final AsyncCallback<Object> writable = createAsyncCallback(x -> tryWrite());
      private final AsyncCallback<Object> connectable = createAsyncCallback(x -> finishConnect());
      private final AsyncCallback<Object> resolvedCallback = createAsyncCallback(this::onResolved);
      private final AsyncCallback<Object> written = createAsyncCallback(x -> {
        if (!isClosed(in) && !hasBeenPulled(in)) {
          pull(in);
        }
      });

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            writing = grab(in);
            if (writing.size() > writeBuffer.capacity() && writeBuffer.capacity() < MAX_WRITE_BUFFER) {
              writeBuffer = ByteBuffer.allocateDirect(
                  Math.min(MAX_WRITE_BUFFER, Integer.highestOneBit(writing.size() - 1) << 1));
            }
            writeBuffer.clear().flip(); // empty
            tryWrite();
          }

          @Override
          public void onUpstreamFinish() {
            if (writing == null) {
              completeStage();
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
            if (open) {
              tryRead();
            }
          }
        });
      }

      @Override
      public void preStart() {
        try {
          if (accepted != null) {
            channel = accepted;
            channel.configureBlocking(false);
            opened();
          } else if (remote.isUnresolved()) {
            // Name resolution blocks: do it off the stream's thread.
            CompletableFuture.supplyAsync(
                    () -> new InetSocketAddress(remote.getHostString(), remote.getPort()),
                    ChannelIo.executor())
                .whenComplete((resolved, failure) -> resolvedCallback.invoke(
                    failure != null ? failure : resolved));
          } else {
            startConnect(remote);
          }
        } catch (IOException | RuntimeException e) {
          refused(e);
        }
      }

      private void startConnect(InetSocketAddress target) throws IOException {
        if (target.isUnresolved()) {
          throw StartFailure.unresolved(target.getHostString());
        }
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        if (channel.connect(target)) {
          opened();
        } else {
          loop.await(channel, SelectionKey.OP_CONNECT, () -> connectable.invoke(null));
        }
      }

      private void onResolved(Object result) {
        try {
          if (result instanceof Throwable failure) {
            throw failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? new java.io.IOException(failure.getCause().getMessage(), failure.getCause())
                : new java.io.IOException(failure.getMessage(), failure);
          }
          startConnect((InetSocketAddress) result);
        } catch (IOException | RuntimeException e) {
          refused(e);
        }
      }

      private void finishConnect() {
        try {
          if (channel.finishConnect()) {
            opened();
          } else {
            loop.await(channel, SelectionKey.OP_CONNECT, () -> connectable.invoke(null));
          }
        } catch (IOException | RuntimeException e) {
          refused(e);
        }
      }

      private void refused(Throwable e) {
        StartFailure failure = new StartFailure(StartFailure.reason("can't connect socket: ", e));
        connected.completeExceptionally(failure);
        failStage(failure);
      }

      private void opened() throws IOException {
        open = true;
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        // the peer as the user named it when we connected, as the kernel reports it when accepted
        connected.complete(remote != null
            ? new io.fleetsim.qemu.SocketAddr.Inet(remote.getHostString(), remote.getPort()).toString()
            : StreamTransport.describe((InetSocketAddress) channel.getRemoteAddress()));
        pull(in);
        if (isAvailable(out)) {
          tryRead();
        }
      }

      private void tryRead() {
        if (!isAvailable(out) || isClosed(out)) {
          return;
        }
        try {
          int n = channel.read(readBuffer);
          if (n > 0) {
            readBuffer.flip();
            byte[] bytes = new byte[n];
            readBuffer.get(bytes);
            readBuffer.clear();
            push(out, ByteString.fromArrayUnsafe(bytes));
          } else if (n == 0) {
            loop.await(channel, SelectionKey.OP_READ, () -> readable.invoke(null));
          } else {
            completeStage(); // the peer closed
          }
        } catch (IOException e) {
          failStage(e);
        }
      }

      private void tryWrite() {
        if (!open || writing == null) {
          return; // connecting: opened() pulls, so nothing is pushed before it
        }
        try {
          // One copy, ours, into one direct buffer: a gather write of the rope's parts would have
          // the JDK copy each part into a temporary direct buffer of its own.
          while (true) {
            if (!writeBuffer.hasRemaining()) {
              if (writing.isEmpty()) {
                break;
              }
              writeBuffer.clear();
              int n = writing.copyToBuffer(writeBuffer); // as much as fits
              writeBuffer.flip();
              writing = n == writing.size() ? ByteString.emptyByteString() : writing.drop(n);
            }
            if (channel.write(writeBuffer) == 0) {
              loop.await(channel, SelectionKey.OP_WRITE, () -> writable.invoke(null));
              return;
            }
          }
          writing = null;
          if (isClosed(in)) {
            completeStage();
          } else {
            // Pull on the next turn, not now: meanwhile the encoder upstream gathers every frame
            // already on its way into one buffer, so a burst costs one write, not one per frame.
            written.invoke(null);
          }
        } catch (IOException e) {
          failStage(e);
        }
      }

      @Override
      public void postStop() {
        if (!connected.isDone()) {
          connected.completeExceptionally(new StartFailure("can't connect socket: stopped"));
        }
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException e) {
            // best effort: the connection is over either way
          }
        }
      }
    };
    return new Tuple2<>(logic, connected);
  }
}
