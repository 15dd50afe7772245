package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Parse/build round trips of each header, and parses of hand-built frames. */
class CodecTest {

  @Property(tries = 100)
  void arpRoundTrip(@ForAll @IntRange(min = 1, max = 2) int op, @ForAll long sha,
      @ForAll int spa, @ForAll long tha, @ForAll int tpa) throws Malformed {
    ArpPacket p = new ArpPacket(op, sha & 0xFFFF_FFFF_FFFFL, spa, tha & 0xFFFF_FFFF_FFFFL, tpa);
    byte[] frame = p.frame(Frames.BROADCAST);
    assertEquals(60, frame.length);
    assertEquals(0x0806, Frames.etherType(frame));
    assertEquals(p, ArpPacket.parse(frame, 14, frame.length - 14));
  }

  @Test
  void arpParsesAHandBuiltRequest() throws Malformed {
    byte[] f = Frames.arp(Frames.BROADCAST, 1, 0x525400123456L, Frames.ip("10.0.2.15"), 0,
        Frames.ip("10.0.2.2"));
    ArpPacket p = ArpPacket.parse(f, 14, 46);
    assertEquals(new ArpPacket(1, 0x525400123456L, Frames.ip("10.0.2.15"), 0,
        Frames.ip("10.0.2.2")), p);
  }

  @Test
  void arpRejectsOtherHardwareAndShortPackets() {
    byte[] f = Frames.arp(Frames.BROADCAST, 1, 1, 1, 0, 2);
    f[15] = 6; // hardware type 6 (IEEE 802)
    assertEquals(StackCounter.RX_DROP_BAD_HEADER,
        assertThrows(Malformed.class, () -> ArpPacket.parse(f, 14, 46)).counter());
    assertEquals(StackCounter.RX_DROP_TRUNCATED,
        assertThrows(Malformed.class, () -> ArpPacket.parse(f, 14, 27)).counter());
  }

  @Property(tries = 100)
  void ipv4RoundTrip(@ForAll @IntRange(min = 20, max = 1500) int total, @ForAll int id,
      @ForAll @IntRange(min = 0, max = 255) int ttl, @ForAll @IntRange(min = 0, max = 255)
      int protocol, @ForAll int src, @ForAll int dst) throws Malformed {
    byte[] b = new byte[total];
    Ipv4Header.write(b, 0, total, id & 0xFFFF, ttl, protocol, src, dst);
    Ipv4Header h = Ipv4Header.parse(b, 0, total);
    assertEquals(new Ipv4Header(20, total, id & 0xFFFF, 0, ttl, protocol, src, dst), h);
    assertFalse(h.isFragment());
  }

  @Test
  void ipv4ValidationNamesEachFault() {
    byte[] good = Frames.ipv4(1, 2, 1, 2, 17, 64, new byte[8]);
    assertMalformed(StackCounter.RX_DROP_TRUNCATED, good, 19);
    byte[] v6 = good.clone();
    v6[14] = 0x65;
    assertMalformed(StackCounter.RX_DROP_BAD_VERSION, v6, 46);
    byte[] ihl = good.clone();
    ihl[14] = 0x44;
    assertMalformed(StackCounter.RX_DROP_BAD_HEADER, ihl, 46);
    byte[] options = good.clone();
    options[14] = 0x4F; // 60-byte header in a 46-byte payload
    assertMalformed(StackCounter.RX_DROP_TRUNCATED, options, 46);
    byte[] tooLong = good.clone();
    tooLong[17] = 100; // total length 100 > 46 present
    assertMalformed(StackCounter.RX_DROP_BAD_LENGTH, tooLong, 46);
    byte[] tooShort = good.clone();
    tooShort[16] = 0;
    tooShort[17] = 10; // total length below the header length
    assertMalformed(StackCounter.RX_DROP_BAD_LENGTH, tooShort, 46);
    byte[] checksum = good.clone();
    checksum[22] = 63; // TTL changed after the checksum was computed
    assertMalformed(StackCounter.RX_DROP_BAD_CHECKSUM, checksum, 46);
  }

