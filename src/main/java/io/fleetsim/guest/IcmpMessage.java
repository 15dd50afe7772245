package io.fleetsim.guest;

/**
 * An ICMP message (RFC 792) after its checksum was verified. Identifier and sequence are the
 * echo fields (the second header word), meaningful for echo request and reply only.
 */
record IcmpMessage(int type, int code, int identifier, int sequence, int payloadOffset,
    int payloadLength) {
  static final int HEADER = 8;
  static final int ECHO_REPLY = 0;
  static final int ECHO_REQUEST = 8;
  static final int DEST_UNREACHABLE = 3;
  static final int TIME_EXCEEDED = 11;
  static final int NET_UNREACHABLE = 0;
  static final int HOST_UNREACHABLE = 1;
  static final int TTL_EXCEEDED = 0;
  /** The original datagram's header plus this many of its bytes travel in an error (RFC 792). */
  static final int QUOTED_DATA = 8;

  static IcmpMessage parse(byte[] b, int off, int len) throws Malformed {
    if (len < HEADER) {
      throw new Malformed(StackCounter.RX_DROP_TRUNCATED, "ICMP shorter than 8 bytes: " + len);
    }
    if (Checksum.of(b, off, len) != 0) {
      throw new Malformed(StackCounter.RX_DROP_BAD_CHECKSUM, "ICMP checksum");
    }
    return new IcmpMessage(Bytes.u8(b, off), Bytes.u8(b, off + 1), Bytes.u16(b, off + 4),
        Bytes.u16(b, off + 6), off + HEADER, len - HEADER);
  }

  /** Types that report an error about another datagram (RFC 1122 3.2.2): never answered. */
  static boolean isError(int type) {
    return type == DEST_UNREACHABLE || type == 4 || type == 5 || type == TIME_EXCEEDED
        || type == 12;
  }

  /** Writes an error header in front of the {@code quotedLength} bytes already in place. */
  static void writeError(byte[] b, int off, int type, int code, int quotedLength) {
    b[off] = (byte) type;
    b[off + 1] = (byte) code;
    Bytes.put16(b, off + 2, 0);
    Bytes.put32(b, off + 4, 0);
    Bytes.put16(b, off + 2, Checksum.of(b, off, HEADER + quotedLength));
  }

  /** Writes an echo header in front of the {@code payloadLength} bytes already in place. */
  static void writeEcho(byte[] b, int off, int type, int identifier, int sequence,
      int payloadLength) {
    b[off] = (byte) type;
    b[off + 1] = 0;
    Bytes.put16(b, off + 2, 0);
    Bytes.put16(b, off + 4, identifier);
    Bytes.put16(b, off + 6, sequence);
    Bytes.put16(b, off + 2, Checksum.of(b, off, HEADER + payloadLength));
  }
}
