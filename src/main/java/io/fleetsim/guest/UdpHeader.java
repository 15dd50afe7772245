package io.fleetsim.guest;

/**
 * A UDP header (RFC 768). The checksum covers the IPv4 pseudo-header; zero means "not computed"
 * and is accepted, and a computed zero is sent as 0xFFFF.
 */
record UdpHeader(int sourcePort, int destinationPort, int length) {
  static final int HEADER = 8;

  /** Parses a datagram in an IPv4 payload of {@code available} bytes; trailing bytes are cut. */
  static UdpHeader parse(byte[] b, int off, int available, int sourceIp, int destinationIp)
      throws Malformed {
    if (available < HEADER) {
      throw new Malformed(StackCounter.RX_DROP_TRUNCATED, "UDP header cut at " + available);
    }
    int length = Bytes.u16(b, off + 4);
    if (length < HEADER || length > available) {
      throw new Malformed(StackCounter.RX_DROP_BAD_LENGTH,
          "UDP length " + length + " with " + available + " bytes present");
    }
    if (Bytes.u16(b, off + 6) != 0) {
      long sum = Checksum.pseudoHeader(sourceIp, destinationIp, Ipv4Header.PROTOCOL_UDP, length);
      if (Checksum.finish(Checksum.add(sum, b, off, length)) != 0) {
        throw new Malformed(StackCounter.RX_DROP_BAD_CHECKSUM, "UDP checksum");
      }
    }
    return new UdpHeader(Bytes.u16(b, off), Bytes.u16(b, off + 2), length);
  }

  int payloadLength() {
    return length - HEADER;
  }

  /** Writes the header, with a checksum, in front of the payload already in place. */
  static void write(byte[] b, int off, int sourcePort, int destinationPort, int payloadLength,
      int sourceIp, int destinationIp) {
    int length = HEADER + payloadLength;
    Bytes.put16(b, off, sourcePort);
    Bytes.put16(b, off + 2, destinationPort);
    Bytes.put16(b, off + 4, length);
    Bytes.put16(b, off + 6, 0);
    long sum = Checksum.pseudoHeader(sourceIp, destinationIp, Ipv4Header.PROTOCOL_UDP, length);
    int checksum = Checksum.finish(Checksum.add(sum, b, off, length));
    Bytes.put16(b, off + 6, checksum == 0 ? 0xFFFF : checksum);
  }
}
