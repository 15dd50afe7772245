package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/** A fabric port that sends every frame from the wire straight back to the wire. */
final class EchoPort implements Port {
  private final PortCounters counters = new PortCounters();
  private final AtomicInteger links = new AtomicInteger();

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public PortCounters counters() {
    return counters;
  }

  @Override
  public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
    return Flow.<ByteString>create().mapMaterializedValue(m -> {
      links.incrementAndGet();
      return m;
    });
  }

  int linksMaterialized() {
    return links.get();
  }
}
