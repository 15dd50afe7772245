package io.fleetsim.experiment.run;

import io.fleetsim.control.Readings;
import io.fleetsim.control.Status;
import io.fleetsim.experiment.Experiment;
import java.util.List;

/**
 * A running experiment's live figures for the control API: its networks with their ports and
 * peers, and every counter so far. Reads only thread-safe counters; called from the API's threads.
 */
final class RunReadings {

  RunReadings(Experiment experiment, Wiring wiring, PingRtts rtts, RunMeter meter) {
  }

  /** Every network with its ports (VMs' NICs, QEMU netdevs, ends of links), in file order. */
  List<Status.NetworkView> networks() {
    throw new UnsupportedOperationException("issue 13: readings helper");
  }

  /** Every counter so far. */
  Readings readings() {
    throw new UnsupportedOperationException("issue 13: readings helper");
  }

  /** VMs running now. */
  int vmsRunning() {
    throw new UnsupportedOperationException("issue 13: readings helper");
  }
}