  private static void assertMalformed(StackCounter expected, byte[] frame, int available) {
    Malformed m = assertThrows(Malformed.class, () -> Ipv4Header.parse(frame, 14, available));
    assertEquals(expected, m.counter(), m.getMessage());
  }

  @Test
  void ipv4FragmentsAreRecognised() throws Malformed {
    byte[] f = Frames.ipv4(1, 2, 1, 2, 17, 64, new byte[8]);
    f[20] = 0x20; // more fragments
    fixIpChecksum(f);
    assertTrue(Ipv4Header.parse(f, 14, 46).isFragment());
    f[20] = 0x00;
    f[21] = 0x10; // offset 16*8
    fixIpChecksum(f);
    assertTrue(Ipv4Header.parse(f, 14, 46).isFragment());
    f[20] = 0x40; // DF only
    f[21] = 0x00;
    fixIpChecksum(f);
    assertFalse(Ipv4Header.parse(f, 14, 46).isFragment());
  }

  static void fixIpChecksum(byte[] f) {
    f[24] = 0;
    f[25] = 0;
    int c = Frames.sum(f, 14, 20, 0);
    f[24] = (byte) (c >>> 8);
    f[25] = (byte) c;
  }

  @Property(tries = 100)
  void icmpEchoRoundTrip(@ForAll @IntRange(min = 0, max = 0xFFFF) int id,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int seq, @ForAll @Size(max = 100) byte[] payload)
      throws Malformed {
    byte[] b = new byte[8 + payload.length];
    System.arraycopy(payload, 0, b, 8, payload.length);
    IcmpMessage.writeEcho(b, 0, IcmpMessage.ECHO_REQUEST, id, seq, payload.length);
    assertArrayEquals(Frames.icmpEcho(8, id, seq, payload), b);
    IcmpMessage m = IcmpMessage.parse(b, 0, b.length);
    assertEquals(new IcmpMessage(8, 0, id, seq, 8, payload.length), m);
  }

  @Property(tries = 100)
  void udpRoundTripAgreesWithHandBuiltChecksum(@ForAll int src, @ForAll int dst,
      @ForAll @IntRange(min = 1, max = 0xFFFF) int sport,
      @ForAll @IntRange(min = 1, max = 0xFFFF) int dport, @ForAll @Size(max = 200) byte[] payload)
      throws Malformed {
    byte[] b = new byte[8 + payload.length];
    System.arraycopy(payload, 0, b, 8, payload.length);
    UdpHeader.write(b, 0, sport, dport, payload.length, src, dst);
    assertArrayEquals(Frames.udp(src, dst, sport, dport, payload, true), b);
    assertEquals(new UdpHeader(sport, dport, 8 + payload.length),
        UdpHeader.parse(b, 0, b.length, src, dst));
  }

  @Test
  void udpChecksumZeroMeansNone() throws Malformed {
    byte[] b = Frames.udp(1, 2, 1000, 2000, new byte[] {1, 2, 3}, false);
    assertEquals(3, UdpHeader.parse(b, 0, b.length, 1, 2).payloadLength());
  }

  @Test
  void udpValidation() {
    byte[] b = Frames.udp(1, 2, 1000, 2000, new byte[] {1, 2, 3}, true);
    assertEquals(StackCounter.RX_DROP_TRUNCATED,
        assertThrows(Malformed.class, () -> UdpHeader.parse(b, 0, 7, 1, 2)).counter());
    assertEquals(StackCounter.RX_DROP_BAD_LENGTH,
        assertThrows(Malformed.class, () -> UdpHeader.parse(b, 0, 10, 1, 2)).counter());
    assertEquals(StackCounter.RX_DROP_BAD_CHECKSUM,
        assertThrows(Malformed.class, () -> UdpHeader.parse(b, 0, b.length, 1, 3)).counter());
    byte[] shortLength = b.clone();
    shortLength[5] = 7;
    assertEquals(StackCounter.RX_DROP_BAD_LENGTH,
        assertThrows(Malformed.class, () -> UdpHeader.parse(shortLength, 0, 11, 1, 2)).counter());
  }

