package io.fleetsim.link;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one port. "In" is from the wire into the fabric, "out" is from the fabric to
 * the wire. Written from stream stages and the fabric actor on different threads, hence adders.
 */
public final class PortCounters {
  private final LongAdder framesIn = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder framesOut = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final EnumMap<DropCause, LongAdder> drops = new EnumMap<>(DropCause.class);

  public PortCounters() {
    for (DropCause cause : DropCause.values()) {
      drops.put(cause, new LongAdder());
    }
  }

  public void frameIn(int bytes) {
    framesIn.increment();
    bytesIn.add(bytes);
  }

  public void frameOut(int bytes) {
    framesOut.increment();
    bytesOut.add(bytes);
  }

  /** {@code frames} frames of {@code bytes} bytes in all, from the wire: one update per batch. */
  public void framesIn(long frames, long bytes) {
    framesIn.add(frames);
    bytesIn.add(bytes);
  }

  /** {@code frames} frames of {@code bytes} bytes in all, to the wire. */
  public void framesOut(long frames, long bytes) {
    framesOut.add(frames);
    bytesOut.add(bytes);
  }

  public void drop(DropCause cause) {
    drops.get(cause).increment();
  }

  public void drop(DropCause cause, long frames) {
    drops.get(cause).add(frames);
  }

  /** Frames sent out so far, without building a snapshot (a sampler reads thousands a second). */
  public long framesOutSoFar() {
    return framesOut.sum();
  }

  public long bytesOutSoFar() {
    return bytesOut.sum();
  }

  /** Drops so far, by every cause but {@code except}. */
  public long droppedSoFar(DropCause except) {
    long n = 0;
    for (Map.Entry<DropCause, LongAdder> e : drops.entrySet()) {
      if (e.getKey() != except) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  public PortStats snapshot(String port) {
    Map<String, Long> byCause = new java.util.LinkedHashMap<>();
    for (Map.Entry<DropCause, LongAdder> e : drops.entrySet()) {
      byCause.put(e.getKey().label(), e.getValue().sum());
    }
    return new PortStats(port, framesIn.sum(), bytesIn.sum(), framesOut.sum(), bytesOut.sum(),
        byCause);
  }
}
