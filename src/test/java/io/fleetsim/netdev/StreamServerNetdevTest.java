package io.fleetsim.netdev;

import static io.fleetsim.netdev.NetdevHarness.listen;
import static io.fleetsim.netdev.NetdevHarness.start;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.link.DropCause;
import io.fleetsim.netdev.NetdevHarness.Started;
import io.fleetsim.netdev.TestPorts.EchoPort;
import io.fleetsim.netdev.TestPorts.QueuePort;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StreamServerNetdevTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void framesRoundTripWithQemuFramingOnTheWire() throws Exception {
    EchoPort port = new EchoPort("p");
    Started netdev = start(kit, listen("n1", 0), port);
    assertTrue(netdev.ready().description().startsWith("listening on 127.0.0.1:"),
        netdev.ready().description());
    assertEquals(0, port.materialized.get(), "no peer yet: no link");

    try (WireClient client = WireClient.connect(netdev.boundPort())) {
      // Two frames in one write, then one frame dribbled a byte at a time.
      byte[] a = WireClient.frame(60, 1);
      byte[] b = WireClient.frame(1514, 2);
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      DataOutputStream data = new DataOutputStream(both);
      data.writeInt(a.length);
      data.write(a);
      data.writeInt(b.length);
      data.write(b);
      client.writeRaw(both.toByteArray());
      byte[] c = WireClient.frame(NetdevSettings.QEMU_MAX_FRAME, 3);
      ByteArrayOutputStream single = new ByteArrayOutputStream();
      new DataOutputStream(single).writeInt(c.length);
      single.write(c);
      byte[] wire = single.toByteArray();
      for (int i = 0; i < 100; i++) {
        client.writeRaw(new byte[] {wire[i]});
      }
      client.writeRaw(java.util.Arrays.copyOfRange(wire, 100, wire.length));

      // The echo comes back as exactly: 4-byte big-endian length, then the frame.
      assertEquals(60, client.readInt());
      assertArrayEquals(a, client.readBytes(60));
      assertArrayEquals(b, client.readFrame());
      assertArrayEquals(c, client.readFrame());
    }
    var stats = port.counters.snapshot("p");
    assertEquals(3, stats.framesIn());
    assertEquals(60 + 1514 + NetdevSettings.QEMU_MAX_FRAME, stats.bytesIn());
  }

  @Test
  void zeroLengthFramesAreDeliveredBothWays() throws Exception {
    QueuePort port = new QueuePort("p");
    Started netdev = start(kit, listen("n2", 0), port);
    try (WireClient client = WireClient.connect(netdev.boundPort())) {
      client.writeFrame(new byte[0]);
      client.writeFrame(WireClient.frame(60, 7));
      assertEquals(ByteString.emptyByteString(), port.take());
      assertEquals(60, port.take().length());

      port.send(ByteString.emptyByteString());
      assertEquals(0, client.readInt());
      port.send(WireClient.bytes(WireClient.frame(64, 9)));
      assertArrayEquals(WireClient.frame(64, 9), client.readFrame());
    }
  }

  @Test
  void servesOnePeerAtATimeAndTheNextWaitsInTheBacklog() throws Exception {
    EchoPort port = new EchoPort("p");
    Started netdev = start(kit, listen("n3", 0), port);
    try (WireClient first = WireClient.connect(netdev.boundPort())) {
      first.writeFrame(WireClient.frame(100, 1));
      assertArrayEquals(WireClient.frame(100, 1), first.readFrame());

      WireClient second = WireClient.connect(netdev.boundPort()); // the kernel completes it
      second.writeFrame(WireClient.frame(100, 2));
      second.socket.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, second::readInt,
          "the second client must get nothing while the first is connected");
      assertEquals(1, port.materialized.get(), "only the first peer has a link");

      first.writeFrame(WireClient.frame(100, 3)); // the first is still served
      assertArrayEquals(WireClient.frame(100, 3), first.readFrame());
      first.close();

      second.socket.setSoTimeout(10_000);
      assertArrayEquals(WireClient.frame(100, 2), second.readFrame(), "served once the first left");
      assertEquals(2, port.materialized.get());
      second.close();
    }
  }

  @Test
  void oversizeClosesOnlyThatConnectionAndIsCounted() throws Exception {
    EchoPort bad = new EchoPort("bad");
    EchoPort good = new EchoPort("good");
    Started n1 = start(kit, listen("big1", 0), bad);
    Started n2 = start(kit, listen("big2", 0), good);
    try (WireClient other = WireClient.connect(n2.boundPort());
        WireClient client = WireClient.connect(n1.boundPort())) {
      other.writeFrame(WireClient.frame(80, 1));
      assertArrayEquals(WireClient.frame(80, 1), other.readFrame());

      client.writeFrame(WireClient.frame(60, 1));
      assertArrayEquals(WireClient.frame(60, 1), client.readFrame());
      LoggingTestKit.error("oversized packet received, connection terminated")
          .withMessageContains("big1")
          .withMessageContains("69633")
          .expect(kit.system(), () -> {
            try {
              client.writeRaw(new byte[] {0, 1, 0x10, 0x01}); // 69633
              client.writeRaw(new byte[100]);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return null;
          });
      assertConnectionClosed(client);
      awaitDrop(bad, DropCause.OVERSIZE, 1);

      // The other netdev never noticed; the same netdev serves the next client.
      other.writeFrame(WireClient.frame(90, 2));
      assertArrayEquals(WireClient.frame(90, 2), other.readFrame());
      try (WireClient next = WireClient.connect(n1.boundPort())) {
        next.writeFrame(WireClient.frame(70, 3));
        assertArrayEquals(WireClient.frame(70, 3), next.readFrame());
      }
    }
    assertEquals(0, good.dropped(DropCause.OVERSIZE));
    assertEquals(1, bad.dropped(DropCause.OVERSIZE));
  }

  @Test
  void peerKilledMidFrameCountsPeerLostAndListenReArms() throws Exception {
    QueuePort port = new QueuePort("p");
    Started netdev = start(kit, listen("mid", 0), port);
    WireClient client = WireClient.connect(netdev.boundPort());
    client.writeFrame(WireClient.frame(200, 1));
    assertEquals(200, port.take().length());
    client.writeRaw(new byte[] {0, 0, 0x03, (byte) 0xe8}); // 1000 bytes announced
    client.writeRaw(new byte[500]); // half sent
    client.socket.setSoLinger(true, 0); // then reset, as a killed process's socket may be
    client.close();
    awaitDrop(port, DropCause.PEER_LOST, 1);
    port.awaitRunning(0);

    try (WireClient next = WireClient.connect(netdev.boundPort())) {
      next.writeFrame(WireClient.frame(300, 2));
      assertArrayEquals(WireClient.frame(300, 2), port.take().toArray());
      // And a peer that closes cleanly mid-frame counts the same way.
      next.writeRaw(new byte[] {0, 0, 0, 100, 1, 2, 3});
    }
    awaitDrop(port, DropCause.PEER_LOST, 2);
    assertTrue(port.received.isEmpty(), "partial frames never reach the port");
  }

  @Test
  void emptyHostListensOnAllAddresses() throws Exception {
    EchoPort port = new EchoPort("p");
    NetdevSpec.Stream spec = new NetdevSpec.Stream("any", true, new SocketAddr.Inet("", 0),
        Duration.ZERO, "socket,id=any,listen=:0");
    Started netdev = start(kit, spec, port);
    assertTrue(netdev.ready().description().startsWith("listening on 0.0.0.0:"));
    try (WireClient client = WireClient.connect(netdev.boundPort())) {
      client.writeFrame(WireClient.frame(42, 1));
      assertArrayEquals(WireClient.frame(42, 1), client.readFrame());
    }
  }

  @Test
  void portInUseFailsWithQemusWords() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Started netdev = start(kit, listen("busy", taken.getLocalPort()), new EchoPort("p"));
      assertEquals(new NetdevStatus.Failed("busy",
          "can't bind ip=127.0.0.1 to socket: Address already in use"), netdev.status());
    }
  }

  @Test
  void stoppingTheNetdevClosesItsPeerAndFreesThePort() throws Exception {
    EchoPort port = new EchoPort("p");
    Started netdev = start(kit, listen("stop", 0), port);
    try (WireClient client = WireClient.connect(netdev.boundPort())) {
      client.writeFrame(WireClient.frame(60, 1));
      client.readFrame();
      kit.stop(netdev.ref(), Duration.ofSeconds(10));
      assertConnectionClosed(client);
    }
    port.awaitRunning(0);
    // Freed promptly: before the netdev unbound explicitly, a killed listener kept the port
    // bound until some unrelated socket event woke Pekko's selector (observed: 10 s).
    awaitBindable(netdev.boundPort());
  }

  static void awaitBindable(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return;
      } catch (IOException stillBound) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("port " + port + " still bound after the netdev stopped");
        }
        Thread.sleep(20);
      }
    }
  }

  /** The netdev closed (or reset) the connection: reads end instead of timing out. */
  static void assertConnectionClosed(WireClient client) throws IOException {
    try {
      while (client.read() >= 0) {
        // drain whatever was in flight
      }
    } catch (SocketException reset) {
      // a reset is a close too
    }
  }

  static void awaitDrop(TestPorts.TestPort port, DropCause cause, long expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (port.dropped(cause) < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(cause + " drops: " + port.dropped(cause) + " < " + expected);
      }
      Thread.sleep(5);
    }
    assertEquals(expected, port.dropped(cause));
  }
}
