package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.netdev.NetdevHarness.Started;
import io.fleetsim.netdev.TestPorts.QueuePort;
import io.fleetsim.qemu.NetdevSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class InheritedFdNetdevTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static NetdevStatus startWith(int fd, InheritedFdNetdev.InheritedChannel inherited,
      QueuePort port) {
    TestProbe<NetdevStatus> probe = kit.createTestProbe(NetdevStatus.class);
    kit.spawn(InheritedFdNetdev.create("fd" + fd, fd, port, NetdevSettings.defaults(),
        probe.getRef(), inherited));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  @Test
  void aConnectedStreamSocketOnFdZeroRunsAsOnePeer() throws Exception {
    QueuePort port = new QueuePort("p");
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      SocketChannel inherited = SocketChannel.open(server.getLocalSocketAddress());
      try (WireClient peer = new WireClient(server.accept())) {
        NetdevStatus status = startWith(0, () -> inherited, port);
        assertEquals(new NetdevStatus.Ready("fd0",
            "connected via fd=0 (127.0.0.1:" + server.getLocalPort() + ")"), status);
        peer.writeFrame(WireClient.frame(1514, 1));
        assertArrayEquals(WireClient.frame(1514, 1), port.take().toArray());
        port.send(WireClient.bytes(WireClient.frame(60, 2)));
        assertArrayEquals(WireClient.frame(60, 2), peer.readFrame());
      }
      port.awaitRunning(0);
      assertTrue(!inherited.isOpen(), "the inherited socket is closed once its peer left");
    }
  }

  @Test
  void everythingElseIsRefusedWithWhatWasFound() throws Exception {
    QueuePort port = new QueuePort("p");
    assertEquals(new NetdevStatus.Failed("fd3", "fd=3 is not supported: only fd=0, a connected "
        + "stream socket passed as standard input, can be used"),
        startWith(3, () -> null, port));
    assertEquals(new NetdevStatus.Failed("fd0",
            "fd=0 is not supported here: standard input is not a socket"),
        startWith(0, () -> null, port));
    try (DatagramChannel datagram = DatagramChannel.open()) {
      assertEquals(new NetdevStatus.Failed("fd0",
              "fd=0 is a datagram socket: not supported (only a connected stream socket)"),
          startWith(0, () -> datagram, port));
    }
    try (ServerSocketChannel listening = ServerSocketChannel.open()) {
      assertEquals(new NetdevStatus.Failed("fd0",
              "fd=0 is a listening socket: not supported (only a connected stream socket)"),
          startWith(0, () -> listening, port));
    }
    try (SocketChannel unconnected = SocketChannel.open()) {
      assertEquals(new NetdevStatus.Failed("fd0",
              "fd=0 is a stream socket that is not connected: not supported"),
          startWith(0, () -> unconnected, port));
    }
    Channel other = java.nio.channels.Pipe.open().source();
    NetdevStatus status = startWith(0, () -> other, port);
    assertTrue(status instanceof NetdevStatus.Failed failed
        && failed.reason().endsWith(": not supported (only a connected stream socket)"),
        status.toString());
    other.close();
    assertEquals(0, port.materialized.get());
  }

  @Test
  void theRealStandardInputOfTheTestJvmIsNotASocket() {
    // Surefire feeds the forked JVM through a pipe: System.inheritedChannel() is null.
    Started started = NetdevHarness.start(kit,
        new NetdevSpec.InheritedFd("real", 0, "socket,id=real,fd=0"), new QueuePort("p"));
    assertEquals(new NetdevStatus.Failed("real",
        "fd=0 is not supported here: standard input is not a socket"), started.status());
  }
}
