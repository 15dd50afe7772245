package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ChecksumTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void rfc1071Example() {
    // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded); checksum is ~ddf2.
    assertEquals(0x220D, Checksum.of(hex("0001 f203 f4f5 f6f7"), 0, 8));
  }

  @Test
  void oddLengthPadsWithZero() {
    assertEquals(Checksum.of(hex("0102 0300"), 0, 4), Checksum.of(hex("0102 03"), 0, 3));
  }

  @Test
  void knownIpv4HeaderChecksum() {
    // A textbook header (192.168.0.1 -> 192.168.0.199, UDP, TTL 64, DF) whose checksum is b861.
    byte[] header = hex("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
    assertEquals(0xB861, Checksum.of(header, 0, 20));
    header[10] = (byte) 0xB8;
    header[11] = 0x61;
    assertEquals(0, Checksum.of(header, 0, 20));
  }

  @Test
  void writtenIpv4HeaderMatchesKnownVector() {
    byte[] b = new byte[20];
    Ipv4Header.write(b, 0, 0x73, 0, 64, 17, Frames.ip("192.168.0.1"), Frames.ip("192.168.0.199"));
    // Our header has no DF flag, so the checksum is b861 + 0x4000 folded: f861.
    assertEquals("4500007300000000401" + "1f861c0a80001c0a800c7", HexFormat.of().formatHex(b));
  }

  @Property(tries = 200)
  void agreesWithAnIndependentImplementation(@ForAll byte[] data) {
    assertEquals(Frames.sum(data, 0, data.length, 0), Checksum.of(data, 0, data.length));
  }

  @Property(tries = 200)
  void blockWithItsChecksumVerifiesToZero(@ForAll byte[] data) {
    byte[] b = new byte[data.length + (data.length % 2) + 2];
    System.arraycopy(data, 0, b, 2, data.length);
    int c = Checksum.of(b, 0, b.length);
    b[0] = (byte) (c >>> 8);
    b[1] = (byte) c;
    assertEquals(0, Checksum.of(b, 0, b.length));
  }

  /** RFC 1624: a router's TTL decrement keeps the header checksum valid, for any header. */
  @Property
  void ttlDecrementUpdatesTheChecksumIncrementally(@ForAll byte[] seed, @ForAll int ttlSeed) {
    byte[] header = new byte[20];
    System.arraycopy(seed, 0, header, 0, Math.min(20, seed.length));
    header[8] = (byte) (2 + Math.floorMod(ttlSeed, 254));
    Bytes.put16(header, 10, 0);
    Bytes.put16(header, 10, Checksum.of(header, 0, 20));
    int ttl = header[8] & 0xFF;
    Ipv4Header.decrementTtl(header, 0);
    assertEquals(ttl - 1, header[8] & 0xFF);
    assertEquals(0, Checksum.of(header, 0, 20), "verifies after the update");
  }

  @Test
  void rfc1624Section4Example() {
    // the example of RFC 1624 section 4: HC 0xDD2F, m 0x5555 -> m' 0x3285 gives 0x0000
    assertEquals(0x0000, Checksum.update(0xDD2F, 0x5555, 0x3285));
  }
}
