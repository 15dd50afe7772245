package io.fleetsim.guest;

/** Ethernet II framing (no FCS, as QEMU carries frames): destination, source, EtherType. */
final class Ethernet {
  static final int HEADER = 14;
  /** The shortest frame on the wire without FCS; shorter ones are padded with zeros. */
  static final int MIN_FRAME = 60;
  static final int MTU = 1500;
  static final int TYPE_IPV4 = 0x0800;
  static final int TYPE_ARP = 0x0806;
  static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

  private Ethernet() {}

  static long destination(byte[] frame) {
    return Bytes.u48(frame, 0);
  }

  static long source(byte[] frame) {
    return Bytes.u48(frame, 6);
  }

  static int type(byte[] frame) {
    return Bytes.u16(frame, 12);
  }

  /** The I/G bit (least significant bit of the first octet): broadcast and multicast. */
  static boolean isGroup(long mac) {
    return ((mac >>> 40) & 1) != 0;
  }

  /** RFC 1112 6.4: 01:00:5e plus the low 23 bits of the group address. */
  static long multicastMac(int group) {
    return 0x0100_5E00_0000L | (group & 0x7F_FFFF);
  }

  /** A zeroed frame with room for the header and {@code payloadLength}, padded to 60 bytes. */
  static byte[] allocate(int payloadLength) {
    return new byte[Math.max(MIN_FRAME, HEADER + payloadLength)];
  }

  static void writeHeader(byte[] frame, long destination, long source, int type) {
    Bytes.put48(frame, 0, destination);
    Bytes.put48(frame, 6, source);
    Bytes.put16(frame, 12, type);
  }

  static void writeDestination(byte[] frame, long destination) {
    Bytes.put48(frame, 0, destination);
  }
}
