package io.fleetsim.link;

import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A port whose frames, both ways, also pass a list of taps (QEMU's netfilter position: between
 * the netdev and whatever the port belongs to). Works for any port: a hub's, a switch's, a NIC's.
 */
public final class TappedPort implements Port {
  private final Port inner;
  private final List<FrameTap> taps;

  private TappedPort(Port inner, List<FrameTap> taps) {
    this.inner = inner;
    this.taps = List.copyOf(taps);
  }

  /** {@code port} itself when there are no taps, so untapped ports pay nothing. */
  public static Port of(Port port, List<? extends FrameTap> taps) {
    return taps.isEmpty() ? port : new TappedPort(port, List.copyOf(taps));
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
    return BidiFlow.fromFlows(tap(FrameTap.Direction.FROM_WIRE), tap(FrameTap.Direction.TO_WIRE))
        .join(inner.link(outCount));
  }

  private Flow<ByteString, ByteString, NotUsed> tap(FrameTap.Direction direction) {
    return Flow.<ByteString>create().map(frame -> {
      for (FrameTap tap : taps) {
        tap.frame(direction, frame);
      }
      return frame;
    });
  }
}
