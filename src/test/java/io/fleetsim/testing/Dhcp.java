package io.fleetsim.testing;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Builds a DHCP DISCOVER frame and reads an OFFER, for tests against QEMU's slirp. */
public final class Dhcp {
  private Dhcp() {}

  public record Offer(int xid, String yourIp, String serverIp) {}

  /** A broadcast Ethernet/IPv4/UDP 68->67 BOOTREQUEST with option 53 = DISCOVER. */
  public static byte[] discover(byte[] clientMac, int xid) {
    ByteBuffer bootp = ByteBuffer.allocate(240 + 4);
    bootp.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0); // op, htype, hlen, hops
    bootp.putInt(xid).putShort((short) 0).putShort((short) 0x8000); // xid, secs, flags: broadcast
    bootp.position(28);
    bootp.put(clientMac); // chaddr
    bootp.position(236);
    bootp.putInt(0x63825363); // magic cookie
    bootp.put((byte) 53).put((byte) 1).put((byte) 1); // DHCP DISCOVER
    bootp.put((byte) 255);
    byte[] payload = bootp.array();

    int udpLen = 8 + payload.length;
    int ipLen = 20 + udpLen;
    ByteBuffer f = ByteBuffer.allocate(14 + ipLen);
    for (int i = 0; i < 6; i++) {
      f.put((byte) 0xFF);
    }
    f.put(clientMac).putShort((short) 0x0800);
    int ipStart = f.position();
    f.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 0).putShort((short) 0)
        .put((byte) 64).put((byte) 17).putShort((short) 0)
        .putInt(0).putInt(0xFFFFFFFF);
    f.putShort(ipStart + 10, ipChecksum(f.array(), ipStart, 20));
    f.putShort((short) 68).putShort((short) 67).putShort((short) udpLen).putShort((short) 0);
    f.put(payload);
    return f.array();
  }

  /** The OFFER in {@code frame}, if it is one (UDP 67->68, BOOTREPLY, option 53 = 2). */
  public static Optional<Offer> parseOffer(byte[] frame) {
    if (frame.length < 14 + 20 + 8 + 240) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    if (b.getShort(12) != 0x0800 || (frame[14] & 0xF0) != 0x40 || frame[23] != 17) {
      return Optional.empty();
    }
    int ihl = (frame[14] & 0x0F) * 4;
    int udp = 14 + ihl;
    if (b.getShort(udp) != 67 || b.getShort(udp + 2) != 68) {
      return Optional.empty();
    }
    int bootp = udp + 8;
    if (frame[bootp] != 2 || b.getInt(bootp + 236) != 0x63825363) {
      return Optional.empty();
    }
    for (int i = bootp + 240; i + 1 < frame.length; ) {
      int code = frame[i] & 0xFF;
      if (code == 255) {
        break;
      }
      if (code == 0) {
        i++;
        continue;
      }
      int len = frame[i + 1] & 0xFF;
      if (code == 53 && len == 1 && frame[i + 2] == 2) {
        return Optional.of(new Offer(b.getInt(bootp + 4), ip(b.getInt(bootp + 16)),
            ip(b.getInt(14 + 12))));
      }
      i += 2 + len;
    }
    return Optional.empty();
  }

  private static String ip(int v) {
    return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
  }

  private static short ipChecksum(byte[] data, int off, int len) {
    long sum = 0;
    for (int i = 0; i < len; i += 2) {
      sum += ((data[off + i] & 0xFF) << 8) | (data[off + i + 1] & 0xFF);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (short) ~sum;
  }
}
