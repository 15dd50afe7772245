package io.fleetsim.netdev;

import io.fleetsim.fabric.Port;
import io.fleetsim.qemu.NetdevSpec;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/** Picks the backend actor for a netdev spec. The one place that knows every backend. */
public final class Netdevs {
  private Netdevs() {}

  /**
   * The actor that runs {@code spec}'s backend plugged into {@code port}. It sends exactly one
   * {@link NetdevStatus} to {@code replyTo}: Ready once it listens, is connected or has joined its
   * group, or Failed (and stops) when it cannot start.
   */
  public static Behavior<?> behavior(NetdevSpec spec, Port port, NetdevSettings settings,
      ActorRef<NetdevStatus> replyTo) {
    if (spec instanceof NetdevSpec.Multicast || spec instanceof NetdevSpec.Udp) {
      return DatagramNetdev.create(spec, port, DatagramOptions.defaults(), replyTo);
    }
    throw new UnsupportedOperationException("netdev backend not built yet: " + spec.source());
  }
}
