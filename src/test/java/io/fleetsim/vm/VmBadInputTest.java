package io.fleetsim.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.link.PortStats;
import io.fleetsim.guest.Frames;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Ports;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Malformed frames from a raw peer on a VM's listen port: the e1000 and the guest stack drop and
 * count each one, the VM keeps running and still answers ping; an oversize TCP length closes
 * only that connection, and the listening VM serves the next peer.
 */
@Timeout(60)
class VmBadInputTest {
  static final MacAddress VM_MAC = MacAddress.tryParse("52:54:00:00:00:01").orElseThrow();
  static final long VM = VM_MAC.bits();
  static final long PEER = 0x5254_0000_0099L;
  static final int VM_IP = Frames.ip("10.0.0.1");
  static final int PEER_IP = Frames.ip("10.0.0.99");
  static final int ICMP = 1;
  static final int UDP = 17;
  static final int ECHO_PORT = 7;

  @Test
  void malformedFramesAreDroppedAndCountedAndTheVmStillAnswersPing() throws Exception {
    int port = Ports.free();
    try (VmRig rig = new VmRig()) {
      VmRig.Running vm = rig.start("vm", 1000, "socket,id=n0,listen=127.0.0.1:" + port, VM_MAC,
          "10.0.0.1/24", "echo " + ECHO_PORT);
      try (FramedClient peer = FramedClient.connect("127.0.0.1", port)) {
        ping(peer, 1);
        VmReport before = rig.report(vm);

        Map<String, byte[]> bad = new LinkedHashMap<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        // A runt: e1000 pads it to 60 bytes (as QEMU does), so the stack sees EtherType 0.
        bad.put("runt", ByteBuffer.allocate(10).putShort((short) (VM >>> 32)).putInt((int) VM)
            .putInt(0x5254_0000).array());
        // Garbage after a valid Ethernet header, with an EtherType nobody speaks.
        byte[] garbage = new byte[200];
        new Random(7).nextBytes(garbage);
        ByteBuffer.wrap(garbage).putShort((short) (VM >>> 32)).putInt((int) VM)
            .putShort((short) (PEER >>> 32)).putInt((int) PEER).putShort((short) 0x88B5);
        bad.put("garbage", garbage);
        expected.put("rxDropUnknownProtocol", 2L);

        byte[] options = validUdp();
        options[14] = 0x4F; // IHL 15: a 60-byte header in a 46-byte payload
        bad.put("ipv4 header longer than the packet", options);
        byte[] udpCut = ipv4Raw(UDP, new byte[] {0, 9, 0, 7}); // 4 bytes of a UDP header
        bad.put("udp header cut", udpCut);
        byte[] icmpCut = ipv4Raw(ICMP, new byte[] {8, 0, 0, 0}); // 4 bytes of an ICMP header
        bad.put("icmp header cut", icmpCut);
        expected.put("rxDropTruncated", 3L);

        byte[] tooLong = validUdp();
        setIpTotalLength(tooLong, 1000);
        bad.put("ipv4 total length beyond the frame", tooLong);
        byte[] tooShort = validUdp();
        setIpTotalLength(tooShort, 10);
        bad.put("ipv4 total length below the header", tooShort);
        byte[] udpLength = validUdp();
        ByteBuffer.wrap(udpLength).putShort(34 + 4, (short) 400); // UDP length > IP payload
        bad.put("udp length beyond the datagram", udpLength);
        expected.put("rxDropBadLength", 3L);

        byte[] ipChecksum = validUdp();
        ipChecksum[24] ^= 0x5A;
        bad.put("bad ipv4 checksum", ipChecksum);
        byte[] udpChecksum = validUdp();
        udpChecksum[34 + 6] ^= 0x5A;
        bad.put("bad udp checksum", udpChecksum);
        byte[] icmpChecksum = echoRequest(99, 1);
        icmpChecksum[34 + 2] ^= 0x5A;
        bad.put("bad icmp checksum", icmpChecksum);
        expected.put("rxDropBadChecksum", 3L);

        byte[] version = validUdp();
        version[14] = 0x65;
        bad.put("ip version 6 in an IPv4 EtherType", version);
        expected.put("rxDropBadVersion", 1L);
        byte[] ihl = validUdp();
        ihl[14] = 0x43;
        bad.put("ihl 3", ihl);
        expected.put("rxDropBadHeader", 1L);
        byte[] fragment = validUdp();
        ByteBuffer.wrap(fragment).putShort(14 + 6, (short) 0x2000); // more fragments
        fixIpChecksum(fragment);
        bad.put("fragment", fragment);
        expected.put("rxDropFragment", 1L);

        for (byte[] frame : bad.values()) {
          peer.send(frame);
        }
        // Not for the guest at all: the e1000 drops these before any descriptor is used.
        byte[] giant = new byte[2000]; // longer than 1518 without long packets enabled
        System.arraycopy(Frames.ipv4(VM, PEER, PEER_IP, VM_IP, UDP, 64, new byte[8]), 0, giant, 0, 42);
        peer.send(giant);
        peer.send(new byte[0]); // zero-length: padded to 60 zero bytes, no address of ours
        byte[] otherMac = validUdp();
        otherMac[5] = 0x77;
        peer.send(otherMac);

        ping(peer, 2); // answered after everything above: the stack took each frame in order
        VmReport after = rig.report(vm);

        Map<String, Long> c0 = VmRig.guestCounters(before);
        Map<String, Long> c1 = VmRig.guestCounters(after);
        String context = "sent " + bad.keySet() + "\nbefore " + c0 + "\nafter " + c1;
        for (Map.Entry<String, Long> e : expected.entrySet()) {
          assertEquals(e.getValue(), c1.get(e.getKey()) - c0.get(e.getKey()), e.getKey() + "\n" + context);
        }
        long dropsBefore = rxDrops(c0);
        long dropsAfter = rxDrops(c1);
        assertEquals(bad.size(), dropsAfter - dropsBefore, context);
        // Every frame the stack got was delivered or dropped for one reason, exactly once.
        assertEquals(c1.get("rxFrames"), c1.get("rxDelivered") + dropsAfter, context);
        assertEquals(1, c1.get("icmpEchoRepliesSent") - c0.get("icmpEchoRepliesSent"), context);
        assertEquals(0L, c1.get("udpDatagramsReceived") - c0.get("udpDatagramsReceived"), context);

        Map<String, Long> e1000 = VmRig.e1000(after);
        assertEquals(1L, e1000.get("ROC") - VmRig.e1000(before).get("ROC"), e1000::toString);
        assertEquals(0L, after.guestFaults(), after::toString);
      }
    }
  }

