package io.fleetsim.guest;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * TCP segments for tests, built and read independently of the stack's own codec (checksums via
 * {@link Frames#sum}).
 */
final class TcpFrames {
  static final int FIN = 1;
  static final int SYN = 2;
  static final int RST = 4;
  static final int PSH = 8;
  static final int ACK = 16;

  private TcpFrames() {}

  /** A segment as seen on the wire; {@code mss}/{@code scale} are -1 when absent. */
  record Seg(int srcPort, int dstPort, int seq, int ack, int flags, int window, int mss,
      int scale, byte[] payload, long at) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    boolean isPureAck() {
      return flags == ACK && payload.length == 0;
    }

    @Override
    public String toString() {
      return "seg[" + flagText() + " seq=" + Integer.toUnsignedString(seq) + " ack="
          + Integer.toUnsignedString(ack) + " win=" + window + " len=" + payload.length + "]";
    }

    private String flagText() {
      StringBuilder b = new StringBuilder();
      String[] names = {"F", "S", "R", "P", "."};
      for (int i = 0; i < names.length; i++) {
        if ((flags & (1 << i)) != 0) {
          b.append(names[i]);
        }
      }
      return b.toString();
    }
  }

  /** The TCP bytes (header, options, payload) with a correct checksum. */
  static byte[] tcp(int srcIp, int dstIp, int srcPort, int dstPort, int seq, int ack, int flags,
      int window, int mss, int scale, byte[] payload) {
    int options = (mss >= 0 ? 4 : 0) + (scale >= 0 ? 4 : 0);
    ByteBuffer b = ByteBuffer.allocate(20 + options + payload.length);
    b.putShort((short) srcPort).putShort((short) dstPort).putInt(seq).putInt(ack)
        .put((byte) (((20 + options) / 4) << 4)).put((byte) flags).putShort((short) window)
        .putShort((short) 0).putShort((short) 0);
    if (mss >= 0) {
      b.put((byte) 2).put((byte) 4).putShort((short) mss);
    }
    if (scale >= 0) {
      b.put((byte) 1).put((byte) 3).put((byte) 3).put((byte) scale);
    }
    b.put(payload);
    long pseudo = (srcIp >>> 16) + (srcIp & 0xFFFF) + (dstIp >>> 16) + (dstIp & 0xFFFF) + 6
        + b.capacity();
    b.putShort(16, (short) Frames.sum(b.array(), 0, b.capacity(), pseudo));
    return b.array();
  }

  /** The TCP segment in an Ethernet/IPv4 frame, or null when it is none. */
  static Seg parse(byte[] f, long at) {
    if (f.length < 54 || Frames.etherType(f) != 0x0800 || (f[23] & 0xFF) != 6) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(f);
    int ihl = (f[14] & 0x0F) * 4;
    int total = b.getShort(16) & 0xFFFF;
    int t = 14 + ihl;
    int dataOffset = ((f[t + 12] & 0xFF) >>> 4) * 4;
    int mss = -1;
    int scale = -1;
    for (int i = t + 20; i < t + dataOffset; ) {
      int kind = f[i] & 0xFF;
      if (kind == 0) {
        break;
      }
      if (kind == 1) {
        i++;
        continue;
      }
      int len = f[i + 1] & 0xFF;
      if (kind == 2) {
        mss = b.getShort(i + 2) & 0xFFFF;
      } else if (kind == 3) {
        scale = f[i + 2] & 0xFF;
      }
      i += len;
    }
    byte[] payload = Arrays.copyOfRange(f, t + dataOffset, 14 + total);
    return new Seg(b.getShort(t) & 0xFFFF, b.getShort(t + 2) & 0xFFFF, b.getInt(t + 4),
        b.getInt(t + 8), f[t + 13] & 0x3F, b.getShort(t + 14) & 0xFFFF, mss, scale, payload, at);
  }
}
