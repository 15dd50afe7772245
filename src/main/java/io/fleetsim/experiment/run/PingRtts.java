package io.fleetsim.experiment.run;

import io.fleetsim.experiment.Experiment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Round-trip times of every ping reply in the experiment, read off the guests' busybox reply
 * lines ("64 bytes from 10.0.0.2: seq=3 ttl=64 time=0.321 ms"): per second for the RTT series,
 * and per fleet over the whole run for the report's fleet summary (percentiles of the replies
 * themselves: percentiles of per-VM percentiles would mean nothing). {@link Recorder}s: VMs
 * record from their own threads, the sampler takes one interval a second; the fleet totals are
 * read by the results at the end and, while the run goes, by the control API's threads.
 */
final class PingRtts {
  private static final Pattern REPLY = Pattern.compile("bytes from \\S+: seq=\\d+ ttl=\\d+ time=(\\d+)\\.(\\d{3}) ms");

  private final Recorder recorder = new Recorder(3);
  private Histogram interval;
  /** Lookups only (by VM name, then by fleet name): nothing iterates these. */
  private final Map<String, String> fleetOfVm = new HashMap<>();
  private final Map<String, Recorder> perFleet = new HashMap<>();
  private final Map<String, Histogram> fleetTotals = new HashMap<>();
  private final List<String> fleets = new ArrayList<>(); // file order, for fleets()

  PingRtts(Experiment experiment) {
    for (Experiment.Fleet fleet : experiment.fleets().values()) {
      perFleet.put(fleet.name(), new Recorder(3));
      fleets.add(fleet.name());
      fleet.vms().forEach(vm -> fleetOfVm.put(vm.name(), fleet.name()));
    }
  }

  /** Looks at one console line of {@code vm}; records the RTT if it is a ping reply. */
  void line(String vm, String line) {
    if (line.indexOf("bytes from ") < 0) {
      return;
    }
    Matcher m = REPLY.matcher(line);
    if (m.find()) {
      long micros = Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2));
      recorder.recordValue(micros);
      String fleet = fleetOfVm.get(vm);
      if (fleet != null) {
        perFleet.get(fleet).recordValue(micros);
      }
    }
  }

  /** The replies since the last call, in microseconds. */
  Histogram takeInterval() {
    interval = recorder.getIntervalHistogram(interval);
    return interval;
  }

  /** Every reply a fleet's VMs received so far, in microseconds; empty for an unknown fleet. */
  synchronized Histogram fleet(String name) {
    Recorder r = perFleet.get(name);
    Histogram total = fleetTotals.computeIfAbsent(name, n -> new Histogram(3));
    if (r != null) {
      total.add(r.getIntervalHistogram());
    }
    return total.copy();
  }

  /**
   * {@link #fleet} for every fleet, in file order (a fleet without replies has an empty one).
   * Reading these mid-run only moves replies from the recorders into the same totals: what
   * {@link #fleet} gives the results at the end is the same.
   */
  synchronized Map<String, Histogram> fleets() {
    Map<String, Histogram> out = new LinkedHashMap<>();
    for (String name : fleets) {
      out.put(name, fleet(name));
    }
    return Collections.unmodifiableMap(out);
  }
}
