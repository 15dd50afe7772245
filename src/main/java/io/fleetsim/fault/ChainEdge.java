package io.fleetsim.fault;

import io.fleetsim.link.CountingEdge;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Counts the frames crossing one edge of a fault chain, in code apart from the chain's own, so a
 * port's books can check the chain: frames in on one edge against frames out on the other, with
 * the chain's drops and held frames between. One instance counts for every link of the port.
 *
 * <p>A link can close beyond this edge (the peer went away, the fabric port ended) while a frame
 * is on its way in: Pekko drops an element pushed into a stage that has been cancelled. So when
 * its downstream cancels, an edge does not cancel upstream: it takes what still comes until its
 * upstream completes and counts it as {@link FaultyPort#CAUSE_LINK_CLOSED}, and no frame the chain let go goes
 * unbooked.
 */
final class ChainEdge {
  private final String name;
  private final LongAdder passed = new LongAdder();
  private final LongAdder closedOn = new LongAdder();

  ChainEdge(String name) {
    this.name = name;
  }

  /** Frames that crossed this edge. */
  long passed() {
    return passed.sum();
  }

  /** Frames that came to this edge after the link beyond it had closed: lost there. */
  long closedOn() {
    return closedOn.sum();
  }

  /** A fresh stage for the next link. */
  Flow<ByteString, ByteString, NotUsed> flow() {
    return CountingEdge.of("ChainEdge-" + name, passed, closedOn, () -> { }, () -> { });
  }
}
