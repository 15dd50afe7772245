package io.fleetsim.netdev;

import io.fleetsim.qemu.SocketAddr;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageWithMaterializedValue;
import scala.Tuple2;

/**
 * A TCP listen socket on {@link NioLoop}: SO_REUSEADDR, a small backlog, and one accepted
 * {@link Peer} per pull. A client that arrives while the current peer is still connected waits
 * in the kernel's backlog, exactly as with QEMU's one-peer-at-a-time listen. An empty host is
 * QEMU's: 0.0.0.0, IPv4 only ({@code listening on 0.0.0.0:PORT}).
 */
final class NioListener implements StreamTransport.Listener {
  private final SocketAddr.Inet addr;
  private volatile ServerSocketChannel server;

  NioListener(SocketAddr.Inet addr) {
    this.addr = addr;
  }

  @Override
  public Source<Peer, CompletionStage<String>> peers() {
    return Source.fromGraph(new AcceptStage());
  }

  @Override
  public void release() {
    ServerSocketChannel s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // best effort: the port is freed when the process ends anyway
      }
    }
  }

  private final class AcceptStage
      extends GraphStageWithMaterializedValue<SourceShape<Peer>, CompletionStage<String>> {
    private final Outlet<Peer> out = Outlet.create("NioListener.out");
    private final SourceShape<Peer> shape = SourceShape.of(out);

    @Override
    public SourceShape<Peer> shape() {
      return shape;
    }

    @Override
    public Attributes initialAttributes() {
      return Attributes.name("NioListener");
    }

    @Override
    public Tuple2<GraphStageLogic, CompletionStage<String>> createLogicAndMaterializedValue(
        Attributes attributes) {
      CompletableFuture<String> bound = new CompletableFuture<>();
      String host = addr.host().isEmpty() ? "0.0.0.0" : addr.host();
      GraphStageLogic logic = new GraphStageLogic(shape) {
        private final AsyncCallback<Object> acceptable = createAsyncCallback(x -> tryAccept());
        private ServerSocketChannel channel;

        {
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {
              tryAccept();
            }
          });
        }

        @Override
        public void preStart() {
          try {
            InetSocketAddress local = new InetSocketAddress(host, addr.port());
            if (local.isUnresolved()) {
              throw StartFailure.unresolved(host);
            }
            // Java's default socket is IPv6 and binds 0.0.0.0 as [::]; QEMU binds IPv4 there
            channel = local.getAddress() instanceof Inet4Address
                ? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.configureBlocking(false);
            channel.bind(local, StreamTransport.BACKLOG);
            server = channel;
            bound.complete(StreamTransport.describe((InetSocketAddress) channel.getLocalAddress()));
          } catch (IOException | RuntimeException e) {
            StartFailure failure = new StartFailure(
                StartFailure.reason("can't bind ip=" + host + " to socket: ", e));
            bound.completeExceptionally(failure);
            failStage(failure);
          }
        }

        private void tryAccept() {
          if (!isAvailable(out)) {
            return;
          }
          if (!channel.isOpen()) {
            completeStage(); // released: the netdev is stopping
            return;
          }
          try {
            SocketChannel connection = channel.accept();
            if (connection == null) {
              NioLoop.get().await(channel, SelectionKey.OP_ACCEPT, () -> acceptable.invoke(null));
              return;
            }
            String peer = StreamTransport.describe((InetSocketAddress) connection.getRemoteAddress());
            push(out, new Peer(peer, NioConnection.accepted(connection), connection));
          } catch (IOException e) {
            if (!channel.isOpen()) {
              completeStage();
            } else {
              failStage(e);
            }
          }
        }

        @Override
        public void postStop() {
          if (!bound.isDone()) {
            bound.completeExceptionally(new StartFailure("stopped before binding"));
          }
          release();
        }
      };
      return new Tuple2<>(logic, bound);
    }
  }
}
