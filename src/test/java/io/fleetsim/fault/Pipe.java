package io.fleetsim.fault;

import io.fleetsim.time.RealClock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/** A chain's core driven in virtual time, collecting what it releases. */
final class Pipe {
  /** A released frame and the virtual time it was due. */
  record Out(ByteString frame, long at) {
    int seq() {
      return Pipe.seq(frame);
    }
  }

  final FaultChain chain = new FaultChain(RealClock.system());
  final FaultChain.Counters counters = new FaultChain.Counters();
  final FaultPipeline pipeline = new FaultPipeline(counters);
  final List<Out> out = new ArrayList<>();
  private final List<FaultChain.Entry> entries = new ArrayList<>();
  private int ids;

  static Pipe of(long seed, Fault.LinkFault... faults) {
    Pipe p = new Pipe();
    for (Fault.LinkFault f : faults) {
      p.add(f, seed++);
    }
    return p;
  }

  String add(Fault.LinkFault f, long seed) {
    String id = "f" + ids++;
    entries.add(new FaultChain.Entry(id, f, seed));
    pipeline.setEntries(List.copyOf(entries), 0);
    return id;
  }

  void remove(String id, long now) {
    entries.removeIf(e -> e.id().equals(id));
    pipeline.setEntries(List.copyOf(entries), now);
  }

  /** Offers {@code frame} at {@code at}, releasing first whatever was due before. */
  void offer(ByteString frame, long at) {
    releaseUntil(at);
    pipeline.offer(frame, at);
  }

  void releaseUntil(long now) {
    while (pipeline.nextDue() <= now) {
      long due = pipeline.nextDue();
      out.add(new Out(pipeline.pollDue(now), due));
    }
  }

  void releaseAll() {
    releaseUntil(Long.MAX_VALUE - 1);
  }

  long drops(String cause) {
    java.util.concurrent.atomic.LongAdder n = counters.drops.get(cause);
    return n == null ? 0 : n.sum();
  }

  long allDrops() {
    return counters.drops.values().stream().mapToLong(java.util.concurrent.atomic.LongAdder::sum).sum();
  }

  /** A 60-byte frame from {@code srcMac} carrying {@code seq} at offset 14. */
  static ByteString frame(int seq, long srcMac) {
    byte[] b = new byte[60];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) 0xff;
      b[6 + i] = (byte) (srcMac >>> (8 * (5 - i)));
    }
    b[14] = (byte) (seq >>> 24);
    b[15] = (byte) (seq >>> 16);
    b[16] = (byte) (seq >>> 8);
    b[17] = (byte) seq;
    return ByteString.fromArray(b);
  }

  static ByteString frame(int seq) {
    return frame(seq, 0x525400000001L);
  }

  static int seq(ByteString f) {
    return ((f.apply(14) & 0xff) << 24) | ((f.apply(15) & 0xff) << 16) | ((f.apply(16) & 0xff) << 8)
        | (f.apply(17) & 0xff);
  }

  static final long MS = 1_000_000L;
}
