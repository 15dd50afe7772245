package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.UdpDatagram;
import io.fleetsim.addr.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the receive path delivers, and which counter each bad frame lands in. */
class Ipv4ReceiveTest {
  private static final long PEER_MAC = 0x0200_0000_0099L;
  private static final int PEER = Frames.ip("10.0.0.9");
  private static final int US = Frames.ip("10.0.0.1");
  private final VirtualClock clock = new VirtualClock();
  private TestHost h;
  private final List<UdpDatagram> got = new ArrayList<>();

  @BeforeEach
  void setUp() {
    h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.stack.udpBind(9000, got::add);
    h.link.sent().clear();
  }

  private long us() {
    return h.link.mac().bits();
  }

  private byte[] udpTo(int dst, long ethDst, byte[] payload) {
    return Frames.ipv4(ethDst, PEER_MAC, PEER, dst, 17, 64,
        Frames.udp(PEER, dst, 4000, 9000, payload, true));
  }

  private void assertOnly(StackCounter counter, byte[] frame) {
    long before = h.count(counter);
    long frames = h.count(StackCounter.RX_FRAMES);
    h.link.deliver(frame);
    assertEquals(frames + 1, h.count(StackCounter.RX_FRAMES));
    assertEquals(before + 1, h.count(counter), counter.key() + " in " + h.counters());
    assertTrue(h.counters().rxAccounted(), h.counters().toString());
  }

  @Test
  void deliversUnicastAndBroadcastUdp() {
    assertOnly(StackCounter.RX_DELIVERED, udpTo(US, us(), new byte[] {1, 2, 3}));
    assertOnly(StackCounter.RX_DELIVERED, udpTo(-1, Frames.BROADCAST, new byte[] {4}));
    assertOnly(StackCounter.RX_DELIVERED, udpTo(Frames.ip("10.0.0.255"), Frames.BROADCAST,
        new byte[] {5}));
    assertEquals(3, got.size());
    UdpDatagram d = got.get(0);
    assertEquals(Ipv4Address.parse("10.0.0.9"), d.source());
    assertEquals(4000, d.sourcePort());
    assertEquals(9000, d.destinationPort());
    assertEquals(3, d.payload().length);
    assertEquals(clock.now(), d.receivedAtNanos());
  }

  @Test
  void ethernetLevelDrops() {
    assertOnly(StackCounter.RX_DROP_TRUNCATED, new byte[13]);
    assertOnly(StackCounter.RX_DROP_TRUNCATED, new byte[0]);
    assertOnly(StackCounter.RX_DROP_NOT_FOR_US, udpTo(US, 0x0200_0000_0042L, new byte[1]));
    byte[] own = udpTo(US, us(), new byte[1]);
    ByteBuffer.wrap(own).putShort(6, (short) (us() >>> 32)).putInt(8, (int) us());
    assertOnly(StackCounter.RX_DROP_OWN_SOURCE, own);
    byte[] groupSource = udpTo(US, us(), new byte[1]);
    groupSource[6] = 1;
    assertOnly(StackCounter.RX_DROP_BAD_ADDRESS, groupSource);
    byte[] ipv6 = udpTo(US, us(), new byte[1]);
    ipv6[12] = (byte) 0x86;
    ipv6[13] = (byte) 0xDD;
    assertOnly(StackCounter.RX_DROP_UNKNOWN_PROTOCOL, ipv6);
    assertTrue(got.isEmpty());
  }

  @Test
  void ipLevelDrops() {
    byte[] badChecksum = udpTo(US, us(), new byte[1]);
    badChecksum[22]--; // TTL
    assertOnly(StackCounter.RX_DROP_BAD_CHECKSUM, badChecksum);
    byte[] fragment = udpTo(US, us(), new byte[1]);
    fragment[20] = 0x20;
    CodecTest.fixIpChecksum(fragment);
    assertOnly(StackCounter.RX_DROP_FRAGMENT, fragment);
    assertOnly(StackCounter.RX_DROP_NOT_FOR_US, udpTo(Frames.ip("10.0.0.7"), us(), new byte[1]));
    assertOnly(StackCounter.RX_DROP_NOT_FOR_US, udpTo(Frames.ip("239.1.2.3"),
        0x0100_5E01_0203L, new byte[1]));
    assertOnly(StackCounter.RX_DROP_UNKNOWN_PROTOCOL,
        Frames.ipv4(us(), PEER_MAC, PEER, US, 132, 64, new byte[20])); // SCTP (TCP is spoken now)
    byte[] broadcastSource = Frames.ipv4(us(), PEER_MAC, -1, US, 17, 64,
        Frames.udp(-1, US, 4000, 9000, new byte[1], true));
    assertOnly(StackCounter.RX_DROP_BAD_ADDRESS, broadcastSource);
    assertOnly(StackCounter.RX_DROP_BAD_ADDRESS, Frames.ipv4(us(), PEER_MAC, US, US, 17, 64,
        Frames.udp(US, US, 4000, 9000, new byte[1], true)));
    assertOnly(StackCounter.RX_DROP_BAD_ADDRESS, Frames.ipv4(us(), PEER_MAC,
        Frames.ip("10.0.0.255"), US, 17, 64,
        Frames.udp(Frames.ip("10.0.0.255"), US, 4000, 9000, new byte[1], true)));
    byte[] shortFrame = udpTo(US, us(), new byte[30]);
    byte[] cut = java.util.Arrays.copyOf(shortFrame, 50);
    assertOnly(StackCounter.RX_DROP_BAD_LENGTH, cut);
    assertTrue(got.isEmpty());
  }

