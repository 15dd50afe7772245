package io.fleetsim.guest;

/**
 * The bytes of our stream not yet acknowledged, sent or not: a ring of fixed capacity whose
 * first byte is the oldest unacknowledged one. No per-byte or per-write objects.
 */
final class TcpSendBuffer {
  private final byte[] ring;
  private int head;
  private int size;

  TcpSendBuffer(int capacity) {
    this.ring = new byte[capacity];
  }

  int size() {
    return size;
  }

  int free() {
    return ring.length - size;
  }

  /** Appends what fits of {@code data[off, off+len)}; returns how much was taken. */
  int write(byte[] data, int off, int len) {
    int n = Math.min(len, free());
    int tail = (head + size) % ring.length;
    int first = Math.min(n, ring.length - tail);
    System.arraycopy(data, off, ring, tail, first);
    System.arraycopy(data, off + first, ring, 0, n - first);
    size += n;
    return n;
  }

  /** Copies {@code len} bytes starting {@code from} bytes after the head into {@code dst}. */
  void copy(int from, byte[] dst, int dstOff, int len) {
    int start = (head + from) % ring.length;
    int first = Math.min(len, ring.length - start);
    System.arraycopy(ring, start, dst, dstOff, first);
    System.arraycopy(ring, 0, dst, dstOff + first, len - first);
  }

  /** Drops the first {@code n} bytes (acknowledged). */
  void remove(int n) {
    head = (head + n) % ring.length;
    size -= n;
  }
}
