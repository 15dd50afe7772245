package io.fleetsim.guest;

/**
 * An IPv4 header (RFC 791). Parsing validates version, IHL, total length and the header
 * checksum; options are skipped. The stack never fragments and drops fragments it receives.
 */
record Ipv4Header(int headerLength, int totalLength, int identification, int flagsAndOffset,
    int ttl, int protocol, int source, int destination) {
  static final int MIN_HEADER = 20;
  static final int PROTOCOL_ICMP = 1;
  static final int PROTOCOL_TCP = 6;
  static final int PROTOCOL_UDP = 17;
  static final int DEFAULT_TTL = 64;
  /** More-fragments flag and fragment offset: either set means a fragment. */
  private static final int FRAGMENT_BITS = 0x3FFF;

  /** Parses the packet at {@code off} of which {@code available} bytes are present. */
  static Ipv4Header parse(byte[] b, int off, int available) throws Malformed {
    if (available < MIN_HEADER) {
      throw new Malformed(StackCounter.RX_DROP_TRUNCATED, "IPv4 header cut at " + available);
    }
    int version = Bytes.u8(b, off) >>> 4;
    if (version != 4) {
      throw new Malformed(StackCounter.RX_DROP_BAD_VERSION, "IP version " + version);
    }
    int headerLength = (Bytes.u8(b, off) & 0x0F) * 4;
    if (headerLength < MIN_HEADER) {
      throw new Malformed(StackCounter.RX_DROP_BAD_HEADER, "IHL " + headerLength / 4);
    }
    if (headerLength > available) {
      throw new Malformed(StackCounter.RX_DROP_TRUNCATED, "IPv4 options cut at " + available);
    }
    int totalLength = Bytes.u16(b, off + 2);
    if (totalLength < headerLength || totalLength > available) {
      throw new Malformed(StackCounter.RX_DROP_BAD_LENGTH,
          "IPv4 total length " + totalLength + " with " + available + " bytes present");
    }
    if (Checksum.of(b, off, headerLength) != 0) {
      throw new Malformed(StackCounter.RX_DROP_BAD_CHECKSUM, "IPv4 header checksum");
    }
    return new Ipv4Header(headerLength, totalLength, Bytes.u16(b, off + 4), Bytes.u16(b, off + 6),
        Bytes.u8(b, off + 8), Bytes.u8(b, off + 9), Bytes.i32(b, off + 12),
        Bytes.i32(b, off + 16));
  }

  boolean isFragment() {
    return (flagsAndOffset & FRAGMENT_BITS) != 0;
  }

  int payloadLength() {
    return totalLength - headerLength;
  }

  /** Writes a 20-byte header without options, with its checksum. */
  static void write(byte[] b, int off, int totalLength, int identification, int ttl,
      int protocol, int source, int destination) {
    b[off] = 0x45;
    b[off + 1] = 0;
    Bytes.put16(b, off + 2, totalLength);
    Bytes.put16(b, off + 4, identification);
    Bytes.put16(b, off + 6, 0);
    b[off + 8] = (byte) ttl;
    b[off + 9] = (byte) protocol;
    Bytes.put16(b, off + 10, 0);
    Bytes.put32(b, off + 12, source);
    Bytes.put32(b, off + 16, destination);
    Bytes.put16(b, off + 10, Checksum.of(b, off, MIN_HEADER));
  }

  /**
   * Decrements the TTL of the header at {@code off} in place, updating its checksum
   * incrementally (RFC 1624 eqn. 3) rather than recomputing it: a router touches one word.
   */
  static void decrementTtl(byte[] b, int off) {
    int oldWord = Bytes.u16(b, off + 8);
    b[off + 8] = (byte) (Bytes.u8(b, off + 8) - 1);
    int newWord = Bytes.u16(b, off + 8);
    Bytes.put16(b, off + 10, Checksum.update(Bytes.u16(b, off + 10), oldWord, newWord));
  }
}
