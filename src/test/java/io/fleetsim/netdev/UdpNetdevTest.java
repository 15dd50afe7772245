package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import io.fleetsim.time.RealClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
class UdpNetdevTest {
  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Pattern LOCAL_PORT = Pattern.compile("^udp 127\\.0\\.0\\.1:(\\d+) -> ");

  /** A running unicast netdev on 127.0.0.1:ephemeral sending to {@code remotePort}. */
  private record Started(ActorRef<DatagramNetdev.Command> netdev, InetSocketAddress local) {}

  private Started start(ProbeOrEcho port, int remotePort, DatagramOptions options) {
    TestProbe<NetdevStatus> status = testKit.createTestProbe();
    NetdevSpec spec = new NetdevSpec.Udp("u0", new SocketAddr.Inet("127.0.0.1", 0),
        new SocketAddr.Inet("127.0.0.1", remotePort),
        "socket,id=u0,udp=127.0.0.1:" + remotePort + ",localaddr=127.0.0.1:0");
    ActorRef<DatagramNetdev.Command> netdev =
        testKit.spawn(DatagramNetdev.create(spec, port.port(), options, RealClock.system(),
            status.ref()));
    NetdevStatus.Ready ready = status.expectMessageClass(NetdevStatus.Ready.class,
        ProbePort.WAIT);
    Matcher m = LOCAL_PORT.matcher(ready.description());
    assertTrue(m.find(), ready.description());
    assertTrue(ready.description().endsWith(" -> 127.0.0.1:" + remotePort), ready.description());
    return new Started(netdev, new InetSocketAddress(LOOPBACK, Integer.parseInt(m.group(1))));
  }

  /** Either test port, for {@link #start}. */
  private interface ProbeOrEcho {
    io.fleetsim.link.Port port();
  }

  private static DatagramSocket plainSocket() throws Exception {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    socket.setSoTimeout((int) ProbePort.WAIT.toMillis());
    return socket;
  }

  private static void send(DatagramSocket from, byte[] payload, InetSocketAddress to)
      throws Exception {
    from.send(new DatagramPacket(payload, payload.length, to));
  }

