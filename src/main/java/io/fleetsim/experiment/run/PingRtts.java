package io.fleetsim.experiment.run;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Round-trip times of every ping reply in the experiment, read off the guests' busybox reply
 * lines ("64 bytes from 10.0.0.2: seq=3 ttl=64 time=0.321 ms"), for the per-second RTT series.
 * A {@link Recorder}: VMs record from their own threads, the sampler takes one interval a second.
 */
final class PingRtts {
  private static final Pattern REPLY = Pattern.compile("bytes from \\S+: seq=\\d+ ttl=\\d+ time=(\\d+)\\.(\\d{3}) ms");

  private final Recorder recorder = new Recorder(3);
  private Histogram interval;

  /** Looks at one console line; records the RTT if it is a ping reply. */
  void line(String line) {
    if (line.indexOf("bytes from ") < 0) {
      return;
    }
    Matcher m = REPLY.matcher(line);
    if (m.find()) {
      long micros = Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2));
      recorder.recordValue(micros);
    }
  }

  /** The replies since the last call, in microseconds. */
  Histogram takeInterval() {
    interval = recorder.getIntervalHistogram(interval);
    return interval;
  }
}