  @Test
  void anOversizeTcpLengthClosesThatConnectionAndTheVmServesTheNextPeer() throws Exception {
    int port = Ports.free();
    try (VmRig rig = new VmRig()) {
      VmRig.Running vm = rig.start("vm", 1000, "socket,id=n0,listen=127.0.0.1:" + port, VM_MAC,
          "10.0.0.1/24");
      try (FramedClient first = FramedClient.connect("127.0.0.1", port)) {
        ping(first, 1);
        DataOutputStream out = new DataOutputStream(first.socket().getOutputStream());
        out.writeInt(4096 + 65536 + 1); // one byte over QEMU's limit
        out.write(new byte[1024]);
        out.flush();
        // The VM closes this connection: end of stream (or a reset) within a generous time.
        assertTrue(closedWithin(first, Duration.ofSeconds(20)),
            "the VM kept the connection open after an oversize length");
      }
      try (FramedClient second = FramedClient.connect("127.0.0.1", port)) {
        ping(second, 2);
      }
      VmReport report = rig.report(vm);
      PortStats stats = VmRig.nic(report).port();
      assertEquals(1L, stats.drops().get("oversize"), stats::toString);
      assertEquals(0L, report.guestFaults(), report::toString);
    }
  }

  // --- the peer ---

  /**
   * Sends an echo request and waits for its reply, answering the VM's ARP for us on the way.
   * Retries a few times (the first request may wait for ARP).
   */
  private static void ping(FramedClient peer, int seq) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      peer.send(echoRequest(0x4242, seq));
      long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < until) {
        Optional<byte[]> got = peer.receive(100);
        if (got.isEmpty()) {
          continue;
        }
        byte[] f = got.get();
        if (isArpRequestFor(f, PEER_IP)) {
          peer.send(Frames.arp(VM, 2, PEER, PEER_IP, VM, VM_IP));
        } else if (isEchoReply(f, 0x4242, seq)) {
          return;
        }
      }
    }
    throw new AssertionError("no echo reply for seq " + seq);
  }

  private static boolean isArpRequestFor(byte[] f, int ip) {
    ByteBuffer b = ByteBuffer.wrap(f);
    return f.length >= 42 && b.getShort(12) == 0x0806 && b.getShort(20) == 1 && b.getInt(38) == ip;
  }

  private static boolean isEchoReply(byte[] f, int id, int seq) {
    ByteBuffer b = ByteBuffer.wrap(f);
    if (f.length < 42 || b.getShort(12) != 0x0800 || f[23] != ICMP || b.getInt(26) != VM_IP
        || b.getInt(30) != PEER_IP || Frames.dstMac(f) != PEER) {
      return false;
    }
    int ipLen = b.getShort(16) & 0xFFFF;
    return f[34] == 0 && (b.getShort(38) & 0xFFFF) == id && (b.getShort(40) & 0xFFFF) == seq
        && Frames.sum(f, 34, ipLen - 20, 0) == 0 && Frames.sum(f, 14, 20, 0) == 0;
  }

  // --- frames ---

  private static byte[] echoRequest(int id, int seq) {
    byte[] payload = ("fleetsim bad-input test " + seq).getBytes(StandardCharsets.US_ASCII);
    return Frames.ipv4(VM, PEER, PEER_IP, VM_IP, ICMP, 64, Frames.icmpEcho(8, id, seq, payload));
  }

  /** A correct UDP datagram to the VM's echo port. */
  private static byte[] validUdp() {
    byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
    return Frames.ipv4(VM, PEER, PEER_IP, VM_IP, UDP, 64,
        Frames.udp(PEER_IP, VM_IP, 40000, ECHO_PORT, payload, true));
  }

  /** An IPv4 packet whose total length covers exactly {@code transport} (padded to 60 bytes). */
  private static byte[] ipv4Raw(int protocol, byte[] transport) {
    return Frames.ipv4(VM, PEER, PEER_IP, VM_IP, protocol, 64, transport);
  }

  private static void setIpTotalLength(byte[] f, int length) {
    ByteBuffer.wrap(f).putShort(16, (short) length);
    fixIpChecksum(f);
  }

  private static void fixIpChecksum(byte[] f) {
    ByteBuffer b = ByteBuffer.wrap(f);
    b.putShort(24, (short) 0);
    b.putShort(24, (short) Frames.sum(f, 14, 20, 0));
  }

  private static long rxDrops(Map<String, Long> counters) {
    long sum = 0;
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      if (e.getKey().startsWith("rxDrop")) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  /** Reads (and ignores) frames until the connection ends; false if it is still open at the end. */
  private static boolean closedWithin(FramedClient client, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        client.receive(200);
      }
      return false;
    } catch (EOFException | SocketException ended) {
      return true;
    } catch (IOException other) {
      throw new AssertionError("unexpected " + other, other);
    }
  }
}
