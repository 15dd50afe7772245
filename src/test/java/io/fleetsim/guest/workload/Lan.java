package io.fleetsim.guest.workload;

import io.fleetsim.guest.FakeLink;
import io.fleetsim.guest.VirtualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A hub for stack tests: every frame a port sends reaches every other attached port after a
 * fixed latency. A port is a {@link FakeLink} (a stack) or a raw receiver the test reads.
 */
final class Lan {
  private static final long LATENCY_NANOS = 100_000L;

  private final VirtualClock clock;
  private final List<Port> ports = new ArrayList<>();
  private final Map<FakeLink, Port> byLink = new HashMap<>();

  private static final class Port {
    final Consumer<byte[]> in;
    boolean attached = true;

    Port(Consumer<byte[]> in) {
      this.in = in;
    }
  }

  Lan(VirtualClock clock) {
    this.clock = clock;
  }

  void attach(FakeLink link) {
    Port p = new Port(link::deliver);
    ports.add(p);
    byLink.put(link, p);
    link.onTransmit(f -> carry(p, f));
  }

  /** Takes a link off the hub (a VM that is gone, before its reboot joins). */
  void detach(FakeLink link) {
    link.onTransmit(f -> {});
    byLink.get(link).attached = false;
  }

  /** A raw port: what arrives goes to {@code receiver}; the returned consumer sends. */
  Consumer<byte[]> raw(Consumer<byte[]> receiver) {
    Port p = new Port(receiver);
    ports.add(p);
    return f -> carry(p, f.clone());
  }

  private void carry(Port from, byte[] frame) {
    if (!from.attached) {
      return;
    }
    for (Port to : ports) {
      if (to != from && to.attached) {
        clock.schedule(LATENCY_NANOS, () -> {
          if (to.attached) {
            to.in.accept(frame.clone());
          }
        });
      }
    }
  }
}
