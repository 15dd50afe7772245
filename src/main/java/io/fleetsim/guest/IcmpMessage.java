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
