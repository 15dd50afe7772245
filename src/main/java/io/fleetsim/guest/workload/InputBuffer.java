package io.fleetsim.guest.workload;

import java.util.Arrays;

/** Received bytes not yet parsed: appended at the end, consumed from the start. */
final class InputBuffer {
  private byte[] data = new byte[512];
  private int start;
  private int end;

  void append(byte[] b, int offset, int length) {
    if (end + length > data.length) {
      if (end - start + length <= data.length) {
        System.arraycopy(data, start, data, 0, end - start);
      } else {
        data = Arrays.copyOfRange(data, start, start + Math.max(2 * data.length, end - start + length));
      }
      end -= start;
      start = 0;
    }
    System.arraycopy(b, offset, data, end, length);
    end += length;
  }

  void append(byte[] b) {
    append(b, 0, b.length);
  }

  byte[] array() {
    return data;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }

  int size() {
    return end - start;
  }

  void consume(int n) {
    start += n;
    if (start == end) {
      start = 0;
      end = 0;
    }
  }

  void clear() {
    start = 0;
    end = 0;
  }
}
