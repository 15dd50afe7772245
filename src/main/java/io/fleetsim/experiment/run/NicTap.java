package io.fleetsim.experiment.run;

import io.fleetsim.link.FrameTap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;

/**
 * Counts what one NIC puts on and takes off its wire, at the NIC's end of the link. It outlives
 * the VM (a crashed and restarted VM keeps counting here), and it is counted independently of
 * the fabric port at the other end, so the two can be checked against each other.
 */
final class NicTap implements FrameTap {
  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();

  @Override
  public void frame(Direction direction, ByteString frame) {
    (direction == Direction.TO_WIRE ? sent : received).increment();
  }

  long sent() {
    return sent.sum();
  }

  long received() {
    return received.sum();
  }
}
