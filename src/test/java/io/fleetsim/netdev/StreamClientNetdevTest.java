package io.fleetsim.netdev;

import static io.fleetsim.netdev.NetdevHarness.connect;
import static io.fleetsim.netdev.NetdevHarness.start;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetsim.netdev.NetdevHarness.Started;
import io.fleetsim.netdev.TestPorts.QueuePort;
import io.fleetsim.time.RealClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StreamClientNetdevTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static ServerSocket loopbackServer(int port) throws Exception {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4);
    server.setSoTimeout(10_000);
    return server;
  }

  @Test
  void connectsToAPlainServerAndCarriesFramesBothWays() throws Exception {
    QueuePort port = new QueuePort("p");
    try (ServerSocket server = loopbackServer(0)) {
      CompletableFuture<WireClient> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          return new WireClient(server.accept());
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      Started netdev = start(kit, connect("c1", server.getLocalPort(), Duration.ZERO), port);
      assertEquals("connected to 127.0.0.1:" + server.getLocalPort(),
          netdev.ready().description());
      try (WireClient peer = accepted.get(10, TimeUnit.SECONDS)) {
        peer.writeFrame(WireClient.frame(1514, 1));
        assertArrayEquals(WireClient.frame(1514, 1), port.take().toArray());
        port.send(WireClient.bytes(WireClient.frame(60, 2)));
        assertEquals(60, peer.readInt()); // big-endian length first
        assertArrayEquals(WireClient.frame(60, 2), peer.readBytes(60));
      }
      port.awaitRunning(0); // the peer closed: no link any more

      // Without reconnect the netdev stays down: nobody comes back.
      server.setSoTimeout(500);
      assertThrows(SocketTimeoutException.class, server::accept);
      assertEquals(1, port.materialized.get());
    }
  }

  @Test
  void aHostNameIsResolvedWithoutBlocking() throws Exception {
    try (ServerSocket server = loopbackServer(0)) {
      io.fleetsim.qemu.NetdevSpec spec = new io.fleetsim.qemu.NetdevSpec.Stream("named", false,
          new io.fleetsim.qemu.SocketAddr.Inet("localhost", server.getLocalPort()), Duration.ZERO,
          "socket,id=named,connect=localhost:" + server.getLocalPort());
      Started netdev = start(kit, spec, new QueuePort("p"));
      assertEquals("connected to localhost:" + server.getLocalPort(),
          netdev.ready().description(), "the peer as the user named it");
      server.accept().close();
    }
  }

  @Test
  void refusedConnectionFailsAtStart() throws Exception {
    QueuePort port = new QueuePort("p");
    Started netdev = start(kit, connect("c2", NetdevHarness.freePort(), Duration.ZERO), port);
    assertEquals(new NetdevStatus.Failed("c2", "can't connect socket: Connection refused"),
        netdev.status());
    assertEquals(0, port.materialized.get(), "a failed connection never gets a link");
  }

  @Test
  void withReconnectItRetriesUntilTheServerAppearsAndAfterThePeerLeaves() throws Exception {
    QueuePort port = new QueuePort("p");
    int free = NetdevHarness.freePort();
    TestProbe<NetdevStatus> status = kit.createTestProbe(NetdevStatus.class);
    @SuppressWarnings("unchecked")
    Behavior<Object> behavior = (Behavior<Object>) Netdevs.behavior(
        connect("c3", free, Duration.ofMillis(100)), port, NetdevSettings.defaults(),
        RealClock.system(),
        status.getRef());
    kit.spawn(behavior);
    // Refused, but like QEMU the netdev starts anyway and keeps trying.
    assertEquals(new NetdevStatus.Ready("c3",
            "connecting to 127.0.0.1:" + free + ", retrying every 100ms"),
        status.receiveMessage(Duration.ofSeconds(10)));
    assertEquals(0, port.materialized.get(), "no peer, no link");

    try (ServerSocket server = loopbackServer(free)) {
      try (WireClient first = new WireClient(server.accept())) {
        first.writeFrame(WireClient.frame(100, 1));
        assertEquals(100, port.take().length());
      } // the peer leaves
      try (WireClient second = new WireClient(server.accept())) {
        second.writeFrame(WireClient.frame(200, 2));
        assertEquals(200, port.take().length());
        port.awaitRunning(1);
      }
      status.expectNoMessage(Duration.ofMillis(100)); // one status only, ever
    }
  }
}
