package io.fleetsim.guest;

/**
 * A TCP segment header as received (RFC 9293 3.1), with the two options this stack speaks: MSS
 * (kind 2) and window scale (kind 3, RFC 7323). {@code payloadOffset}/{@code payloadLength}
 * locate the data in the frame it was parsed from. Parsing checks the checksum over the IPv4
 * pseudo-header; anything unparseable is a {@link Malformed} naming its counter.
 *
 * @param mss the MSS option's value, or {@link #ABSENT}
 * @param windowScale the window scale option's shift (clamped to 14), or {@link #ABSENT}
 */
record TcpSegment(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
    int mss, int windowScale, int payloadOffset, int payloadLength) {
  static final int HEADER = 20;
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;
  static final int ABSENT = -1;
  /** RFC 7323 2.3: a shift above 14 is treated as 14. */
  static final int MAX_WINDOW_SCALE = 14;

  private static final int OPT_END = 0;
  private static final int OPT_NOP = 1;
  private static final int OPT_MSS = 2;
  private static final int OPT_WSCALE = 3;

  /** Parses the segment of {@code len} bytes at {@code off} (the IPv4 payload). */
  static TcpSegment parse(byte[] b, int off, int len, int sourceIp, int destinationIp)
      throws Malformed {
    if (len < HEADER) {
      throw new Malformed(StackCounter.RX_DROP_TRUNCATED, "TCP header cut at " + len);
    }
    int dataOffset = (Bytes.u8(b, off + 12) >>> 4) * 4;
    if (dataOffset < HEADER) {
      throw new Malformed(StackCounter.RX_DROP_BAD_HEADER, "TCP data offset " + dataOffset / 4);
    }
    if (dataOffset > len) {
      throw new Malformed(StackCounter.RX_DROP_TRUNCATED,
          "TCP options cut: data offset " + dataOffset + " with " + len + " bytes");
    }
    long sum = Checksum.pseudoHeader(sourceIp, destinationIp, Ipv4Header.PROTOCOL_TCP, len);
    if (Checksum.finish(Checksum.add(sum, b, off, len)) != 0) {
      throw new Malformed(StackCounter.RX_DROP_BAD_CHECKSUM, "TCP checksum");
    }
    int mss = ABSENT;
    int scale = ABSENT;
    int i = off + HEADER;
    int end = off + dataOffset;
    while (i < end) {
      int kind = Bytes.u8(b, i);
      if (kind == OPT_END) {
        break;
      }
      if (kind == OPT_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= end) {
        throw new Malformed(StackCounter.RX_DROP_BAD_HEADER, "TCP option " + kind + " cut");
      }
      int optLen = Bytes.u8(b, i + 1);
      if (optLen < 2 || i + optLen > end) {
        // RFC 9293 3.1: an illegal option length must not be trusted; the segment is dropped.
        throw new Malformed(StackCounter.RX_DROP_BAD_HEADER,
            "TCP option " + kind + " of length " + optLen);
      }
      if (kind == OPT_MSS && optLen == 4) {
        mss = Bytes.u16(b, i + 2);
      } else if (kind == OPT_WSCALE && optLen == 3) {
        scale = Math.min(Bytes.u8(b, i + 2), MAX_WINDOW_SCALE);
      }
      i += optLen;
    }
    return new TcpSegment(Bytes.u16(b, off), Bytes.u16(b, off + 2), Bytes.i32(b, off + 4),
        Bytes.i32(b, off + 8), Bytes.u8(b, off + 13) & 0x3F, Bytes.u16(b, off + 14), mss, scale,
        off + dataOffset, len - dataOffset);
  }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Sequence space the segment occupies: data plus one for SYN and one for FIN. */
  int sequenceLength() {
    return payloadLength + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
  }

  /** The header length of a segment we send with the given options. */
  static int headerLength(boolean mss, boolean windowScale) {
    return HEADER + (mss ? 4 : 0) + (windowScale ? 4 : 0);
  }

  /**
   * Writes a header (and options) at {@code off}, in front of {@code payloadLength} bytes already
   * in place after it, and the checksum. {@code mss}/{@code windowScale} are {@link #ABSENT} to
   * leave the option out.
   */
  static void write(byte[] b, int off, int sourcePort, int destinationPort, int seq, int ack,
      int flags, int window, int mss, int windowScale, int payloadLength, int sourceIp,
      int destinationIp) {
    int header = headerLength(mss != ABSENT, windowScale != ABSENT);
    Bytes.put16(b, off, sourcePort);
    Bytes.put16(b, off + 2, destinationPort);
    Bytes.put32(b, off + 4, seq);
    Bytes.put32(b, off + 8, ack);
    b[off + 12] = (byte) ((header / 4) << 4);
    b[off + 13] = (byte) flags;
    Bytes.put16(b, off + 14, window);
    Bytes.put16(b, off + 16, 0);
    Bytes.put16(b, off + 18, 0);
    int i = off + HEADER;
    if (mss != ABSENT) {
      b[i] = OPT_MSS;
      b[i + 1] = 4;
      Bytes.put16(b, i + 2, mss);
      i += 4;
    }
    if (windowScale != ABSENT) {
      b[i] = OPT_NOP;
      b[i + 1] = OPT_WSCALE;
      b[i + 2] = 3;
      b[i + 3] = (byte) windowScale;
    }
    int length = header + payloadLength;
    long sum = Checksum.pseudoHeader(sourceIp, destinationIp, Ipv4Header.PROTOCOL_TCP, length);
    Bytes.put16(b, off + 16, Checksum.finish(Checksum.add(sum, b, off, length)));
  }
}
