package io.fleetsim.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A shared segment for tests: every frame a member sends reaches every other member after a
 * fixed latency (a hub; the stacks filter by MAC). {@link #tap} sees each frame as it is sent.
 */
public final class Hub {
  private final List<FakeLink> members = new ArrayList<>();
  private final VirtualClock clock;
  private final long latencyNanos;
  private Consumer<byte[]> tap = f -> {};

  public Hub(VirtualClock clock, long latencyNanos) {
    this.clock = clock;
    this.latencyNanos = latencyNanos;
  }

  public Hub attach(FakeLink link) {
    members.add(link);
    link.onTransmit(f -> {
      tap.accept(f);
      for (FakeLink other : members) {
        if (other != link) {
          clock.schedule(latencyNanos, () -> other.deliver(f.clone()));
        }
      }
    });
    return this;
  }

  public Hub tap(Consumer<byte[]> consumer) {
    this.tap = consumer;
    return this;
  }
}
