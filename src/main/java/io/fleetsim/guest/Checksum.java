package io.fleetsim.guest;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * words, an odd last byte padded with zero. Verifying a block that includes its checksum field
 * yields 0.
 */
final class Checksum {
  private Checksum() {}

  /** Adds the words of {@code b[off, off+len)} to a running 32-bit sum (not yet folded). */
  static long add(long sum, byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    for (; i + 1 < end; i += 2) {
      sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if (i < end) {
      sum += (b[i] & 0xFF) << 8;
    }
    return sum;
  }

  /** The IPv4 pseudo-header of UDP/TCP (RFC 768): addresses, protocol, transport length. */
  static long pseudoHeader(int src, int dst, int protocol, int length) {
    return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + length;
  }

  /** Folds carries and complements: the value to store in a checksum field. */
  static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  static int of(byte[] b, int off, int len) {
    return finish(add(0, b, off, len));
  }

  /**
   * RFC 1624 eqn. 3: the checksum after one 16-bit word of the block changed from {@code
   * oldWord} to {@code newWord}, HC' = ~(~HC + ~m + m').
   */
  static int update(int checksum, int oldWord, int newWord) {
    long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
    return finish(sum);
  }
}
