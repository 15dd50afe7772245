package io.fleetsim.netdev;

import io.fleetsim.qemu.SocketAddr;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Where stream netdevs get their byte pipes: non-blocking channels on {@link NioLoop} for inet
 * addresses ({@link NioListener}, {@link NioConnection}), blocking {@link SocketChannel}s (via
 * {@link ChannelTransport}) for unix sockets. Failures to start carry the user-facing reason as a {@link StartFailure}.
 */
final class StreamTransport {
  /** Kernel accept queue: a waiting client sits here until the current peer leaves. */
  static final int BACKLOG = 16;

  private StreamTransport() {}

  /**
   * A listening endpoint: one {@link Peer} per pull, never accepted ahead of demand. Its stream
   * must be run on a materializer that outlives the netdev actor, and {@link #release()} called
   * when the netdev stops: that is what ends the stream and frees the address.
   */
  interface Listener {
    /**
     * Starts listening when materialized. The materialized value completes with the bound
     * address ("127.0.0.1:20001", "unix:/path") or fails with a {@link StartFailure}.
     */
    Source<Peer, CompletionStage<String>> peers();

    /** Stops listening and frees the address; idempotent, any thread. */
    void release();
  }

  static Listener listener(SocketAddr addr) {
    if (addr instanceof SocketAddr.Inet inet) {
      return new NioListener(inet);
    }
    if (addr instanceof SocketAddr.Unix unix) {
      return new UnixListener(Path.of(unix.path()), ChannelIo.executor());
    }
    throw new StartFailure("a stream server on " + addr + " is not supported");
  }

  /**
   * A connection to {@code addr}, made when materialized. The materialized value completes with
   * the peer's address or fails with a {@link StartFailure} ("can't connect socket: ...").
   */
  static Flow<ByteString, ByteString, CompletionStage<String>> connect(SocketAddr addr) {
    if (addr instanceof SocketAddr.Inet inet) {
      return NioConnection.connect(InetSocketAddress.createUnresolved(inet.host(), inet.port()));
    }
    if (addr instanceof SocketAddr.Unix unix) {
      return connectUnix(unix);
    }
    throw new StartFailure("a stream client on " + addr + " is not supported");
  }

