package io.fleetsim.guest;

import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.addr.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Whatever arrives from the network, the stack never throws and accounts for every frame:
 * rxFrames = rxDelivered + the sum of rxDrop* (loopback included on both sides).
 */
class StackRobustnessProperties {
  private static final long PEER_MAC = 0x0200_0000_0099L;
  private static final int US = Frames.ip("10.0.0.1");
  private static final int PEER = Frames.ip("10.0.0.9");

  /** A configured stack with a bound port and an echo socket, and an unconfigured DHCP one. */
  private static final class Rig {
    final VirtualClock clock = new VirtualClock();
    final TestHost host = new TestHost(clock, 1).configured("10.0.0.1", 24);
    final TestHost dhcp = new TestHost(clock, 2);
    final EchoSocket echo;
    final int xid;

    Rig() {
      host.stack.udpBind(9000, d -> {});
      echo = host.stack.openEcho(r -> {});
      echo.send(Ipv4Address.parse("10.0.0.9"), 1, new byte[8]);
      dhcp.stack.dhcp();
      clock.runForMillis(1);
      byte[] discover = dhcp.link.sent().get(0);
      xid = ByteBuffer.wrap(discover).getInt(46);
    }

    void deliverToBoth(byte[] frame) {
      host.link.deliver(frame.clone());
      dhcp.link.deliver(frame);
    }

    void assertAccounted(long delivered) {
      for (TestHost t : new TestHost[] {host, dhcp}) {
        StackCounters c = t.counters();
        assertEquals(delivered + c.get(StackCounter.TX_LOOPBACK), c.get(StackCounter.RX_FRAMES),
            c.toString());
        assertTrue(c.rxAccounted(), c.toString());
      }
    }

    /** Valid frames of every kind the stacks handle. */
    List<byte[]> valid() {
      long us = host.link.mac().bits();
      long dhcpMac = dhcp.link.mac().bits();
      List<byte[]> out = new ArrayList<>();
      out.add(Frames.arp(Frames.BROADCAST, 1, PEER_MAC, PEER, 0, US));
      out.add(Frames.arp(us, 2, PEER_MAC, PEER, us, US));
      out.add(Frames.ipv4(us, PEER_MAC, PEER, US, 1, 64, Frames.icmpEcho(8, 7, 1, new byte[56])));
      out.add(Frames.ipv4(us, PEER_MAC, PEER, US, 1, 64,
          Frames.icmpEcho(0, echo.id(), 1, new byte[8])));
      out.add(Frames.ipv4(us, PEER_MAC, PEER, US, 17, 64,
          Frames.udp(PEER, US, 4000, 9000, new byte[32], true)));
      out.add(Frames.ipv4(Frames.BROADCAST, PEER_MAC, PEER, -1, 17, 64,
          Frames.udp(PEER, -1, 4000, 9000, new byte[3], true)));
      for (int type : new int[] {2, 5, 6}) {
        out.add(dhcpReply(dhcpMac, type));
      }
      byte[] withOptions = Frames.ipv4(us, PEER_MAC, PEER, US, 17, 64,
          Frames.udp(PEER, US, 4000, 9000, new byte[12], true));
      withOptions[14] = 0x46; // IHL 6: the first 4 UDP bytes now read as an option
      CodecTest.fixIpChecksum(withOptions);
      out.add(withOptions);
      return out;
    }

