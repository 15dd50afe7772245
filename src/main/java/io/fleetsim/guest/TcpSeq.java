package io.fleetsim.guest;

/** Sequence number comparison modulo 2^32 (RFC 9293 3.4): a is before b when (a - b) < 0. */
final class TcpSeq {
  private TcpSeq() {}

  static boolean lt(int a, int b) {
    return a - b < 0;
  }

  static boolean leq(int a, int b) {
    return a - b <= 0;
  }

  static boolean gt(int a, int b) {
    return a - b > 0;
  }

  static boolean geq(int a, int b) {
    return a - b >= 0;
  }

  /** {@code lo <= x < lo + len} in sequence space. */
  static boolean inWindow(int x, int lo, int len) {
    return x - lo >= 0 && x - lo < len;
  }
}
