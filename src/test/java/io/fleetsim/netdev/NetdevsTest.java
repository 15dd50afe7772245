package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetsim.netdev.TestPorts.QueuePort;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import io.fleetsim.time.RealClock;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class NetdevsTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void aHubportHasNoBackendOfItsOwn() {
    NetdevSpec hubport = new NetdevSpec.Hubport("h", 0, Optional.empty(), "hubport,id=h,hubid=0");
    assertThrows(IllegalArgumentException.class, () -> Netdevs.behavior(hubport,
        new QueuePort("p"), NetdevSettings.defaults(), RealClock.system(),
            kit.createTestProbe(NetdevStatus.class)
            .getRef()));
  }

  @Test
  void aStreamServerOnAnInheritedFdIsRefused() {
    NetdevSpec spec = new NetdevSpec.Stream("s", true, new SocketAddr.Fd(3), Duration.ZERO,
        "stream,id=s,server=on,addr.type=fd,addr.str=3");
    assertEquals(new NetdevStatus.Failed("s",
            "a stream server on an inherited fd (a listening socket) is not supported"),
        NetdevHarness.start(kit, spec, new QueuePort("p")).status());
  }

  @Test
  void aStreamClientOnAnInheritedFdGoesToTheFdBackend() {
    NetdevSpec spec = new NetdevSpec.Stream("s", false, new SocketAddr.Fd(4), Duration.ZERO,
        "stream,id=s,server=off,addr.type=fd,addr.str=4");
    assertEquals(new NetdevStatus.Failed("s", "fd=4 is not supported: only fd=0, a connected "
            + "stream socket passed as standard input, can be used"),
        NetdevHarness.start(kit, spec, new QueuePort("p")).status());
  }
}