  @Test
  void dhcpRoundTrip() throws Malformed {
    Map<Integer, byte[]> o = new LinkedHashMap<>();
    o.put(DhcpMessage.OPT_MESSAGE_TYPE, DhcpMessage.u8(DhcpMessage.ACK));
    o.put(DhcpMessage.OPT_SUBNET_MASK, DhcpMessage.ipv4(Ipv4Address.parse("255.255.255.0")));
    o.put(DhcpMessage.OPT_ROUTER, new byte[] {10, 0, 2, 2, 10, 0, 2, 3});
    o.put(DhcpMessage.OPT_LEASE_TIME, new byte[] {0, 1, 0x51, (byte) 0x80});
    DhcpMessage m = new DhcpMessage(2, 0x12345678, 0, 0x8000, 0, Frames.ip("10.0.2.15"),
        Frames.ip("10.0.2.2"), 0x525400123456L, o);
    byte[] b = m.encode();
    assertEquals(300, b.length);
    DhcpMessage back = DhcpMessage.parse(b, 0, b.length);
    assertEquals(m.xid(), back.xid());
    assertEquals(m.clientMac(), back.clientMac());
    assertEquals(DhcpMessage.ACK, back.messageType());
    assertEquals(Optional.of(Ipv4Address.parse("10.0.2.2")), back.address(DhcpMessage.OPT_ROUTER));
    assertEquals(List.of(Ipv4Address.parse("10.0.2.2"), Ipv4Address.parse("10.0.2.3")),
        back.addresses(DhcpMessage.OPT_ROUTER));
    assertEquals(86400, back.unsigned32(DhcpMessage.OPT_LEASE_TIME).getAsLong());
    assertEquals(0xFFFFFF00L, back.unsigned32(DhcpMessage.OPT_SUBNET_MASK).getAsLong());
  }

  /** RFC 2132's lengths for the options the client reads: one wrong length refuses the message. */
  @Test
  void dhcpOptionOfAWrongLengthIsMalformedNotAbsent() throws Malformed {
    int[][] bad = {
        {DhcpMessage.OPT_MESSAGE_TYPE, 0}, {DhcpMessage.OPT_MESSAGE_TYPE, 2},
        {DhcpMessage.OPT_SUBNET_MASK, 3}, {DhcpMessage.OPT_SUBNET_MASK, 8},
        {DhcpMessage.OPT_ROUTER, 0}, {DhcpMessage.OPT_ROUTER, 5}, {DhcpMessage.OPT_DNS, 6},
        {DhcpMessage.OPT_LEASE_TIME, 3}, {DhcpMessage.OPT_SERVER_ID, 5},
        {DhcpMessage.OPT_RENEWAL_TIME, 2}, {DhcpMessage.OPT_REBINDING_TIME, 8},
        {DhcpMessage.OPT_MESSAGE, 0}};
    for (int[] option : bad) {
      DhcpMessage m = DhcpMessage.parse(withOption(option[0], option[1]), 0, 300);
      Malformed e = assertThrows(Malformed.class, m::checkOptions,
          "option " + option[0] + " of " + option[1] + " bytes");
      assertEquals(StackCounter.RX_DROP_DHCP_BAD_OPTION, e.counter());
      assertTrue(e.getMessage().startsWith("option " + option[0] + " ("), e.getMessage());
    }
    int[][] good = {
        {DhcpMessage.OPT_SUBNET_MASK, 4}, {DhcpMessage.OPT_ROUTER, 4}, {DhcpMessage.OPT_ROUTER, 12},
        {DhcpMessage.OPT_DNS, 8}, {DhcpMessage.OPT_LEASE_TIME, 4}, {DhcpMessage.OPT_SERVER_ID, 4},
        {DhcpMessage.OPT_MESSAGE, 1}, {15, 0}}; // option 15 (domain name) the client does not read
    for (int[] option : good) {
      DhcpMessage.parse(withOption(option[0], option[1]), 0, 300).checkOptions();
    }
  }

