package io.fleetsim.guest;

/** An ARP packet for Ethernet and IPv4 (RFC 826): hardware type 1, protocol 0x0800. */
record ArpPacket(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
  static final int LENGTH = 28;
  static final int REQUEST = 1;
  static final int REPLY = 2;

  /** Parses {@code len} bytes at {@code off}; trailing padding is ignored. */
  static ArpPacket parse(byte[] b, int off, int len) throws Malformed {
    if (len < LENGTH) {
      throw new Malformed(StackCounter.RX_DROP_TRUNCATED, "ARP shorter than 28 bytes: " + len);
    }
    if (Bytes.u16(b, off) != 1 || Bytes.u16(b, off + 2) != Ethernet.TYPE_IPV4
        || Bytes.u8(b, off + 4) != 6 || Bytes.u8(b, off + 5) != 4) {
      throw new Malformed(StackCounter.RX_DROP_BAD_HEADER, "ARP not for Ethernet/IPv4");
    }
    return new ArpPacket(Bytes.u16(b, off + 6), Bytes.u48(b, off + 8), Bytes.i32(b, off + 14),
        Bytes.u48(b, off + 18), Bytes.i32(b, off + 24));
  }

  void write(byte[] b, int off) {
    Bytes.put16(b, off, 1);
    Bytes.put16(b, off + 2, Ethernet.TYPE_IPV4);
    b[off + 4] = 6;
    b[off + 5] = 4;
    Bytes.put16(b, off + 6, operation);
    Bytes.put48(b, off + 8, senderMac);
    Bytes.put32(b, off + 14, senderIp);
    Bytes.put48(b, off + 18, targetMac);
    Bytes.put32(b, off + 24, targetIp);
  }

  /** A whole frame carrying this packet. */
  byte[] frame(long destinationMac) {
    byte[] f = Ethernet.allocate(LENGTH);
    Ethernet.writeHeader(f, destinationMac, senderMac, Ethernet.TYPE_ARP);
    write(f, Ethernet.HEADER);
    return f;
  }
}
