package io.fleetsim.guest;

/** Big-endian (network order) field access on byte arrays; callers check bounds first. */
final class Bytes {
  private Bytes() {}

  static int u8(byte[] b, int off) {
    return b[off] & 0xFF;
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static int i32(byte[] b, int off) {
    return (u16(b, off) << 16) | u16(b, off + 2);
  }

  static long u48(byte[] b, int off) {
    return ((long) u16(b, off) << 32) | (i32(b, off + 2) & 0xFFFF_FFFFL);
  }

  static long i64(byte[] b, int off) {
    return ((long) i32(b, off) << 32) | (i32(b, off + 4) & 0xFFFF_FFFFL);
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void put32(byte[] b, int off, int v) {
    put16(b, off, v >>> 16);
    put16(b, off + 2, v);
  }

  static void put48(byte[] b, int off, long v) {
    put16(b, off, (int) (v >>> 32));
    put32(b, off + 2, (int) v);
  }

  static void put64(byte[] b, int off, long v) {
    put32(b, off, (int) (v >>> 32));
    put32(b, off + 4, (int) v);
  }
}
