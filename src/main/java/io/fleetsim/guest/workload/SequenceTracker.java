package io.fleetsim.guest.workload;

import java.util.Arrays;

/**
 * Sequence accounting for one sender whose numbers start at 0: which arrived, which twice,
 * which late. A ring of {@link #WINDOW} bits behind the highest number remembers arrivals;
 * an arrival older than that is counted as out of order and cannot be recognised as a
 * duplicate.
 */
final class SequenceTracker {
  static final int WINDOW = 1 << 16;

  private final long[] seen = new long[WINDOW / 64];
  private long highest = -1;
  private long unique;
  private long duplicates;
  private long outOfOrder;

  void record(long seq) {
    if (seq > highest) {
      long gap = seq - highest;
      if (gap >= WINDOW) {
        Arrays.fill(seen, 0);
      } else {
        for (long s = highest + 1; s < seq; s++) {
          clear(s);
        }
      }
      set(seq);
      highest = seq;
      unique++;
    } else if (highest - seq >= WINDOW) {
      unique++;
      outOfOrder++;
    } else if (isSet(seq)) {
      duplicates++;
    } else {
      set(seq);
      unique++;
      outOfOrder++;
    }
  }

  long highest() {
    return highest;
  }

  long unique() {
    return unique;
  }

  long duplicates() {
    return duplicates;
  }

  long outOfOrder() {
    return outOfOrder;
  }

  /** Numbers up to the highest seen that never arrived (assuming the sender began at 0). */
  long lost() {
    return Math.max(0, highest + 1 - unique);
  }

  private int index(long seq) {
    return (int) (seq & (WINDOW - 1));
  }

  private void set(long seq) {
    int i = index(seq);
    seen[i >>> 6] |= 1L << (i & 63);
  }

  private void clear(long seq) {
    int i = index(seq);
    seen[i >>> 6] &= ~(1L << (i & 63));
  }

  private boolean isSet(long seq) {
    int i = index(seq);
    return (seen[i >>> 6] & (1L << (i & 63))) != 0;
  }
}
