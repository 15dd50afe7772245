package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import io.fleetsim.time.RealClock;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Multicast netdevs on loopback. The test JVM runs in a private network namespace with a
 * 224.0.0.0/4 route on lo (see src/test/netns), so each test may use any group and port.
 */
@ExtendWith(TestKitJUnit5Extension.class)
class MulticastNetdevTest {
  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static NetdevSpec.Multicast spec(String id, String group, int port,
      Optional<String> localAddr) {
    return new NetdevSpec.Multicast(id, new SocketAddr.Inet(group, port), localAddr,
        "socket,id=" + id + ",mcast=" + group + ":" + port
            + localAddr.map(a -> ",localaddr=" + a).orElse(""));
  }

  private NetdevStatus start(NetdevSpec spec, io.fleetsim.link.Port port) {
    TestProbe<NetdevStatus> status = testKit.createTestProbe();
    testKit.spawn(DatagramNetdev.create(spec, port, DatagramOptions.defaults(), RealClock.system(),
        status.ref()));
    return status.expectMessageClass(NetdevStatus.class, ProbePort.WAIT);
  }

  private ProbePort.Link startReady(String id, String group, int port, ProbePort fabricPort) throws Exception {
    NetdevStatus status = start(spec(id, group, port, Optional.of("127.0.0.1")), fabricPort);
    assertEquals(new NetdevStatus.Ready(id,
        "multicast group " + group + ":" + port + " on 127.0.0.1"), status);
    return fabricPort.awaitLink();
  }

  private static MulticastSocket plainMember(String group, int port) throws Exception {
    MulticastSocket member = new MulticastSocket(port);
    member.joinGroup(new InetSocketAddress(group, 0), NetworkInterface.getByName("lo"));
    member.setSoTimeout((int) ProbePort.WAIT.toMillis());
    return member;
  }

