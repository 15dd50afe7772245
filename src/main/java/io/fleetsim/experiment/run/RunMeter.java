package io.fleetsim.experiment.run;

import io.fleetsim.guest.StackMeter;
import java.util.concurrent.atomic.LongAdder;

/**
 * The run's TCP traffic over every VM, summed as it happens: bytes delivered in order to the
 * programs reading them (goodput) and segments sent again. One per run, shared by every stack;
 * in real time VMs call it from several threads at once, hence the adders. The conductor reads
 * it once a second into the series, as it reads the fabric's counters.
 */
final class RunMeter implements StackMeter {
  /** The totals at one moment; the series are the differences between two readings. */
  record Reading(long tcpBytes, long tcpRetransmissions) {
    Reading minus(Reading before) {
      return new Reading(tcpBytes - before.tcpBytes, tcpRetransmissions - before.tcpRetransmissions);
    }
  }

  private final LongAdder delivered = new LongAdder();
  private final LongAdder retransmitted = new LongAdder();

  @Override
  public void tcpDelivered(long bytes) {
    delivered.add(bytes);
  }

  @Override
  public void tcpRetransmitted() {
    retransmitted.increment();
  }

  /** The totals so far (exact once the VMs are quiet; in real time a moment's sum otherwise). */
  Reading read() {
    return new Reading(delivered.sum(), retransmitted.sum());
  }
}
