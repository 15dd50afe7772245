package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetsim.fault.LatencyFault;
import io.fleetsim.fault.RateLimitFault;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Durations, sizes and rates need a unit: Typesafe Config alone reads {@code duration = 20} as
 * 20 ms and {@code burst = 6056} as bytes. Counts stay plain numbers.
 */
class UnitValidationTest {
  private static final String VMS = "networks { lan { type = switch } }\n"
      + "vms { web { count = 2, network = lan, ip = \"10.0.0.1/24\" } }\n";

  private static List<String> errors(String text) {
    return assertThrows(ExperimentException.class, () -> ExperimentLoader.parse(text, "t.conf"))
        .errors().stream().map(ValidationError::toString).collect(Collectors.toList());
  }

  @Test
  void aBareDurationIsAnErrorNamingTheKeyWithAnExample() {
    assertEquals(List.of("t.conf:2: duration: 20 has no unit; write it with one, e.g. 20s or 20ms"),
        errors("name = a\nduration = 20\n" + VMS));
    // quoted, Config would still read it as milliseconds
    assertEquals(List.of("t.conf:2: duration: 20 has no unit; write it with one, e.g. 20s or 20ms"),
        errors("name = a\nduration = \"20\"\n" + VMS));
  }

  @Test
  void everyDurationKeyOfAFaultAndTheReportNeedsAUnit() {
    List<String> errors = errors("name = a\nduration = 60s\n" + VMS
        + "report { progress-interval = 5 }\n"
        + "faults = [\n"
        + "  { at = 5, kind = latency, target = web, delay = 50 }\n"
        + "  { at = 1s, for = 2.5, every = 10, kind = latency, target = web, delay = 1ms, jitter = 0 }\n"
        + "  { at = 1s, kind = reorder, target = web, probability = 0.1, gap = 10 }\n"
        + "]\n");
    assertEquals(List.of(
        "t.conf:5: report.progress-interval: 5 has no unit; write it with one, e.g. 5s or 5ms",
        "t.conf:7: faults[0].at: 5 has no unit; write it with one, e.g. 5s or 5ms",
        "t.conf:7: faults[0].delay: 50 has no unit; write it with one, e.g. 50s or 50ms",
        "t.conf:8: faults[1].every: 10 has no unit; write it with one, e.g. 10s or 10ms",
        "t.conf:8: faults[1].for: 2.5 has no unit; write it with one, e.g. 2.5s or 2.5ms",
        "t.conf:8: faults[1].jitter: 0 has no unit; write it with one, e.g. 0s or 0ms",
        "t.conf:9: faults[2].gap: 10 has no unit; write it with one, e.g. 10s or 10ms"),
        errors.stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void sizesAndRatesOfARateLimitNeedAUnit() {
    List<String> errors = errors("name = a\nduration = 60s\n" + VMS + "faults = [\n"
        + "  { at = 1s, kind = rate, target = web, rate = 1Mbit, burst = 6056, queue = 0 }\n"
        + "  { at = 1s, kind = rate, target = web, rate = 10000000 }\n"
        + "]\n");
    assertEquals(List.of(
        "t.conf:6: faults[0].burst: 6056 has no unit; write it with one, e.g. 6056B or 6056KiB",
        "t.conf:6: faults[0].queue: 0 has no unit; write it with one, e.g. 0B or 0KiB",
        "t.conf:7: faults[1].rate: 10000000 has no unit; write it with one, e.g. 10000000bit or "
            + "10000000kbit (bits per second)"),
        errors.stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void aBareNumberInAWorkloadIsAnErrorAtItsElement() {
    List<String> errors = errors("name = a\nduration = 60s\nnetworks { lan { type = switch } }\n"
        + "vms { web { count = 2, network = lan, ip = \"10.0.0.1/24\", workloads = [\n"
        + "  \"ping 10.0.0.2 interval=20\"\n"
        + "  \"udp-send 10.0.0.2:9 rate=300 duration=10s\"\n"
        + "] } }\n");
    assertEquals(2, errors.size(), errors.toString());
    assertEquals("t.conf:5: vms.web.workloads[0]: ping: interval=20 has no unit; write it with one, "
        + "e.g. interval=20s or interval=20ms (usage: ping HOST [count=N] [interval=DURATION] "
        + "[size=SIZE] [ttl=N])", errors.get(0));
    assertEquals("t.conf:6: vms.web.workloads[1]: udp-send: rate=300 has no unit; write it with "
        + "one, e.g. rate=300/s (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] "
        + "[duration=DURATION] [count=N])", errors.get(1));
  }

  @Test
  void quantitiesWithUnitsAndDefaultsFromReferenceConfAreRead() throws Exception {
    Experiment e = ExperimentLoader.parse("name = a\nduration = \"1.5 minutes\"\nseed = 7\n" + VMS
        + "faults = [\n"
        + "  { at = 0s, kind = latency, target = web, delay = \"50 ms\", jitter = 2ms }\n"
        + "  { at = 1s, kind = rate, target = web, rate = 1200bit, burst = 1514 B }\n"
        + "]\n", "t.conf");
    assertEquals(Duration.ofSeconds(90), e.duration());
    assertEquals(7, e.seed());
    assertEquals(new LatencyFault(Duration.ofMillis(50), Duration.ofMillis(2),
        LatencyFault.Distribution.NORMAL), e.faults().get(0).fault());
    // queue and progress-interval from reference.conf, which follows the same rule
    assertEquals(new RateLimitFault(1200, 1514, 65536), e.faults().get(1).fault());
    assertEquals(Duration.ofSeconds(5), e.report().progressInterval());
  }
}
