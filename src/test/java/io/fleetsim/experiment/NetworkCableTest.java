package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code networks.NAME.latency} and {@code .rate}: the cable of each VM's link to a network. */
class NetworkCableTest {
  private static String file(String lan) {
    return "name = a\nduration = 10s\nnetworks {\n  lan { type = switch" + lan + " }\n}\n"
        + "vms { web { count = 2, network = lan, ip = \"10.0.0.1/24\" } }\n";
  }

  private static List<String> errors(String text) {
    return assertThrows(ExperimentException.class, () -> ExperimentLoader.parse(text, "t.conf"))
        .errors().stream().map(ValidationError::toString).collect(Collectors.toList());
  }

  private static Experiment.Network lan(String keys) throws Exception {
    return ExperimentLoader.parse(file(keys), "t.conf").networks().get("lan");
  }

  @Test
  void withoutTheKeysACableHasNoLatencyAndTheE1000sGigabit() throws Exception {
    Experiment.Network lan = lan("");
    assertEquals(Duration.ZERO, lan.latency());
    assertEquals(1_000_000_000L, lan.rateBitsPerSecond());
  }

  @Test
  void latencyAndRateAreReadWithTheirUnits() throws Exception {
    Experiment.Network lan = lan(", latency = 20ms, rate = 10Gbit");
    assertEquals(Duration.ofMillis(20), lan.latency());
    assertEquals(10_000_000_000L, lan.rateBitsPerSecond());
    assertEquals(100_000_000L, lan(", rate = 100Mbit").rateBitsPerSecond());
    assertEquals(1_500_000L, lan(", rate = \"1.5 Mbit\"").rateBitsPerSecond());
    assertEquals(Duration.ofNanos(1500), lan(", latency = 1.5us").latency());
  }

  @Test
  void aBadLatencyIsAnErrorNamingTheKey() {
    assertEquals(List.of("t.conf:4: networks.lan.latency: must be >= 0, not -1ms"),
        errors(file(", latency = -1ms")));
    assertEquals(List.of("t.conf:4: networks.lan.latency: 20 has no unit; write it with one, e.g. "
        + "20s or 20ms"), errors(file(", latency = 20")));
    List<String> word = errors(file(", latency = soon"));
    assertEquals(1, word.size(), word.toString());
    assertTrue(word.get(0).startsWith("t.conf:4: networks.lan.latency: "), word.toString());
  }

  @Test
  void aBadRateIsAnErrorNamingTheKey() {
    assertEquals(List.of("t.conf:4: networks.lan.rate: must be above 0 bit/s, not 0Mbit"),
        errors(file(", rate = 0Mbit")));
    assertEquals(List.of("t.conf:4: networks.lan.rate: '-1Gbit' is not a rate such as 10Mbit, "
        + "500kbit or 1Gbit (bits per second)"), errors(file(", rate = -1Gbit")));
    assertEquals(List.of("t.conf:4: networks.lan.rate: 1000 has no unit; write it with one, e.g. "
        + "1000bit or 1000kbit (bits per second)"), errors(file(", rate = 1000")));
    assertEquals(List.of("t.conf:4: networks.lan.rate: 'fast' is not a rate such as 10Mbit, "
        + "500kbit or 1Gbit (bits per second)"), errors(file(", rate = fast")));
  }

  @Test
  void anUnknownKeyOfANetworkIsStillAnError() {
    List<String> errors = errors(file(", latancy = 1ms"));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("t.conf:4: networks.lan.latancy: "), errors.toString());
  }
}
