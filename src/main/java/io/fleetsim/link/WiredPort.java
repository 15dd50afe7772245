package io.fleetsim.link;

import io.fleetsim.time.Clock;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A port behind a cable: its frames pass a {@link Wire} each way, between the wire end (the NIC
 * that materialises {@link #link(OutCount)}) and the port. The wires are in the link only when
 * they change something on the run's clock: a latency always does; the rate only where the clock
 * can time a serialisation (virtual time; a real host's timers cannot wait a microsecond, and
 * its own speed stands in for the rate there).
 */
public final class WiredPort implements Port {
  private final Port inner;
  private final Wire fromWire;
  private final Wire toWire;
  private final boolean inLink;

  private WiredPort(Port inner, Wire fromWire, Wire toWire, boolean inLink) {
    this.inner = inner;
    this.fromWire = fromWire;
    this.toWire = toWire;
    this.inLink = inLink;
  }

  /**
   * {@code inner} behind a cable of {@code latencyNanos} and {@code bitsPerSecond}; {@code
   * modelRate}: whether {@code clock} serialises at the rate (true in virtual time).
   */
  public static WiredPort of(Port inner, long latencyNanos, long bitsPerSecond, boolean modelRate,
      Clock clock) {
    if (bitsPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be > 0 bit/s, not " + bitsPerSecond);
    }
    long rate = modelRate ? bitsPerSecond : 0;
    boolean inLink = latencyNanos > 0 || rate > 0;
    return new WiredPort(inner,
        new Wire(latencyNanos, rate, Wire.DEFAULT_MAX_IN_FLIGHT, clock),
        new Wire(latencyNanos, rate, Wire.DEFAULT_MAX_IN_FLIGHT, clock), inLink);
  }

  /** Frames the wire end sends towards the port. */
  public Wire fromWire() {
    return fromWire;
  }

  /** Frames the port sends to the wire end. */
  public Wire toWire() {
    return toWire;
  }

  /** Whether the wires are in the link at all (else frames pass as if there were none). */
  public boolean inLink() {
    return inLink;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public PortCounters counters() {
    return inner.counters();
  }

  @Override
  public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
    if (!inLink) {
      return inner.link(outCount);
    }
    return BidiFlow.fromFlows(fromWire.flow(), toWire.flow()).join(inner.link(outCount));
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    return Optional.empty(); // every frame must pass the wires
  }
}
