package io.fleetsim.guest;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The out-of-order queue of one receiving stream: pieces that arrived ahead of a hole, keyed by
 * their stream offset (bytes from the start of the stream, so no sequence wrap-around here).
 * Stored pieces never overlap: a new piece keeps only the bytes nobody holds yet, so duplicated
 * and overlapping retransmissions cost nothing twice. A TreeMap keeps the order fixed.
 */
final class TcpReassembly {
  private final TreeMap<Long, byte[]> pieces = new TreeMap<>();
  private long bytes;

  /** Bytes held. */
  long bytes() {
    return bytes;
  }

  boolean isEmpty() {
    return pieces.isEmpty();
  }

  /** Holds {@code data[off, off+len)} found at stream offset {@code start}. */
  void add(long start, byte[] data, int off, int len) {
    long end = start + len;
    long at = start;
    Map.Entry<Long, byte[]> before = pieces.floorEntry(start);
    if (before != null) {
      at = Math.max(at, before.getKey() + before.getValue().length);
    }
    while (at < end) {
      Map.Entry<Long, byte[]> next = pieces.ceilingEntry(at);
      long gapEnd = next == null ? end : Math.min(end, next.getKey());
      if (gapEnd > at) {
        int from = off + (int) (at - start);
        pieces.put(at, Arrays.copyOfRange(data, from, from + (int) (gapEnd - at)));
        bytes += gapEnd - at;
      }
      if (next == null) {
        break;
      }
      at = Math.max(at, next.getKey() + next.getValue().length);
    }
  }

  /**
   * Hands every held byte from {@code next} on that is contiguous with it to {@code sink}, in
   * order, dropping held bytes before {@code next}; returns the new next offset.
   */
  long take(long next, Consumer<byte[]> sink) {
    while (!pieces.isEmpty()) {
      Map.Entry<Long, byte[]> first = pieces.firstEntry();
      long start = first.getKey();
      byte[] piece = first.getValue();
      if (start > next) {
        break;
      }
      pieces.pollFirstEntry();
      bytes -= piece.length;
      long pieceEnd = start + piece.length;
      if (pieceEnd > next) {
        int skip = (int) (next - start);
        sink.accept(skip == 0 ? piece : Arrays.copyOfRange(piece, skip, piece.length));
        next = pieceEnd;
      }
    }
    return next;
  }

  void clear() {
    pieces.clear();
    bytes = 0;
  }
}
