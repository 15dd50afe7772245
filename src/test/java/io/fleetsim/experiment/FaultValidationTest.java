package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.fault.Direction;
import io.fleetsim.fault.RestartFault;
import io.fleetsim.fault.ResumeFault;
import io.fleetsim.fault.LatencyFault;
import io.fleetsim.fault.LossFault;
import io.fleetsim.fault.PartitionFault;
import io.fleetsim.fault.RateLimitFault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fault parameters in experiment files: each bad one named by its full path and line. */
class FaultValidationTest {
  private static final String HEAD = "name = a\nduration = 60s\n"
      + "networks { lan { type = switch, ports = [\"socket,id=e1,listen=127.0.0.1:20001\"] } }\n"
      + "vms {\n  web { count = 3, network = lan, ip = \"10.0.0.2/24\" }\n"
      + "  pinger { network = lan, ip = \"10.0.0.1/24\" }\n}\n";
  /** The line of the first fault element in {@code faults(...)}. */
  private static final int FIRST = 9;

  private static String faults(String... elements) {
    return HEAD + "faults = [\n" + String.join("\n", elements) + "\n]\n";
  }

  private static List<ValidationError> errors(String text) {
    return assertThrows(ExperimentException.class, () -> ExperimentLoader.parse(text, "t.conf"))
        .errors();
  }

  private static ValidationError only(String text) {
    List<ValidationError> errors = errors(text);
    assertEquals(1, errors.size(), errors.toString());
    return errors.get(0);
  }

  private static Experiment ok(String... elements) throws ExperimentException {
    return ExperimentLoader.parse(faults(elements), "t.conf");
  }

  @Test
  void everyLinkKindIsBuiltWithDefaultsFromReferenceConf() throws Exception {
    Experiment e = ok("{ at = 1s, kind = latency, target = web-1, delay = 50ms, direction = in }",
        "{ at = 1s, kind = loss, target = web, probability = 0.1 }",
        "{ at = 1s, kind = loss, target = lan, model = gilbert-elliott, p = 0.01, r = 0.5 }",
        "{ at = 1s, kind = duplicate, target = web-2, probability = 0.5 }",
        "{ at = 1s, kind = reorder, target = web-2, probability = 0.5 }",
        "{ at = 1s, kind = corrupt, target = web-2, probability = 0.5 }",
        "{ at = 1s, kind = rate, target = web-2, rate = 10Mbit }",
        "{ at = 1s, kind = restart, target = pinger }",
        "{ at = 1s, kind = resume, target = web }",
        "{ at = 0s, kind = pause, target = web }");
    List<Experiment.Fault> f = e.faults();
    assertEquals(10, f.size());
    assertEquals(new LatencyFault(Duration.ofMillis(50), Duration.ZERO,
        LatencyFault.Distribution.NORMAL), f.get(0).fault());
    assertEquals(Direction.IN, f.get(0).direction());
    assertEquals(LossFault.random(0.1), f.get(1).fault());
    assertEquals(LossFault.gilbertElliott(0.01, 0.5, 0, 1), f.get(2).fault());
    assertEquals(Duration.ofMillis(10), ((io.fleetsim.fault.ReorderFault) f.get(4).fault()).gap());
    assertEquals(1, ((io.fleetsim.fault.CorruptFault) f.get(5).fault()).bits());
    assertEquals(new RateLimitFault(10_000_000, 6056, 65536), f.get(6).fault());
    assertEquals(new RestartFault(), f.get(7).fault());
    assertEquals(new ResumeFault(), f.get(8).fault());
  }

  @Test
  void aMissingRequiredParameterIsNamed() {
    ValidationError e = only(faults("{ at = 1s, kind = latency, target = web-1 }"));
    assertEquals("faults[0].delay", e.path());
    assertEquals(FIRST, e.line());
    assertTrue(e.message().contains("missing"), e.message());
  }

  @Test
  void aWrongUnitIsNamedWithItsLine() {
    ValidationError e = only(faults("{\n at = 1s, kind = latency, target = web-1\n delay = 5 parsecs\n}"));
    assertEquals("faults[0].delay", e.path());
    assertEquals(FIRST + 2, e.line());
    assertTrue(e.message().contains("parsecs"), e.message());
  }

