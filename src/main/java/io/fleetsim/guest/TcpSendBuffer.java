package io.fleetsim.guest;

/**
 * The bytes of our stream not yet acknowledged, sent or not: a ring whose first byte is the
 * oldest unacknowledged one. It holds up to {@code capacity} bytes but allocates only what it
 * has needed so far (doubling from 4 KiB), so the many small connections of a large fleet do not
 * each cost the full buffer. No per-byte or per-write objects.
 */
final class TcpSendBuffer {
  private static final int INITIAL = 4096;

  private final int capacity;
  private byte[] ring;
  private int head;
  private int size;

  TcpSendBuffer(int capacity) {
    this.capacity = capacity;
    this.ring = new byte[Math.min(INITIAL, capacity)];
  }

  int size() {
    return size;
  }

  int free() {
    return capacity - size;
  }

  /** Appends what fits of {@code data[off, off+len)}; returns how much was taken. */
  int write(byte[] data, int off, int len) {
    int n = Math.min(len, free());
    if (size + n > ring.length) {
      grow(size + n);
    }
    int tail = (head + size) % ring.length;
    int first = Math.min(n, ring.length - tail);
    System.arraycopy(data, off, ring, tail, first);
    System.arraycopy(data, off + first, ring, 0, n - first);
    size += n;
    return n;
  }

  private void grow(int needed) {
    int length = ring.length;
    while (length < needed) {
      length = Math.min(capacity, length * 2);
    }
    byte[] bigger = new byte[length];
    copy(0, bigger, 0, size);
    ring = bigger;
    head = 0;
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
