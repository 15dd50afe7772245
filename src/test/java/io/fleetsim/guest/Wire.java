package io.fleetsim.guest;

import java.util.function.Predicate;

/**
 * A cable between two {@link FakeLink}s with a fixed one-way latency and an optional drop rule
 * per direction (applied to each frame as it leaves).
 */
public final class Wire {
  private Predicate<byte[]> dropAtoB = f -> false;
  private Predicate<byte[]> dropBtoA = f -> false;

  private Wire() {}

  public static Wire connect(VirtualClock clock, FakeLink a, FakeLink b, long latencyNanos) {
    Wire w = new Wire();
    a.onTransmit(f -> {
      if (!w.dropAtoB.test(f)) {
        clock.schedule(latencyNanos, () -> b.deliver(f));
      }
    });
    b.onTransmit(f -> {
      if (!w.dropBtoA.test(f)) {
        clock.schedule(latencyNanos, () -> a.deliver(f));
      }
    });
    return w;
  }

  public Wire dropAtoB(Predicate<byte[]> rule) {
    this.dropAtoB = rule;
    return this;
  }

  public Wire dropBtoA(Predicate<byte[]> rule) {
    this.dropBtoA = rule;
    return this;
  }
}
