package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.qemu.SocketAddr;
import io.fleetsim.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;

/**
 * A connecting stream netdev: {@code socket,connect=host:port} and {@code stream,server=off}
 * (inet or unix).
 *
 * <p>Without a reconnect interval it connects once: refused means Failed, and after the peer
 * leaves the netdev stays down (its port has no peer), as QEMU's socket backend. With one it
 * behaves like QEMU 8's {@code stream,reconnect=} (QEMU 7.2 has no such option): start-up does
 * not wait for the peer, a failed attempt (the first one included) is retried after the
 * interval, and a lost peer is reconnected after the interval. So Ready comes with the first
 * connection, or with the first failed attempt ("connecting to ..."), whichever is first.
 *
 * <p>States: connecting, connected, waiting (to retry), down.
 */
public final class StreamClientNetdev {
  public sealed interface Command {}

  private record Connected(String peer, PeerLink link) implements Command {}

  private record ConnectFailed(Throwable cause) implements Command {}

  private record PeerEnded(String peer, LinkEnd end) implements Command {}

  private enum Retry implements Command { INSTANCE }

  private final ActorContext<Command> context;
  private final Clock clock;
  private final String id;
  private final SocketAddr addr;
  private final Duration reconnect;
  private final Port port;
  private final NetdevSettings settings;
  private final ActorRef<NetdevStatus> replyTo;
  private final Materializer materializer;
  private boolean reported;
  private int failuresInARow;
  private PeerLink current; // the attempt or connection under way, null while waiting or down
  private Clock.Timer retry; // the reconnect due while waiting, else null

  private StreamClientNetdev(ActorContext<Command> context, Clock clock,
      String id, SocketAddr addr, Duration reconnect, Port port, NetdevSettings settings,
      ActorRef<NetdevStatus> replyTo) {
    this.context = context;
    this.clock = clock;
    this.id = id;
    this.addr = addr;
    this.reconnect = reconnect;
    this.port = port;
    this.settings = settings;
    this.replyTo = replyTo;
    this.materializer = Materializer.createMaterializer(context);
  }

  /**
   * Replies Ready("connected to HOST:PORT" or "connected to unix:PATH") once connected. If the
   * first attempt fails: Failed("can't connect socket: Connection refused") without a reconnect
   * interval, else Ready("connecting to HOST:PORT, retrying every 1s"). {@code reconnect} zero
   * (or negative) means never reconnect; the interval is waited on {@code clock}.
   */
  public static Behavior<Command> create(String id, SocketAddr addr, Duration reconnect,
      Port port, NetdevSettings settings, Clock clock, ActorRef<NetdevStatus> replyTo) {
    return Behaviors.setup(context ->
        new StreamClientNetdev(context, clock, id, addr, reconnect, port, settings, replyTo)
            .connect());
  }

  private boolean reconnects() {
    return reconnect != null && !reconnect.isZero() && !reconnect.isNegative();
  }

  private Behavior<Command> connect() {
    PeerLink link;
    try {
      link = port.extension(Splice.End.class)
          .map(spliced -> spliced.connect(addr))
          .orElseGet(() -> PeerLink.start(StreamTransport.connect(addr), true, port, settings,
              materializer));
    } catch (StartFailure e) {
      return giveUp(e.getMessage());
    } catch (RuntimeException e) {
      return giveUp("can't attach to port " + port.name() + ": " + e);
    }
    current = link;
    context.pipeToSelf(link.connected(),
        (peer, failure) -> failure == null ? new Connected(peer, link) : new ConnectFailed(failure));
    return connecting();
  }

  private Behavior<Command> connecting() {
    return Behaviors.receive(Command.class)
        .onMessage(Connected.class, this::onConnected)
        .onMessage(ConnectFailed.class, this::onConnectFailed)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> connected() {
    return Behaviors.receive(Command.class)
        .onMessage(PeerEnded.class, this::onPeerEnded)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> waiting() {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Retry.INSTANCE, this::onRetry)
        .onSignal(PostStop.class, this::onPostStopWaiting)
        .build();
  }

  private Behavior<Command> onRetry() {
    retry = null;
    return connect();
  }

  /** A clock timer outlives the actor: the reconnect due is cancelled. */
  private Behavior<Command> onPostStopWaiting(PostStop stop) {
    if (retry != null) {
      retry.cancel();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onConnected(Connected connected) {
    String peer = connected.peer();
    failuresInARow = 0;
    if (reported) {
      context.getLog().info("netdev {}: connected to {}", id, peer); // a reconnect
    } else {
      reported = true;
      replyTo.tell(new NetdevStatus.Ready(id, "connected to " + peer));
    }
    context.pipeToSelf(connected.link().ended(), (end, failure) -> new PeerEnded(peer,
        end != null ? end : new LinkEnd.Disconnected(StartFailure.reason("", failure))));
    return connected();
  }

  private Behavior<Command> onPostStop(PostStop stop) {
    if (current != null) {
      current.close(); // a stream link stops with the materializer; a spliced one is told
    }
    return Behaviors.same();
  }

  private Behavior<Command> onConnectFailed(ConnectFailed failed) {
    current = null;
    String reason = StartFailure.reason("can't connect socket: ", failed.cause());
    if (!reconnects()) {
      // Only the first attempt can fail here: without reconnect there is no second one.
      return giveUp(reason);
    }
    failuresInARow++;
    if (failuresInARow == 1) {
      context.getLog().warn("netdev {}: {} (to {}); retrying every {}", id, reason, addr,
          describe(reconnect));
      if (!reported) {
        // QEMU's start-up does not wait for a reconnecting peer either.
        reported = true;
        replyTo.tell(new NetdevStatus.Ready(id,
            "connecting to " + addr + ", retrying every " + describe(reconnect)));
      }
    } else {
      context.getLog().debug("netdev {}: {} (attempt {})", id, reason, failuresInARow);
    }
    return retryLater();
  }

  /** Failed if nothing was reported yet (the one status), else an error in the log. */
  private Behavior<Command> giveUp(String reason) {
    if (!reported) {
      reported = true;
      replyTo.tell(new NetdevStatus.Failed(id, reason));
    } else {
      context.getLog().error("netdev {}: {}; stopped", id, reason);
    }
    return Behaviors.stopped();
  }

  private Behavior<Command> onPeerEnded(PeerEnded ended) {
    current = null;
    NetdevLog.peerEnded(context.getLog(), id, ended.peer(), ended.end());
    if (!reconnects()) {
      context.getLog().info("netdev {}: down (no reconnect)", id);
      return Behaviors.ignore(); // QEMU's connect and fd backends stay down
    }
    return retryLater();
  }

  private Behavior<Command> retryLater() {
    ActorRef<Command> self = context.getSelf();
    retry = clock.schedule(reconnect.toNanos(), () -> self.tell(Retry.INSTANCE));
    return waiting();
  }

  private static String describe(Duration interval) {
    return interval.toMillis() % 1000 == 0 ? interval.toSeconds() + "s"
        : interval.toMillis() + "ms";
  }
}