    private byte[] dhcpReply(long mac, int type) {
      ByteBuffer p = ByteBuffer.allocate(300);
      p.put((byte) 2).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid);
      p.position(16);
      p.putInt(Frames.ip("10.0.2.15")).putInt(Frames.ip("10.0.2.2"));
      p.position(28);
      Frames.putMac(p, mac);
      p.position(236);
      p.putInt(0x63825363).put((byte) 53).put((byte) 1).put((byte) type);
      p.put((byte) 54).put((byte) 4).putInt(Frames.ip("10.0.2.2"));
      p.put((byte) 1).put((byte) 4).putInt(0xFFFFFF00);
      p.put((byte) 3).put((byte) 4).putInt(Frames.ip("10.0.2.2"));
      p.put((byte) 51).put((byte) 4).putInt(3600).put((byte) 255);
      return Frames.ipv4(Frames.BROADCAST, PEER_MAC, Frames.ip("10.0.2.2"), -1, 17, 64,
          Frames.udp(Frames.ip("10.0.2.2"), -1, 67, 68, p.array(), true));
    }
  }

  @Provide
  Arbitrary<List<byte[]>> garbage() {
    Arbitrary<byte[]> frame = Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(80),
        Arbitraries.bytes().array(byte[].class).ofMinSize(80).ofMaxSize(1600));
    return frame.list().ofMaxSize(20);
  }

  @Property(tries = 300)
  void arbitraryBytesNeverThrowAndAreCounted(@ForAll("garbage") List<byte[]> frames) {
    Rig rig = new Rig();
    for (byte[] f : frames) {
      rig.deliverToBoth(f);
    }
    rig.clock.runForMillis(5_000);
    rig.assertAccounted(frames.size());
  }

  @Property(tries = 300)
  void arbitraryPayloadsBehindValidHeadersNeverThrow(@ForAll("garbage") List<byte[]> payloads) {
    Rig rig = new Rig();
    long us = rig.host.link.mac().bits();
    int n = 0;
    for (byte[] p : payloads) {
      // Valid Ethernet + IPv4 headers (checksum right) around arbitrary ICMP/UDP/other bytes.
      int protocol = p.length == 0 ? 17 : new int[] {1, 17, 6, 0}[(p[0] & 0xFF) % 4];
      byte[] body = Arrays.copyOf(p, Math.min(p.length, 1480));
      rig.deliverToBoth(Frames.ipv4(us, PEER_MAC, PEER, US, protocol, 64, body));
      // And arbitrary bytes as an ARP body.
      byte[] arp = Arrays.copyOf(Frames.arp(Frames.BROADCAST, 1, 0, 0, 0, 0), 14 + body.length);
      System.arraycopy(body, 0, arp, 14, body.length);
      rig.deliverToBoth(arp);
      n += 2;
    }
    rig.clock.runForMillis(5_000);
    rig.assertAccounted(n);
  }

  @Property(tries = 1000)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void mutatedValidFramesNeverThrowAndAreCounted(@ForAll long seed) {
    Random r = new Random(seed);
    Rig rig = new Rig();
    List<byte[]> valid = rig.valid();
    int frames = 1 + r.nextInt(12);
    for (int i = 0; i < frames; i++) {
      byte[] f = mutate(valid.get(r.nextInt(valid.size())).clone(), r);
      rig.deliverToBoth(f);
      if (r.nextInt(4) == 0) {
        rig.clock.runForMillis(r.nextInt(20_000));
      }
    }
    rig.clock.runForMillis(100_000);
    rig.assertAccounted(frames);
    for (StackCounter c : StackCounter.values()) {
      if (c.kind() == StackCounter.Kind.RX_OUTCOME && rig.host.count(c) + rig.dhcp.count(c) > 0) {
        Statistics.label("outcomes seen").collect(c.key());
      }
    }
    // mutations that always broke the frame beyond parsing would test only the first check
    Statistics.label("outcomes seen").coverage(c -> {
      c.check(StackCounter.RX_DELIVERED.key()).percentage(p -> p >= 5);
    });
    // Still alive: a good datagram is delivered afterwards.
    long delivered = rig.host.count(StackCounter.RX_DELIVERED);
    rig.host.link.deliver(valid.get(4));
    assertEquals(delivered + 1, rig.host.count(StackCounter.RX_DELIVERED));
  }

  private static byte[] mutate(byte[] f, Random r) {
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits && f.length > 0; e++) {
      switch (r.nextInt(6)) {
        case 0:
          f[r.nextInt(f.length)] = (byte) r.nextInt(256);
          break;
        case 1:
          f = Arrays.copyOf(f, r.nextInt(f.length + 1));
          break;
        case 2:
          int extra = r.nextInt(64);
          byte[] longer = Arrays.copyOf(f, f.length + extra);
          for (int i = f.length; i < longer.length; i++) {
            longer[i] = (byte) r.nextInt(256);
          }
          f = longer;
          break;
        case 3: {
          // A length-like 16-bit field: IP total length, UDP length, ICMP/UDP ports, options.
          int[] spots = {16, 38, 34, 36, 20, 282, 283, 284};
          int at = spots[r.nextInt(spots.length)];
          if (at + 1 < f.length) {
            f[at] = (byte) r.nextInt(256);
            f[at + 1] = (byte) r.nextInt(256);
          }
          break;
        }
        case 4:
          f[r.nextInt(Math.min(f.length, 14 + 20))] ^= (byte) (1 << r.nextInt(8));
          break;
        default:
          if (f.length > 14 + 24 + 8 && r.nextBoolean()) {
            f[40] = 0; // UDP checksum "none", so payload mutations get past UDP
            f[41] = 0;
          }
          break;
      }
    }
    if (f.length >= 34 && r.nextBoolean()) {
      CodecTest.fixIpChecksum(f); // let some mutations reach the layers above IPv4
    }
    return f;
  }
}
