package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.qemu.SocketAddr;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;

/**
 * A listening stream netdev: {@code socket,listen=[host]:port} and {@code stream,server=on}
 * (inet or unix). Like QEMU it serves one peer at a time: the next connection is accepted only
 * after the current peer is gone, so a second client waits in the kernel's backlog. Each peer
 * runs as a {@link PeerLink} materialized by this actor; while none runs, the port has no peer.
 *
 * <p>States: binding, listening (no peer), serving (one peer).
 */
public final class StreamServerNetdev {
  public sealed interface Command {}

  private record Bound(String localAddress) implements Command {}

  private record BindFailed(Throwable cause) implements Command {}

  private record Arrived(Peer peer) implements Command {}

  private record PeerEnded(String peer, LinkEnd end) implements Command {}

  private record ListenerEnded(Optional<Throwable> failure) implements Command {}

  private final ActorContext<Command> context;
  private final String id;
  private final Port port;
  private final NetdevSettings settings;
  private final ActorRef<NetdevStatus> replyTo;
  private final Materializer materializer;
  private final Materializer listenerMaterializer;
  private final StreamTransport.Listener listener;
  private GatedSink.Gate gate;
  private PeerLink current; // the peer being served, null while listening

  private StreamServerNetdev(ActorContext<Command> context, String id, SocketAddr addr, Port port,
      NetdevSettings settings, ActorRef<NetdevStatus> replyTo) {
    this.context = context;
    this.id = id;
    this.port = port;
    this.settings = settings;
    this.replyTo = replyTo;
    // Peer streams die with this actor, which closes the peer's connection. The listener runs
    // on the system's materializer and is ended by release() in PostStop (see Listener).
    this.materializer = Materializer.createMaterializer(context);
    this.listenerMaterializer = Materializer.matFromSystem(context.getSystem());
    this.listener = StreamTransport.listener(addr);
  }

  /** Replies Ready("listening on HOST:PORT" or "listening on unix:PATH") or Failed, once. */
  public static Behavior<Command> create(String id, SocketAddr addr, Port port,
      NetdevSettings settings, ActorRef<NetdevStatus> replyTo) {
    return Behaviors.setup(context -> {
      StreamServerNetdev netdev;
      try {
        netdev = new StreamServerNetdev(context, id, addr, port, settings, replyTo);
      } catch (StartFailure e) {
        replyTo.tell(new NetdevStatus.Failed(id, e.getMessage()));
        return Behaviors.stopped();
      }
      return netdev.bind();
    });
  }

  private Behavior<Command> bind() {
    ActorRef<Command> self = context.getSelf();
    Pair<CompletionStage<String>, GatedSink.Gate> running = listener.peers()
        .toMat(new GatedSink<Peer>(peer -> self.tell(new Arrived(peer)),
            failure -> self.tell(new ListenerEnded(failure))), Keep.both())
        .run(listenerMaterializer);
    gate = running.second();
    context.pipeToSelf(running.first(),
        (local, failure) -> failure == null ? new Bound(local) : new BindFailed(failure));
    return binding();
  }

  private Behavior<Command> binding() {
    return Behaviors.receive(Command.class)
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(ListenerEnded.class, ended -> Behaviors.same()) // the bind outcome says why
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> listening() {
    return Behaviors.receive(Command.class)
        .onMessage(Arrived.class, this::onArrived)
        .onMessage(ListenerEnded.class, this::onListenerEnded)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> serving() {
    return Behaviors.receive(Command.class)
        .onMessage(PeerEnded.class, this::onPeerEnded)
        .onMessage(ListenerEnded.class, this::onListenerEnded)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onBound(Bound bound) {
    String description = "listening on " + bound.localAddress();
    context.getLog().debug("netdev {}: {}", id, description); // the CLI prints this line
    replyTo.tell(new NetdevStatus.Ready(id, description));
    gate.next();
    return listening();
  }

  private Behavior<Command> onBindFailed(BindFailed failed) {
    replyTo.tell(new NetdevStatus.Failed(id, StartFailure.reason("", failed.cause())));
    return Behaviors.stopped();
  }

  private Behavior<Command> onArrived(Arrived arrived) {
    String peer = arrived.peer().address();
    context.getLog().info("netdev {}: connection from {}", id, peer);
    PeerLink link;
    try {
      link = port.extension(Splice.End.class)
          .map(spliced -> spliced.attach(arrived.peer().channel(), peer))
          .orElseGet(() -> PeerLink.start(arrived.peer().transport(), false, port, settings,
              materializer));
    } catch (RuntimeException e) {
      // The port could not give a link: drop this peer (its socket is closed unattended by
      // Pekko, or with the channel) and keep listening.
      context.getLog().error("netdev {}: can't attach peer {} to port {}: {}", id, peer,
          port.name(), e.toString());
      gate.next();
      return listening();
    }
    current = link;
    context.pipeToSelf(link.ended(), (end, failure) -> new PeerEnded(peer,
        end != null ? end : new LinkEnd.Disconnected(StartFailure.reason("", failure))));
    return serving();
  }

  private Behavior<Command> onPeerEnded(PeerEnded ended) {
    NetdevLog.peerEnded(context.getLog(), id, ended.peer(), ended.end());
    current = null;
    gate.next(); // QEMU listens again once its peer is gone
    return listening();
  }

  private Behavior<Command> onListenerEnded(ListenerEnded ended) {
    if (ended.failure().filter(NetdevLog::isShutdown).isPresent()) {
      context.getLog().debug("netdev {}: listener stopped with the actor system", id);
      return Behaviors.stopped();
    }
    context.getLog().error("netdev {}: stopped listening: {}", id, ended.failure()
        .map(failure -> StartFailure.reason("", failure)).orElse("listener closed"));
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop(PostStop stop) {
    listener.release();
    if (current != null) {
      current.close();
    }
    return Behaviors.same();
  }
}
