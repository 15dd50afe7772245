package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;

/**
 * {@code socket,fd=N} (and {@code stream,server=off,addr.type=fd}): an already connected stream
 * socket handed down by the parent process. Java can only reach such a socket as standard input
 * ({@link System#inheritedChannel()}), so only fd 0 is supported, and only when it is a connected
 * stream socket; it then runs as one peer with QEMU's framing and no reconnect. Anything else is
 * refused at start with a message naming what was found.
 */
public final class InheritedFdNetdev {
  public sealed interface Command {}

  private record PeerEnded(String peer, LinkEnd end) implements Command {}

  /** Where the inherited channel comes from; {@link System#inheritedChannel()} outside tests. */
  @FunctionalInterface
  interface InheritedChannel {
    Channel get() throws IOException;
  }

  private InheritedFdNetdev() {}

  /** Replies Ready("connected via fd=0 to PEER") or Failed(why this fd cannot be used). */
  public static Behavior<Command> create(String id, int fd, Port port, NetdevSettings settings,
      ActorRef<NetdevStatus> replyTo) {
    return create(id, fd, port, settings, replyTo, System::inheritedChannel);
  }

  static Behavior<Command> create(String id, int fd, Port port, NetdevSettings settings,
      ActorRef<NetdevStatus> replyTo, InheritedChannel inherited) {
    return Behaviors.setup(context -> {
      SocketChannel channel;
      try {
        channel = socketFor(fd, inherited);
      } catch (StartFailure e) {
        replyTo.tell(new NetdevStatus.Failed(id, e.getMessage()));
        return Behaviors.stopped();
      }
      String peer = "fd=" + fd + " (" + describe(channel) + ")";
      PeerLink link = PeerLink.start(
          ChannelTransport.peerFlow(channel, peer, ChannelIo.executor()), false,
          port, settings, Materializer.createMaterializer(context));
      context.pipeToSelf(link.ended(), (end, failure) -> new PeerEnded(peer,
          end != null ? end : new LinkEnd.Disconnected(StartFailure.reason("", failure))));
      context.getLog().info("netdev {}: connected via {}", id, peer);
      replyTo.tell(new NetdevStatus.Ready(id, "connected via " + peer));
      return running(context, id);
    });
  }

  private static Behavior<Command> running(ActorContext<Command> context, String id) {
    return Behaviors.receive(Command.class)
        .onMessage(PeerEnded.class, ended -> {
          NetdevLog.peerEnded(context.getLog(), id, ended.peer(), ended.end());
          context.getLog().info("netdev {}: down (an inherited socket cannot reconnect)", id);
          return Behaviors.ignore();
        })
        .build();
  }

  private static SocketChannel socketFor(int fd, InheritedChannel inherited) {
    if (fd != 0) {
      throw new StartFailure("fd=" + fd + " is not supported: only fd=0, a connected stream "
          + "socket passed as standard input, can be used");
    }
    Channel channel;
    try {
      channel = inherited.get();
    } catch (IOException | SecurityException e) {
      throw new StartFailure("can't use fd=0: " + e.getMessage());
    }
    if (channel == null) {
      throw new StartFailure("fd=0 is not supported here: standard input is not a socket");
    }
    if (channel instanceof DatagramChannel) {
      throw new StartFailure("fd=0 is a datagram socket: not supported (only a connected "
          + "stream socket)");
    }
    if (channel instanceof ServerSocketChannel) {
      throw new StartFailure("fd=0 is a listening socket: not supported (only a connected "
          + "stream socket)");
    }
    if (!(channel instanceof SocketChannel socket)) {
      throw new StartFailure("fd=0 is a " + channel.getClass().getSimpleName()
          + ": not supported (only a connected stream socket)");
    }
    if (!socket.isConnected()) {
      throw new StartFailure("fd=0 is a stream socket that is not connected: not supported");
    }
    try {
      socket.configureBlocking(true);
    } catch (IOException e) {
      throw new StartFailure("can't use fd=0: " + e.getMessage());
    }
    return socket;
  }

  private static String describe(SocketChannel channel) {
    try {
      SocketAddress remote = channel.getRemoteAddress();
      if (remote instanceof InetSocketAddress inet) {
        return StreamTransport.describe(inet);
      }
      return remote == null || remote.toString().isEmpty() ? "unix" : "unix:" + remote;
    } catch (IOException e) {
      return "peer unknown";
    }
  }
}
