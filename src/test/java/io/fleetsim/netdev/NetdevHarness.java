package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import io.fleetsim.time.RealClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/** Starts netdevs through {@link Netdevs#behavior} and waits for their one status. */
final class NetdevHarness {
  private NetdevHarness() {}

  record Started(ActorRef<Object> ref, NetdevStatus status) {
    NetdevStatus.Ready ready() {
      if (status instanceof NetdevStatus.Ready ready) {
        return ready;
      }
      throw new AssertionError("expected Ready, got " + status);
    }

    /** The port from "listening on 127.0.0.1:PORT". */
    int boundPort() {
      String description = ready().description();
      return Integer.parseInt(description.substring(description.lastIndexOf(':') + 1));
    }
  }

  static Started start(ActorTestKit kit, NetdevSpec spec, Port port) {
    return start(kit, spec, port, NetdevSettings.defaults());
  }

  @SuppressWarnings("unchecked")
  static Started start(ActorTestKit kit, NetdevSpec spec, Port port, NetdevSettings settings) {
    TestProbe<NetdevStatus> probe = kit.createTestProbe(NetdevStatus.class);
    Behavior<Object> behavior =
        (Behavior<Object>) Netdevs.behavior(spec, port, settings, RealClock.system(),
            probe.getRef());
    ActorRef<Object> ref = kit.spawn(behavior);
    NetdevStatus status = probe.expectMessageClass(NetdevStatus.class, Duration.ofSeconds(10));
    return new Started(ref, status);
  }

  static NetdevSpec.Stream listen(String id, int port) {
    return new NetdevSpec.Stream(id, true, new SocketAddr.Inet("127.0.0.1", port), Duration.ZERO,
        "socket,id=" + id + ",listen=127.0.0.1:" + port);
  }

  static NetdevSpec.Stream connect(String id, int port, Duration reconnect) {
    return new NetdevSpec.Stream(id, false, new SocketAddr.Inet("127.0.0.1", port), reconnect,
        "stream,id=" + id + ",server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=" + port);
  }

  static NetdevSpec.Stream unix(String id, boolean server, String path, Duration reconnect) {
    return new NetdevSpec.Stream(id, server, new SocketAddr.Unix(path), reconnect,
        "stream,id=" + id + ",server=" + (server ? "on" : "off") + ",addr.type=unix,addr.path="
            + path);
  }

  /** A loopback port nobody listens on (just released by the kernel). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
