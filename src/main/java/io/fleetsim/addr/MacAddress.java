package io.fleetsim.addr;

import java.util.Optional;

/** A 48-bit Ethernet address held in the low bits of a long. */
public record MacAddress(long bits) {

  /** QEMU's first default NIC address; the n-th NIC of a process without mac= gets :56 + n. */
  public static final MacAddress QEMU_DEFAULT = new MacAddress(0x525400123456L);

  public MacAddress {
    if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
      throw new IllegalArgumentException("MAC address wider than 48 bits: " + Long.toHexString(bits));
    }
  }

  /**
   * QEMU's {@code mac=} syntax: six bytes of exactly two hex digits, each separator ':' or '-'
   * (QEMU 7.2 accepts a mix). Empty when the text is anything else.
   */
  public static Optional<MacAddress> tryParse(String text) {
    if (text.length() != 17) {
      return Optional.empty();
    }
    long bits = 0;
    for (int i = 0; i < 6; i++) {
      int hi = Character.digit(text.charAt(3 * i), 16);
      int lo = Character.digit(text.charAt(3 * i + 1), 16);
      if (hi < 0 || lo < 0 || text.charAt(3 * i) > 'f' || text.charAt(3 * i + 1) > 'f') {
        return Optional.empty();
      }
      if (i < 5 && text.charAt(3 * i + 2) != ':' && text.charAt(3 * i + 2) != '-') {
        return Optional.empty();
      }
      bits = (bits << 8) | (hi << 4) | lo;
    }
    return Optional.of(new MacAddress(bits));
  }

  /** Byte i (0 = first on the wire). */
  public int octet(int i) {
    return (int) (bits >>> (8 * (5 - i))) & 0xFF;
  }

  public byte[] toBytes() {
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) octet(i);
    }
    return b;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(String.format("%02x", octet(i)));
    }
    return sb.toString();
  }
}
