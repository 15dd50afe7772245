package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.time.Clock;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.NeverMaterializedException;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.util.ByteString;

/**
 * A multicast membership or UDP socket plugged into a fabric port. It resolves and checks the spec
 * (off the actor, on the blocking dispatcher), opens the socket, and only once it is bound
 * materializes the port's link: a datagram netdev's peer is "present" for as long as its socket is
 * open. It then tells {@code replyTo} Ready, or Failed and stops. Stopping the actor closes the
 * socket; a socket that dies under it stops it.
 */
public final class DatagramNetdev {

  public sealed interface Command {}

  private record Resolved(DatagramEndpoint endpoint) implements Command {}

  private record SetupFailed(String reason) implements Command {}

  private record Bound(InetSocketAddress local) implements Command {}

  /** The socket's stream ended; {@code shutdown}: cut short by the materializer stopping. */
  private record StreamEnded(Optional<String> failure, boolean shutdown) implements Command {
    static StreamEnded of(Throwable error) {
      if (error == null) {
        return new StreamEnded(Optional.empty(), false);
      }
      if (NetdevLog.isShutdown(error)) {
        // The actor system is shutting down (fleetsim is exiting): not an error to report.
        return new StreamEnded(Optional.empty(), true);
      }
      return new StreamEnded(Optional.of(reason(error)), false);
    }
  }

  public static Behavior<Command> create(NetdevSpec spec, Port port, DatagramOptions options,
      Clock clock, ActorRef<NetdevStatus> replyTo) {
    return Behaviors.setup(
        context -> new DatagramNetdev(context, spec, port, options, clock, replyTo).resolving());
  }

  private final ActorContext<Command> context;
  private final NetdevSpec spec;
  private final Port port;
  private final DatagramOptions options;
  private final Clock clock;
  private final ActorRef<NetdevStatus> replyTo;

  private DatagramNetdev(ActorContext<Command> context, NetdevSpec spec, Port port,
      DatagramOptions options, Clock clock, ActorRef<NetdevStatus> replyTo) {
    this.context = context;
    this.spec = spec;
    this.port = port;
    this.options = options;
    this.clock = clock;
    this.replyTo = replyTo;
  }

  private Behavior<Command> resolving() {
    Executor blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    context.pipeToSelf(
        CompletableFuture.supplyAsync(() -> DatagramEndpoints.resolve(spec), blocking),
        (endpoint, error) -> error == null ? new Resolved(endpoint) : new SetupFailed(reason(error)));
    return Behaviors.receive(Command.class)
        .onMessage(Resolved.class, this::onResolved)
        .onMessage(SetupFailed.class, this::onSetupFailed)
        .build();
  }

  private Behavior<Command> onResolved(Resolved resolved) {
    DatagramEndpoint endpoint = resolved.endpoint();
    // The link waits for the bind: until then the fabric sees no peer on this port.
    CompletableFuture<InetSocketAddress> gate = new CompletableFuture<>();
    Flow<ByteString, ByteString, CompletionStage<NotUsed>> link =
        Flow.completionStageFlow(gate.thenApply(bound -> port.link(Port.OutCount.WRITER)));
    Pair<Pair<CompletionStage<InetSocketAddress>, UniqueKillSwitch>, CompletionStage<Done>> mat =
        UdpTransport.flow(endpoint, options, port.counters(), clock)
            .viaMat(KillSwitches.<ByteString>single(), Keep.both())
            .watchTermination(Keep.both())
            .join(link)
            .run(Materializer.matFromSystem(context.getSystem()));
    CompletionStage<InetSocketAddress> bound = mat.first().first();
    bound.whenComplete((address, error) -> {
      if (error == null) {
        gate.complete(address);
      } else {
        gate.completeExceptionally(error);
      }
    });
    context.pipeToSelf(bound,
        (address, error) -> error == null ? new Bound(address) : new SetupFailed(reason(error)));
    context.pipeToSelf(mat.second(), (done, error) -> StreamEnded.of(error));
    return binding(endpoint, mat.first().second());
  }

  private Behavior<Command> onSetupFailed(SetupFailed failed) {
    replyTo.tell(new NetdevStatus.Failed(spec.id(), failed.reason()));
    return Behaviors.stopped();
  }

  private Behavior<Command> binding(DatagramEndpoint endpoint, UniqueKillSwitch killSwitch) {
    return Behaviors.receive(Command.class)
        .onMessage(Bound.class, bound -> onBound(endpoint, bound, killSwitch))
        .onMessage(SetupFailed.class, this::onSetupFailed)
        .onMessage(StreamEnded.class, ended -> onSetupFailed(new SetupFailed(
            ended.failure().orElse("datagram socket closed before it was bound"))))
        .onSignal(PostStop.class, signal -> onPostStop(killSwitch))
        .build();
  }

  private Behavior<Command> onBound(DatagramEndpoint endpoint, Bound bound,
      UniqueKillSwitch killSwitch) {
    String description = endpoint.describe(bound.local());
    context.getLog().debug("netdev {}: {}", spec.id(), description);
    replyTo.tell(new NetdevStatus.Ready(spec.id(), description));
    return running(killSwitch);
  }

  private Behavior<Command> running(UniqueKillSwitch killSwitch) {
    return Behaviors.receive(Command.class)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onSignal(PostStop.class, signal -> onPostStop(killSwitch))
        .build();
  }

  private Behavior<Command> onStreamEnded(StreamEnded ended) {
    if (ended.shutdown()) {
      context.getLog().debug("netdev {}: datagram socket closed at shutdown", spec.id());
    } else if (ended.failure().isPresent()) {
      context.getLog().warn("netdev {}: datagram socket closed: {}", spec.id(),
          ended.failure().get());
    } else {
      context.getLog().info("netdev {}: datagram socket closed", spec.id());
    }
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop(UniqueKillSwitch killSwitch) {
    killSwitch.shutdown();
    return Behaviors.same();
  }

  /** The user-facing line for a failure: our own messages as they are, anything else named. */
  private static String reason(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof DatagramSetupException) {
      return cause.getMessage();
    }
    return "unexpected error: " + cause;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof NeverMaterializedException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
