package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import io.fleetsim.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Picks the backend actor for a netdev spec. The one place that knows every backend. */
public final class Netdevs {
  private Netdevs() {}

  /**
   * The actor that runs {@code spec}'s backend plugged into {@code port}. It sends exactly one
   * {@link NetdevStatus} to {@code replyTo}: Ready once it listens, is connected or has joined its
   * group, or Failed (and stops) when it cannot start. {@code clock}: the time its timers
   * (reconnect, the multicast echo window) run on.
   */
  public static Behavior<?> behavior(NetdevSpec spec, Port port, NetdevSettings settings,
      Clock clock, ActorRef<NetdevStatus> replyTo) {
    if (spec instanceof NetdevSpec.Stream stream) {
      return streamBehavior(stream, port, settings, clock, replyTo);
    }
    if (spec instanceof NetdevSpec.InheritedFd inherited) {
      return InheritedFdNetdev.create(inherited.id(), inherited.fd(), port, settings, replyTo);
    }
    if (spec instanceof NetdevSpec.Multicast || spec instanceof NetdevSpec.Udp) {
      return DatagramNetdev.create(spec, port, DatagramOptions.defaults(), clock, replyTo);
    }
    // hubport has no backend of its own: it only says which hub another netdev is on
    throw new IllegalArgumentException("no backend for " + spec.source());
  }

  private static Behavior<?> streamBehavior(NetdevSpec.Stream spec, Port port,
      NetdevSettings settings, Clock clock, ActorRef<NetdevStatus> replyTo) {
    if (spec.addr() instanceof SocketAddr.Fd fd) {
      if (spec.server()) {
        return failed(spec.id(), "a stream server on an inherited fd (a listening socket) is "
            + "not supported", replyTo);
      }
      return InheritedFdNetdev.create(spec.id(), fd.fd(), port, settings, replyTo);
    }
    if (spec.server()) {
      return StreamServerNetdev.create(spec.id(), spec.addr(), port, settings, replyTo);
    }
    return StreamClientNetdev.create(spec.id(), spec.addr(), spec.reconnect(), port, settings,
        clock, replyTo);
  }

  private static Behavior<Void> failed(String id, String reason,
      ActorRef<NetdevStatus> replyTo) {
    return Behaviors.setup(context -> {
      replyTo.tell(new NetdevStatus.Failed(id, reason));
      return Behaviors.stopped();
    });
  }
}
