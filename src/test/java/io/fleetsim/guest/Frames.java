package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import java.nio.ByteBuffer;

/**
 * Test frames built by hand with ByteBuffer, independently of the stack's own encoders, and
 * small readers for what the stack sent.
 */
public final class Frames {
  private Frames() {}

  public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

  public static int ip(String dotted) {
    return Ipv4Address.parse(dotted).bits();
  }

  public static void putMac(ByteBuffer b, long mac) {
    b.putShort((short) (mac >>> 32)).putInt((int) mac);
  }

  public static int etherType(byte[] f) {
    return ((f[12] & 0xFF) << 8) | (f[13] & 0xFF);
  }

  public static long dstMac(byte[] f) {
    return ByteBuffer.wrap(f).getLong(0) >>> 16;
  }

  public static long srcMac(byte[] f) {
    return (ByteBuffer.wrap(f).getLong(4) & 0xFFFF_FFFF_FFFFL);
  }

  public static byte[] arp(long ethDst, int op, long sha, int spa, long tha, int tpa) {
    ByteBuffer b = ByteBuffer.allocate(60);
    putMac(b, ethDst);
    putMac(b, sha);
    b.putShort((short) 0x0806);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4);
    b.putShort((short) op);
    putMac(b, sha);
    b.putInt(spa);
    putMac(b, tha);
    b.putInt(tpa);
    return b.array();
  }

  /** Ethernet + 20-byte IPv4 header (checksum computed here) + the given transport bytes. */
  public static byte[] ipv4(long ethDst, long ethSrc, int src, int dst, int protocol, int ttl,
      byte[] transport) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(60, 34 + transport.length));
    putMac(b, ethDst);
    putMac(b, ethSrc);
    b.putShort((short) 0x0800);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + transport.length))
        .putShort((short) 0x1234).putShort((short) 0).put((byte) ttl).put((byte) protocol)
        .putShort((short) 0).putInt(src).putInt(dst);
    b.putShort(24, (short) sum(b.array(), 14, 20, 0));
    b.position(34);
    b.put(transport);
    return b.array();
  }

  public static byte[] icmpEcho(int type, int id, int seq, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) id)
        .putShort((short) seq).put(payload);
    b.putShort(2, (short) sum(b.array(), 0, b.capacity(), 0));
    return b.array();
  }

  /** A UDP datagram with a correct checksum (or 0 when {@code checksum} is false). */
  public static byte[] udp(int src, int dst, int srcPort, int dstPort, byte[] payload,
      boolean checksum) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length))
        .putShort((short) 0).put(payload);
    if (checksum) {
      long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 17
          + b.capacity();
      int c = sum(b.array(), 0, b.capacity(), pseudo);
      b.putShort(6, (short) (c == 0 ? 0xFFFF : c));
    }
    return b.array();
  }

  /** Ones' complement checksum written independently of the stack's Checksum class. */
  public static int sum(byte[] data, int off, int len, long initial) {
    long s = initial;
    for (int i = 0; i < len; i++) {
      s += (i % 2 == 0) ? (data[off + i] & 0xFF) << 8 : data[off + i] & 0xFF;
    }
    while (s > 0xFFFF) {
      s = (s >> 16) + (s & 0xFFFF);
    }
    return (int) (~s & 0xFFFF);
  }
}