  @Test
  void udpLevelDrops() {
    byte[] badUdp = udpTo(US, us(), new byte[] {1, 2, 3});
    badUdp[42] ^= 1; // payload changed after the checksum
    assertOnly(StackCounter.RX_DROP_BAD_CHECKSUM, badUdp);
    byte[] noPort = Frames.ipv4(us(), PEER_MAC, PEER, US, 17, 64,
        Frames.udp(PEER, US, 4000, 9001, new byte[1], true));
    assertOnly(StackCounter.RX_DROP_NO_PORT, noPort);
    byte[] zero = Frames.ipv4(us(), PEER_MAC, PEER, US, 17, 64,
        Frames.udp(PEER, US, 4000, 9000, new byte[] {7}, false));
    assertOnly(StackCounter.RX_DELIVERED, zero);
    assertEquals(1, got.size(), "a zero UDP checksum means none");
  }

  @Test
  void ethernetPaddingIsIgnored() {
    byte[] frame = udpTo(US, us(), new byte[] {9}); // 43 bytes of content, padded to 60
    assertEquals(60, frame.length);
    assertOnly(StackCounter.RX_DELIVERED, frame);
    assertEquals(1, got.get(0).payload().length);
  }

  @Test
  void answersEchoRequestsToUsButNotToBroadcast() {
    h.link.deliver(Frames.arp(us(), 2, PEER_MAC, PEER, us(), US)); // learn the peer first
    h.link.sent().clear();
    byte[] payload = {1, 2, 3, 4, 5};
    assertOnly(StackCounter.RX_DELIVERED, Frames.ipv4(us(), PEER_MAC, PEER, US, 1, 64,
        Frames.icmpEcho(8, 0x1234, 7, payload)));
    assertEquals(1, h.link.sent().size());
    byte[] reply = h.link.sent().get(0);
    byte[] expected = Frames.ipv4(PEER_MAC, us(), US, PEER, 1, 64,
        Frames.icmpEcho(0, 0x1234, 7, payload));
    // Identification differs (ours counts from 0); compare everything else.
    ByteBuffer r = ByteBuffer.wrap(reply);
    ByteBuffer e = ByteBuffer.wrap(expected);
    assertEquals(e.slice(0, 18), r.slice(0, 18));
    assertEquals(e.slice(20, 4), r.slice(20, 4), "flags, TTL 64, protocol");
    assertEquals(e.slice(26, expected.length - 26), r.slice(26, reply.length - 26));
    assertEquals(0, Frames.sum(reply, 14, 20, 0), "IPv4 checksum");
    h.link.sent().clear();
    assertOnly(StackCounter.RX_DROP_NOT_FOR_US, Frames.ipv4(Frames.BROADCAST, PEER_MAC, PEER, -1,
        1, 64, Frames.icmpEcho(8, 1, 1, payload)));
    assertTrue(h.link.sent().isEmpty());
    assertOnly(StackCounter.RX_DROP_UNSUPPORTED, Frames.ipv4(us(), PEER_MAC, PEER, US, 1, 64,
        Frames.icmpEcho(13, 0, 0, new byte[12]))); // timestamp request
    // an error whose quoted header is no IPv4 header
    assertOnly(StackCounter.RX_DROP_BAD_HEADER, Frames.ipv4(us(), PEER_MAC, PEER, US, 1, 64,
        Frames.icmpEcho(3, 0, 0, new byte[28])));
    assertOnly(StackCounter.RX_DROP_UNMATCHED, Frames.ipv4(us(), PEER_MAC, PEER, US, 1, 64,
        Frames.icmpEcho(0, 0x4321, 0, payload)));
  }

  @Test
  void unconfiguredStackAcceptsOnlyUdpForDhcp() {
    TestHost fresh = new TestHost(clock, 3);
    fresh.link.deliver(Frames.ipv4(fresh.link.mac().bits(), PEER_MAC, PEER, US, 1, 64,
        Frames.icmpEcho(8, 1, 1, new byte[4])));
    assertEquals(1, fresh.count(StackCounter.RX_DROP_NOT_FOR_US));
    fresh.link.deliver(Frames.ipv4(fresh.link.mac().bits(), PEER_MAC, PEER, US, 17, 64,
        Frames.udp(PEER, US, 67, 68, new byte[4], true)));
    assertEquals(1, fresh.count(StackCounter.RX_DROP_NO_PORT), "UDP reaches the port table");
  }

  @Test
  void loopbackToOwnAddress() {
    List<UdpDatagram> mine = new ArrayList<>();
    h.stack.udpBind(9100, mine::add);
    assertEquals(SendStatus.LOOPED_BACK,
        h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.1"), 9100, new byte[] {42}));
    assertTrue(mine.isEmpty(), "not delivered synchronously");
    clock.runFor(0);
    assertEquals(1, mine.size());
    assertTrue(h.link.sent().isEmpty(), "the link never saw it");
    assertTrue(h.counters().rxAccounted());
  }

  @Test
  void chargesTheCpu() {
    long before = h.env.cycles();
    h.link.deliver(udpTo(US, us(), new byte[1]));
    assertEquals(before + h.env.cpu().costs().rxPacket(), h.env.cycles());
    h.link.deliver(Frames.arp(us(), 2, PEER_MAC, PEER, us(), US));
    long mid = h.env.cycles();
    h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.9"), 1, new byte[1]);
    assertEquals(mid + h.env.cpu().costs().txPacket(), h.env.cycles());
  }
}