  /** A BOOTREPLY with message type OFFER and then one option {@code code} of {@code length}. */
  private static byte[] withOption(int code, int length) {
    byte[] b = new byte[300];
    b[0] = 2;
    b[1] = 1;
    b[2] = 6;
    ByteBuffer.wrap(b).putInt(236, 0x63825363);
    int i = 240;
    if (code != DhcpMessage.OPT_MESSAGE_TYPE) {
      b[i++] = 53;
      b[i++] = 1;
      b[i++] = 2;
    }
    b[i++] = (byte) code;
    b[i++] = (byte) length;
    i += length;
    b[i] = (byte) 255;
    return b;
  }

  /** RFC 2131 4.1 / RFC 3396: with option 52 the file field (1), sname (2) or both hold options. */
  @Test
  void dhcpOverloadedFileAndSnameFieldsHoldOptions() throws Malformed {
    byte[] b = withOption(DhcpMessage.OPT_OVERLOAD, 1);
    b[245] = 3; // the value of option 52, after 53/1/2: both fields
    ByteBuffer.wrap(b, 108, 128).put(new byte[] {3, 4, 10, 0, 2, 2, (byte) 255}); // file: router
    ByteBuffer.wrap(b, 44, 64).put(new byte[] {54, 4, 10, 0, 2, 9, (byte) 255}); // sname: server id
    DhcpMessage m = DhcpMessage.parse(b, 0, 300);
    m.checkOptions();
    assertEquals(Optional.of(Ipv4Address.parse("10.0.2.2")), m.address(DhcpMessage.OPT_ROUTER));
    assertEquals(Optional.of(Ipv4Address.parse("10.0.2.9")), m.address(DhcpMessage.OPT_SERVER_ID));

    b[245] = 1; // the file field only: sname is a server name again
    assertTrue(DhcpMessage.parse(b, 0, 300).address(DhcpMessage.OPT_SERVER_ID).isEmpty());
    b[245] = 4;
    assertEquals(StackCounter.RX_DROP_DHCP_BAD_OPTION,
        assertThrows(Malformed.class, () -> DhcpMessage.parse(b, 0, 300)).counter());
    b[245] = 1;
    b[108 + 1] = 127; // the router option's length runs past the file field
    assertEquals(StackCounter.RX_DROP_DHCP_BAD_OPTION,
        assertThrows(Malformed.class, () -> DhcpMessage.parse(b, 0, 300)).counter());
  }

  @Test
  void dhcpRejectsCutOptionsAndMissingCookie() {
    DhcpMessage m = new DhcpMessage(2, 1, 0, 0, 0, 0, 0, 1,
        Map.of(DhcpMessage.OPT_MESSAGE_TYPE, DhcpMessage.u8(2)));
    byte[] b = m.encode();
    b[240 + 3] = 53; // END replaced by an option code...
    b[240 + 4] = (byte) 200; // ...whose length runs past the end
    assertEquals(StackCounter.RX_DROP_DHCP_BAD_OPTION,
        assertThrows(Malformed.class, () -> DhcpMessage.parse(b, 0, b.length)).counter());
    byte[] c = m.encode();
    c[236] = 0;
    assertEquals(StackCounter.RX_DROP_BAD_HEADER,
        assertThrows(Malformed.class, () -> DhcpMessage.parse(c, 0, c.length)).counter());
    assertEquals(StackCounter.RX_DROP_TRUNCATED,
        assertThrows(Malformed.class, () -> DhcpMessage.parse(c, 0, 239)).counter());
  }

  @Test
  void addressesParseStrictly() {
    assertEquals(Frames.ip("10.0.2.15"), Ipv4Address.parse("10.0.2.15").bits());
    assertEquals("255.255.255.255", Ipv4Address.BROADCAST.toString());
    for (String bad : new String[] {"10.0.2", "10.0.2.256", "10.0.2.1.", "a.b.c.d", "1..2.3",
        "10.0.2.-1", "", "1.2.3.4.5", "0010.0.0.1"}) {
      assertTrue(Ipv4Address.tryParse(bad).isEmpty(), bad);
    }
    assertEquals(Optional.of(24), Ipv4Address.prefixOf(0xFFFFFF00));
    assertTrue(Ipv4Address.prefixOf(0xFF00FF00).isEmpty());
  }
}