  @Test
  void eachKindsBadParametersAreReportedAtOnce() {
    List<ValidationError> errors = errors(faults(
        "{ at = 1s, kind = latency, target = web-1, delay = 1ms, jitter = -1ms }",
        "{ at = 1s, kind = latency, target = web-1, delay = 1ms, distribution = cauchy }",
        "{ at = 1s, kind = loss, target = web-1, probability = 1.5 }",
        "{ at = 1s, kind = loss, target = web-1, model = gilbert-elliott, p = 0.1 }",
        "{ at = 1s, kind = duplicate, target = web-1, probability = lots }",
        "{ at = 1s, kind = reorder, target = web-1, probability = 0.1, gap = 0s }",
        "{ at = 1s, kind = corrupt, target = web-1, probability = 0.1, bits = 0 }",
        "{ at = 1s, kind = rate, target = web-1, rate = fast }",
        "{ at = 1s, kind = rate, target = web-1, rate = 1Mbit, queue = 0B }",
        "{ at = 1s, kind = latency, target = web-1, delay = 1ms, direction = sideways }"));
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("faults[0].jitter", "-1ms");
    expected.put("faults[1].distribution", "cauchy");
    expected.put("faults[2].probability", "1.5");
    expected.put("faults[3].r", "missing");
    expected.put("faults[4].probability", "expected number");
    expected.put("faults[5].gap", "> 0");
    expected.put("faults[6].bits", "> 0");
    expected.put("faults[7].rate", "'fast'");
    expected.put("faults[8].queue", "> 0");
    expected.put("faults[9].direction", "sideways");
    assertEquals(expected.size(), errors.size(), errors.toString());
    for (int i = 0; i < errors.size(); i++) {
      ValidationError e = errors.get(i);
      assertTrue(expected.containsKey(e.path()), e.toString());
      assertTrue(e.message().contains(expected.get(e.path())), e.toString());
      assertEquals(FIRST + Integer.parseInt(e.path().replaceAll("faults\\[(\\d+)].*", "$1")),
          e.line(), e.toString());
    }
  }

  @Test
  void anUnknownKeyIsRejectedWithASuggestion() {
    ValidationError e = only(faults("{ at = 1s, kind = latency, target = web-1, delay = 1ms, jiter = 2ms }"));
    assertEquals("faults[0].jiter", e.path());
    assertTrue(e.message().contains("did you mean 'jitter'"), e.message());
  }

  @Test
  void aControlFaultTakesNoDirectionAndNeedsAVm() {
    List<ValidationError> errors = errors(faults("{ at = 1s, kind = crash, target = web-1, direction = in }",
        "{ at = 1s, kind = pause, target = lan }"));
    assertEquals(2, errors.size(), errors.toString());
    assertEquals("faults[0].direction", errors.get(0).path());
    assertTrue(errors.get(0).message().contains("unknown key"), errors.get(0).message());
    assertEquals("faults[1].target", errors.get(1).path());
  }

  @Test
  void aPartitionNamesGroupsNotATargetAndExpandsFleets() throws Exception {
    Experiment e = ok("{ at = 1s, for = 5s, kind = partition, groups = [[web-1, web-2], [pinger, web-3]] }",
        "{ at = 1s, kind = partition, groups = [[web], [pinger]] }");
    assertEquals(Optional.empty(), e.faults().get(0).target());
    PartitionFault.Groups g = (PartitionFault.Groups) e.faults().get(1).fault();
    assertEquals(List.of(List.of("web-1", "web-2", "web-3"), List.of("pinger")), g.groups());
    assertEquals(List.of("web-1", "web-2", "web-3"), g.blockedByVm().get("pinger"));
  }

  @Test
  void aPartitionNamingAnUnknownVmIsAnError() {
    ValidationError e = only(faults("{ at = 1s, kind = partition,\n  groups = [[web-1], [pinger, ghost]] }"));
    assertEquals("faults[0].groups[1][1]", e.path());
    assertEquals(FIRST + 1, e.line());
    assertTrue(e.message().contains("unknown vm or fleet 'ghost'"), e.message());
  }

  @Test
  void aPartitionNeedsTwoGroupsAndEachVmOnce() {
    List<ValidationError> errors = errors(faults("{ at = 1s, kind = partition, groups = [[web-1, pinger]] }",
        "{ at = 1s, kind = partition, groups = [[web], [web-2, pinger]] }",
        "{ at = 1s, kind = partition, target = web-1, groups = [[web], [pinger]] }"));
    assertEquals(3, errors.size(), errors.toString());
    assertEquals("faults[0].groups", errors.get(0).path());
    assertTrue(errors.get(0).message().contains("at least 2 groups"), errors.get(0).message());
    assertEquals("faults[1].groups[1][0]", errors.get(1).path());
    assertTrue(errors.get(1).message().contains("'web-2' is already in the partition"), errors.get(1).message());
    assertEquals("faults[2].target", errors.get(2).path());
  }
}