  private static DatagramPacket receive(DatagramSocket socket) throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[70000], 70000);
    socket.receive(packet);
    return packet;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void roundTripWithPlainDatagramSocket() throws Exception {
    try (DatagramSocket plain = plainSocket()) {
      ProbePort port = new ProbePort("u0", testKit.system());
      Started started = start(() -> port, plain.getLocalPort(), DatagramOptions.defaults());
      ProbePort.Link link = port.awaitLink();

      send(plain, bytes("from plain socket"), started.local());
      assertEquals(ByteString.fromString("from plain socket"), link.next());

      link.toWire().sendNext(ByteString.fromString("from the fabric"));
      DatagramPacket packet = receive(plain);
      assertEquals("from the fabric",
          new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII));
      assertEquals(started.local(), packet.getSocketAddress(),
          "sent from the netdev's bound address");
    }
  }

  @Test
  void datagramsFromAnySourceAreAccepted() throws Exception {
    try (DatagramSocket remote = plainSocket(); DatagramSocket stranger = plainSocket()) {
      ProbePort port = new ProbePort("u0", testKit.system());
      Started started = start(() -> port, remote.getLocalPort(), DatagramOptions.defaults());
      ProbePort.Link link = port.awaitLink();
      send(stranger, bytes("not from the remote"), started.local());
      assertEquals(ByteString.fromString("not from the remote"), link.next());
    }
  }

  @Test
  void echoPortSendsEveryDatagramBackToTheRemote() throws Exception {
    try (DatagramSocket plain = plainSocket()) {
      EchoPort port = new EchoPort();
      Started started = start(() -> port, plain.getLocalPort(), DatagramOptions.defaults());
      for (int i = 0; i < 100; i++) {
        byte[] payload = bytes("frame " + i);
        send(plain, payload, started.local());
        DatagramPacket back = receive(plain);
        assertEquals("frame " + i,
            new String(back.getData(), 0, back.getLength(), StandardCharsets.US_ASCII));
      }
      assertEquals(1, port.linksMaterialized());
    }
  }

  @Test
  void zeroLengthDatagramsAreDroppedAndCountedBothWays() throws Exception {
    try (DatagramSocket plain = plainSocket()) {
      ProbePort port = new ProbePort("u0", testKit.system());
      Started started = start(() -> port, plain.getLocalPort(), DatagramOptions.defaults());
      ProbePort.Link link = port.awaitLink();

      send(plain, new byte[0], started.local());
      send(plain, bytes("after the empty one"), started.local());
      assertEquals(ByteString.fromString("after the empty one"), link.next(),
          "the empty datagram is not delivered and reading goes on");
      assertEquals(1, port.drops("zero-length"));

      link.toWire().sendNext(ByteString.emptyByteString());
      link.toWire().sendNext(ByteString.fromString("after the empty frame"));
      DatagramPacket packet = receive(plain);
      assertEquals("after the empty frame",
          new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII),
          "no zero-length datagram was sent");
      assertEquals(2, port.drops("zero-length"));
    }
  }

  @Test
  void aPortThatStopsPullingSuspendsReadingAndLosesNothingWhenItResumes() throws Exception {
    DatagramOptions options = new DatagramOptions(8, 256, 16, 4,
        DatagramOptions.defaults().echo());
    try (DatagramSocket plain = plainSocket()) {
      ProbePort port = new ProbePort("u0", testKit.system());
      Started started = start(() -> port, plain.getLocalPort(), options);
      ProbePort.Link link = port.awaitLink();
      // Send in small bursts until datagrams stay in the kernel: the netdev read a queue's
      // worth (16) and then stopped reading. Far fewer than the 256 it could queue itself.
      int sent = 0;
      long waiting = 0;
      while (sent < 200 && waiting == 0) {
        for (int i = 0; i < 8; i++, sent++) {
          byte[] payload = new byte[64];
          payload[0] = (byte) sent;
          send(plain, payload, started.local());
        }
        waiting = awaitSteadyReceiveQueue(started.local());
      }
      assertTrue(waiting > 0, "datagrams wait in the kernel while the port does not pull");
      assertTrue(sent < 200, "reading stopped after " + sent + " datagrams");

      link.fromWire().request(sent);
      for (int i = 0; i < sent; i++) {
        ByteString frame = link.fromWire().expectNext(ProbePort.WAIT);
        assertEquals((byte) i, frame.apply(0), "datagram " + i + " in order");
      }
      assertEquals(0, ProcNetUdp.receiveQueue(started.local()));
      assertEquals(0, port.drops("receive-overflow"));

      // Still working after the pause.
      send(plain, bytes("later"), started.local());
      assertEquals(ByteString.fromString("later"), link.next());
    }
  }

  /**
   * The socket's kernel queue once it stopped changing (two reads 200 ms apart agree): zero when
   * the netdev keeps reading, the bytes left when it stopped.
   */
  private static long awaitSteadyReceiveQueue(InetSocketAddress local) throws Exception {
    long previous = ProcNetUdp.receiveQueue(local);
    for (int i = 0; i < 50; i++) {
      Thread.sleep(200);
      long now = ProcNetUdp.receiveQueue(local);
      if (now == previous) {
        return now;
      }
      previous = now;
    }
    throw new AssertionError("the kernel queue of " + local + " never settled");
  }

  @Test
  void aRefusedSendIsCountedAndTheNetdevKeepsWorking() throws Exception {
    // 127.255.255.255 is lo's broadcast address: without SO_BROADCAST (QEMU does not set it
    // either) the kernel refuses every send with EACCES.
    TestProbe<NetdevStatus> status = testKit.createTestProbe();
    ProbePort port = new ProbePort("u0", testKit.system());
    NetdevSpec spec = new NetdevSpec.Udp("u0", new SocketAddr.Inet("127.0.0.1", 0),
        new SocketAddr.Inet("127.255.255.255", 9), "socket,id=u0,...");
    ActorRef<DatagramNetdev.Command> netdev =
        testKit.spawn(DatagramNetdev.create(spec, port, DatagramOptions.defaults(),
            RealClock.system(), status.ref()));
    NetdevStatus.Ready ready = status.expectMessageClass(NetdevStatus.Ready.class,
        ProbePort.WAIT);
    Matcher m = LOCAL_PORT.matcher(ready.description());
    assertTrue(m.find(), ready.description());
    InetSocketAddress local = new InetSocketAddress(LOOPBACK, Integer.parseInt(m.group(1)));
    ProbePort.Link link = port.awaitLink();

    for (int i = 0; i < 3; i++) {
      link.toWire().sendNext(ByteString.fromString("refused " + i));
    }
    long deadline = System.nanoTime() + ProbePort.WAIT.toNanos();
    while (port.drops("send-failed") < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(3, port.drops("send-failed"));

    // each refused send closes Pekko's socket and the netdev opens it again on the same port; a
    // datagram that comes while it is closed is lost as on any closed UDP port, so send until
    // one is read (the netdev keeps working), not once
    try (DatagramSocket plain = plainSocket()) {
      link.fromWire().request(1);
      ByteString got = null;
      for (long until = System.nanoTime() + ProbePort.WAIT.toNanos(); got == null
          && System.nanoTime() < until; ) {
        send(plain, bytes("still listening"), local);
        try {
          got = link.fromWire().expectNext(Duration.ofMillis(200));
        } catch (AssertionError nothingYet) {
          // still re-opening
        }
      }
      assertEquals(ByteString.fromString("still listening"), got);
    }
    assertEquals(0, port.pendingLinks(), "the same link: the fabric saw no peer change");
    testKit.stop(netdev);
  }

  @Test
  void aTakenPortFailsLikeQemu() throws Exception {
    // A socket without SO_REUSEADDR holds the address (QEMU's own sockets do set it).
    try (DatagramSocket holder = plainSocket()) {
      TestProbe<NetdevStatus> status = testKit.createTestProbe();
      NetdevSpec spec = new NetdevSpec.Udp("u0",
          new SocketAddr.Inet("127.0.0.1", holder.getLocalPort()),
          new SocketAddr.Inet("127.0.0.1", 9), "socket,id=u0,...");
      ProbePort port = new ProbePort("u0", testKit.system());
      testKit.spawn(DatagramNetdev.create(spec, port, DatagramOptions.defaults(),
          RealClock.system(), status.ref()));
      NetdevStatus.Failed failed = status.expectMessageClass(NetdevStatus.Failed.class,
          ProbePort.WAIT);
      assertEquals("u0", failed.netdevId());
      assertEquals("can't bind ip=127.0.0.1 to socket: Address already in use", failed.reason());
      assertEquals(0, port.pendingLinks(), "no link for a netdev that never bound");
    }
  }

  @Test
  void unixDatagramSocketsFailWithAClearMessage() {
    TestProbe<NetdevStatus> status = testKit.createTestProbe();
    NetdevSpec spec = new NetdevSpec.Udp("d0", new SocketAddr.Unix("/tmp/fleetsim-a.sock"),
        new SocketAddr.Unix("/tmp/fleetsim-b.sock"), "dgram,id=d0,...");
    ProbePort port = new ProbePort("d0", testKit.system());
    testKit.spawn(DatagramNetdev.create(spec, port, DatagramOptions.defaults(), RealClock.system(),
        status.ref()));
    NetdevStatus.Failed failed = status.expectMessageClass(NetdevStatus.Failed.class,
        ProbePort.WAIT);
    assertEquals("unix datagram sockets (unix:/tmp/fleetsim-a.sock) are not supported by the "
        + "Java runtime fleetsim runs on", failed.reason());
  }

  @Test
  void inheritedDescriptorsFailWithAClearMessage() {
    TestProbe<NetdevStatus> status = testKit.createTestProbe();
    NetdevSpec spec = new NetdevSpec.Udp("d0", new SocketAddr.Fd(3),
        new SocketAddr.Inet("127.0.0.1", 9), "dgram,id=d0,...");
    testKit.spawn(DatagramNetdev.create(spec, new ProbePort("d0", testKit.system()),
        DatagramOptions.defaults(), RealClock.system(), status.ref()));
    NetdevStatus.Failed failed = status.expectMessageClass(NetdevStatus.Failed.class,
        ProbePort.WAIT);
    assertTrue(failed.reason().startsWith("inherited file descriptors (fd:3) are not supported"),
        failed.reason());
  }

  @Test
  void stoppingTheNetdevClosesItsSocket() throws Exception {
    try (DatagramSocket plain = plainSocket()) {
      ProbePort port = new ProbePort("u0", testKit.system());
      Started started = start(() -> port, plain.getLocalPort(), DatagramOptions.defaults());
      ProbePort.Link link = port.awaitLink();
      testKit.stop(started.netdev());
      link.fromWire().request(1);
      link.fromWire().expectComplete();
      long deadline = System.nanoTime() + ProbePort.WAIT.toNanos();
      while (ProcNetUdp.receiveQueue(started.local()) != -1) {
        if (System.nanoTime() > deadline) {
          fail("socket " + started.local() + " still open after the netdev stopped");
        }
        Thread.sleep(20);
      }
    }
  }
}