  /**
   * A connected socket to {@code addr}, non-blocking, for a {@link Splice}: the same connection
   * {@link #connect} makes, failing with the same {@link StartFailure} ("can't connect socket:
   * ..."). Name resolution and unix connects block, so they run on {@link ChannelIo}.
   */
  static CompletionStage<SocketChannel> connectChannel(SocketAddr addr) {
    Executor blocking = ChannelIo.executor();
    CompletableFuture<SocketChannel> result = new CompletableFuture<>();
    if (addr instanceof SocketAddr.Inet inet) {
      CompletableFuture.supplyAsync(() -> new InetSocketAddress(inet.host(), inet.port()), blocking)
          .whenComplete((target, failure) -> {
            if (failure != null) {
              refused(result, failure);
            } else {
              startConnect(target, result);
            }
          });
    } else if (addr instanceof SocketAddr.Unix unix) {
      CompletableFuture.runAsync(() -> {
        try {
          SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(unix.path()));
          channel.configureBlocking(false);
          result.complete(channel);
        } catch (IOException | RuntimeException e) {
          refused(result, e);
        }
      }, blocking);
    } else {
      result.completeExceptionally(new StartFailure("a stream client on " + addr + " is not supported"));
    }
    return result;
  }

  private static void startConnect(InetSocketAddress target, CompletableFuture<SocketChannel> result) {
    SocketChannel channel = null;
    try {
      if (target.isUnresolved()) {
        throw StartFailure.unresolved(target.getHostString());
      }
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      if (channel.connect(target)) {
        result.complete(channel);
      } else {
        SocketChannel connecting = channel;
        NioLoop.get().await(channel, java.nio.channels.SelectionKey.OP_CONNECT,
            () -> ChannelIo.executor().execute(() -> finishConnect(connecting, result)));
      }
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        ChannelTransport.closeQuietly(channel);
      }
      refused(result, e);
    }
  }

  private static void finishConnect(SocketChannel channel, CompletableFuture<SocketChannel> result) {
    try {
      if (channel.finishConnect()) {
        result.complete(channel);
      } else {
        NioLoop.get().await(channel, java.nio.channels.SelectionKey.OP_CONNECT,
            () -> ChannelIo.executor().execute(() -> finishConnect(channel, result)));
      }
    } catch (IOException | RuntimeException e) {
      ChannelTransport.closeQuietly(channel);
      refused(result, e);
    }
  }

  private static void refused(CompletableFuture<SocketChannel> result, Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause() : e;
    result.completeExceptionally(
        new StartFailure(StartFailure.reason("can't connect socket: ", cause)));
  }

  static String describe(InetSocketAddress address) {
    String host = address.getAddress() != null
        ? address.getAddress().getHostAddress() : address.getHostString();
    return new SocketAddr.Inet(host, address.getPort()).toString();
  }

  private static Flow<ByteString, ByteString, CompletionStage<String>> connectUnix(
      SocketAddr.Unix addr) {
    Executor blocking = ChannelIo.executor();
    return Flow.fromMaterializer((materializer, attributes) -> {
      CompletableFuture<SocketChannel> channel = CompletableFuture.supplyAsync(() -> {
        try {
          return SocketChannel.open(UnixDomainSocketAddress.of(addr.path()));
        } catch (IOException | RuntimeException e) {
          throw new StartFailure(StartFailure.reason("can't connect socket: ", e));
        }
      }, blocking);
      return Flow.completionStageFlow(channel.thenApply(c -> ChannelTransport.flow(c, blocking)))
          .mapMaterializedValue(flow -> channel.thenApply(c -> addr.toString()));
    }).mapMaterializedValue(nested -> nested.thenCompose(address -> address));
  }

  /**
   * A unix stream socket server. Like QEMU it replaces a leftover socket file at its path, but
   * unlike QEMU it refuses to delete anything that is not a socket. The file is removed again
   * when the netdev stops.
   */
  private static final class UnixListener implements Listener {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final Executor blocking;
    private ServerSocketChannel server; // guarded by this
    private boolean released; // guarded by this

    UnixListener(Path path, Executor blocking) {
      this.path = path;
      this.blocking = blocking;
    }

    /**
     * Bind and accept run as futures on {@link ChannelIo} threads, not inside a stage, so the
     * netdev can always stop: its PostStop calls {@link #release()}, which closes the channel
     * and wakes a pending accept.
     */
    @Override
    public Source<Peer, CompletionStage<String>> peers() {
      CompletableFuture<String> bound = new CompletableFuture<>();
      // The resource is empty when binding failed: the failure goes to the materialized value
      // only, so the source just completes (a failed create would be logged by Pekko).
      return Source.<Peer, Optional<ServerSocketChannel>>unfoldResourceAsync(
              () -> CompletableFuture.supplyAsync(() -> {
                try {
                  ServerSocketChannel channel = bind();
                  bound.complete("unix:" + path);
                  return Optional.of(channel);
                } catch (RuntimeException e) {
                  bound.completeExceptionally(e);
                  return Optional.empty();
                }
              }, blocking),
              channel -> channel.isEmpty()
                  ? CompletableFuture.completedFuture(Optional.empty())
                  : CompletableFuture.supplyAsync(() -> accept(channel.get()), blocking),
              channel -> {
                release();
                return CompletableFuture.completedFuture(Done.getInstance());
              })
          .mapMaterializedValue(n -> bound);
    }

    private synchronized ServerSocketChannel bind() {
      if (released) {
        throw new StartFailure("netdev stopped before its unix socket was bound");
      }
      try {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
          if (!isSocket(path)) {
            throw new StartFailure("can't bind unix socket " + path
                + ": the path exists and is not a socket (left untouched)");
          }
          Files.delete(path); // a stale socket from an earlier run, as QEMU replaces it
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          channel.bind(UnixDomainSocketAddress.of(path), BACKLOG);
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
        server = channel;
        return channel;
      } catch (IOException | RuntimeException e) {
        throw new StartFailure(
            StartFailure.reason("can't bind unix socket " + path + ": ", e));
      }
    }

    private Optional<Peer> accept(ServerSocketChannel channel) {
      try {
        SocketChannel connection = channel.accept();
        String address = "unix:" + path;
        return Optional.of(new Peer(address,
            ChannelTransport.peerFlow(connection, address, blocking), connection));
      } catch (ClosedChannelException e) {
        return Optional.empty(); // released: the netdev is stopping
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void release() {
      released = true;
      if (server == null) {
        return;
      }
      try {
        server.close();
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && isSocket(path)) {
          Files.delete(path);
        }
      } catch (IOException e) {
        // best effort: a leftover socket file is replaced by the next server anyway
      }
      server = null;
    }

    private static boolean isSocket(Path path) throws IOException {
      int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (mode & S_IFMT) == S_IFSOCK;
    }
  }
}