  private static void send(MulticastSocket member, ByteString frame, String group, int port)
      throws Exception {
    byte[] bytes = frame.toArray();
    member.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(group), port));
  }

  /**
   * The next datagram a plain member receives that it did not send itself. Its own come back too
   * (loop back), from the same address and port as fleetsim's: the member marks its frames.
   */
  private static ByteString receiveFromOthers(MulticastSocket member) throws Exception {
    while (true) {
      DatagramPacket packet = new DatagramPacket(new byte[70000], 70000);
      member.receive(packet);
      ByteString frame = ByteString.fromArray(packet.getData(), 0, packet.getLength());
      if (!frame.utf8String().startsWith("member:")) {
        return frame;
      }
    }
  }

  @Test
  void twoNetdevsOnOneGroupSeeEachOtherButNotThemselves() throws Exception {
    ProbePort portA = new ProbePort("a", testKit.system());
    ProbePort portB = new ProbePort("b", testKit.system());
    ProbePort.Link a = startReady("a", "230.0.0.11", 24011, portA);
    ProbePort.Link b = startReady("b", "230.0.0.11", 24011, portB);

    a.toWire().sendNext(ByteString.fromString("one from a"));
    assertEquals(ByteString.fromString("one from a"), b.next());
    b.toWire().sendNext(ByteString.fromString("one from b"));
    // a's own frame came back to a's socket before b's (it was looped back first): had it not
    // been recognised as an echo, a would see it here.
    assertEquals(ByteString.fromString("one from b"), a.next());
    a.toWire().sendNext(ByteString.fromString("two from a"));
    assertEquals(ByteString.fromString("two from a"), b.next());
  }

  @Test
  void roundTripWithAPlainMulticastSocketMember() throws Exception {
    String group = "230.0.0.12";
    int port = 24012;
    try (MulticastSocket member = plainMember(group, port)) {
      ProbePort fabric = new ProbePort("m0", testKit.system());
      ProbePort.Link link = startReady("m0", group, port, fabric);

      link.toWire().sendNext(ByteString.fromString("frame from fleetsim"));
      assertEquals(ByteString.fromString("frame from fleetsim"), receiveFromOthers(member));

      send(member, ByteString.fromString("member: hello"), group, port);
      assertEquals(ByteString.fromString("member: hello"), link.next(),
          "the member's frame, not fleetsim's own looped-back one");
    }
  }

  @Test
  void anIdenticalFrameFromAnotherMemberIsNotTakenForAnEcho() throws Exception {
    String group = "230.0.0.13";
    int port = 24013;
    try (MulticastSocket member = plainMember(group, port)) {
      ProbePort fabric = new ProbePort("m0", testKit.system());
      ProbePort.Link link = startReady("m0", group, port, fabric);
      ByteString frame = ByteString.fromString("the same bytes");

      link.toWire().sendNext(frame);
      assertEquals(frame, receiveFromOthers(member));
      // Our copy was looped back (and consumed) before the member even received it.
      send(member, frame, group, port);
      assertEquals(frame, link.next(), "the member's identical frame is delivered");
      send(member, ByteString.fromString("member: marker"), group, port);
      assertEquals(ByteString.fromString("member: marker"), link.next(), "and only once");
    }
  }

  @Test
  void withoutEchoSuppressionOwnFramesComeBackLikeInQemu() throws Exception {
    ProbePort fabric = new ProbePort("m0", testKit.system());
    TestProbe<NetdevStatus> status = testKit.createTestProbe();
    testKit.spawn(DatagramNetdev.create(spec("m0", "230.0.0.14", 24014, Optional.of("127.0.0.1")),
        fabric, DatagramOptions.defaults().withEcho(Optional.empty()), RealClock.system(),
            status.ref()));
    status.expectMessageClass(NetdevStatus.Ready.class, ProbePort.WAIT);
    ProbePort.Link link = fabric.awaitLink();
    link.toWire().sendNext(ByteString.fromString("boomerang"));
    assertEquals(ByteString.fromString("boomerang"), link.next());
  }

  @Test
  void zeroLengthDatagramIsDroppedCountedAndReadingGoesOn() throws Exception {
    String group = "230.0.0.15";
    int port = 24015;
    try (MulticastSocket member = plainMember(group, port)) {
      ProbePort fabric = new ProbePort("m0", testKit.system());
      ProbePort.Link link = startReady("m0", group, port, fabric);
      send(member, ByteString.emptyByteString(), group, port);
      send(member, ByteString.fromString("member: after empty"), group, port);
      assertEquals(ByteString.fromString("member: after empty"), link.next());
      assertEquals(1, fabric.drops("zero-length"));
    }
  }

  @Test
  void withoutLocaladdrTheRoutedInterfaceIsJoined() throws Exception {
    String group = "230.0.0.16";
    int port = 24016;
    try (MulticastSocket member = plainMember(group, port)) {
      ProbePort fabric = new ProbePort("m0", testKit.system());
      NetdevStatus status = start(spec("m0", group, port, Optional.empty()), fabric);
      // The namespace routes 224.0.0.0/4 to lo, whose address is 127.0.0.1.
      assertEquals(new NetdevStatus.Ready("m0", "multicast group 230.0.0.16:24016 on 127.0.0.1"),
          status);
      ProbePort.Link link = fabric.awaitLink();
      send(member, ByteString.fromString("member: routed"), group, port);
      assertEquals(ByteString.fromString("member: routed"), link.next());
      link.toWire().sendNext(ByteString.fromString("back"));
      assertEquals(ByteString.fromString("back"), receiveFromOthers(member));
    }
  }

  @Test
  void severalMembersShareTheGroupPortLikeQemu() throws Exception {
    // SO_REUSEADDR: a plain member bound first, then two netdevs, all on group:port.
    String group = "230.0.0.17";
    int port = 24017;
    try (MulticastSocket member = plainMember(group, port)) {
      ProbePort pa = new ProbePort("a", testKit.system());
      ProbePort pb = new ProbePort("b", testKit.system());
      ProbePort.Link a = startReady("a", group, port, pa);
      ProbePort.Link b = startReady("b", group, port, pb);
      send(member, ByteString.fromString("member: to all"), group, port);
      assertEquals(ByteString.fromString("member: to all"), a.next());
      assertEquals(ByteString.fromString("member: to all"), b.next());
    }
  }

  @Test
  void notAMulticastAddressFailsInQemuWords() {
    NetdevStatus status = start(spec("m0", "127.0.0.1", 24018, Optional.empty()),
        new ProbePort("m0", testKit.system()));
    assertEquals(new NetdevStatus.Failed("m0",
        "specified mcastaddr 127.0.0.1 (0x7f000001) does not contain a multicast address"), status);
  }

  @Test
  void aLocaladdrThatIsNotAnAddressFailsInQemuWords() {
    NetdevStatus status = start(spec("m0", "230.0.0.19", 24019, Optional.of("localhost")),
        new ProbePort("m0", testKit.system()));
    assertEquals(new NetdevStatus.Failed("m0",
        "localaddr 'localhost' is not a valid IPv4 address"), status);
  }

  @Test
  void aLocaladdrOnNoInterfaceFailsLikeQemu() {
    // 192.0.2.1 (TEST-NET-1) is on no interface here; nothing is sent to it.
    NetdevStatus status = start(spec("m0", "230.0.0.20", 24020, Optional.of("192.0.2.1")),
        new ProbePort("m0", testKit.system()));
    assertEquals(new NetdevStatus.Failed("m0",
        "can't add socket to multicast group 230.0.0.20: No such device"), status);
  }

  @Test
  void aGroupPortHeldWithoutReuseFailsLikeQemu() throws Exception {
    try (DatagramChannel holder = DatagramChannel.open(StandardProtocolFamily.INET)) {
      holder.bind(new InetSocketAddress("230.0.0.21", 24021));
      ProbePort fabric = new ProbePort("m0", testKit.system());
      NetdevStatus status = start(spec("m0", "230.0.0.21", 24021, Optional.of("127.0.0.1")),
          fabric);
      assertEquals(new NetdevStatus.Failed("m0",
          "can't bind ip=230.0.0.21 to socket: Address already in use"), status);
      assertEquals(0, fabric.pendingLinks(), "no link for a netdev that never bound");
    }
  }

  @Test
  void localaddrOnTheLoopbackNetworkIsOnLoLikeTheKernelSays() throws Exception {
    // QEMU 7.2 accepts localaddr=127.0.0.2: the kernel finds lo through its local route.
    ProbePort fabric = new ProbePort("m0", testKit.system());
    NetdevStatus status = start(spec("m0", "230.0.0.22", 24022, Optional.of("127.0.0.2")), fabric);
    assertEquals(new NetdevStatus.Ready("m0", "multicast group 230.0.0.22:24022 on 127.0.0.2"),
        status);
  }
}
