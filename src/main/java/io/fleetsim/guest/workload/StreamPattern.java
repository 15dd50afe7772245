package io.fleetsim.guest.workload;

/**
 * The bytes tcp-stream sends and http-serve serves: byte {@code i} of the stream is a function
 * of {@code i} alone, so a receiver checks every byte without knowing the sender or a seed.
 * The stream is cut into 8-byte words, word {@code w} being a 64-bit mix of {@code w} (big
 * endian): a lost, repeated or shifted piece of any length changes the bytes where it lands,
 * which a plain counter modulo 256 would not show for shifts of a multiple of 256.
 */
public final class StreamPattern {
  private StreamPattern() {}

  /** The word at stream position {@code word}: an invertible mix, so no two words are alike. */
  static long word(long word) {
    long x = (word + 1) * 0x9E37_79B9_7F4A_7C15L;
    x ^= x >>> 31;
    x *= 0xD6E8_FEB8_6659_FD93L;
    return x ^ (x >>> 29);
  }

  /** Byte {@code offset} of the stream. */
  public static byte at(long offset) {
    return (byte) (word(offset >>> 3) >>> (56 - 8 * (int) (offset & 7)));
  }

  /** Writes stream bytes {@code offset} to {@code offset + length - 1} into {@code into[at..]}. */
  public static void fill(long offset, byte[] into, int at, int length) {
    int i = 0;
    while (i < length && ((offset + i) & 7) != 0) {
      into[at + i] = at(offset + i);
      i++;
    }
    for (; i + 8 <= length; i += 8) {
      long w = word((offset + i) >>> 3);
      for (int b = 0; b < 8; b++) {
        into[at + i + b] = (byte) (w >>> (56 - 8 * b));
      }
    }
    for (; i < length; i++) {
      into[at + i] = at(offset + i);
    }
  }

  /** How many of {@code data[at..at+length)} differ from the stream at {@code offset}. */
  public static long mismatches(long offset, byte[] data, int at, int length) {
    long bad = 0;
    long word = -1;
    long w = 0;
    for (int i = 0; i < length; i++) {
      long o = offset + i;
      if ((o >>> 3) != word) {
        word = o >>> 3;
        w = word(word);
      }
      if (data[at + i] != (byte) (w >>> (56 - 8 * (int) (o & 7)))) {
        bad++;
      }
    }
    return bad;
  }
}
