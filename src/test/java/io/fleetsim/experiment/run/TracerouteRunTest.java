package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * traceroute and ping ttl= in a whole run (virtual time, one switch: no router, so every
 * trace is one hop): parsed from the file, judged by traceroute's default criterion, written to
 * results.json with its hops and drawn in the report.
 */
class TracerouteRunTest {
  @TempDir
  Path dir;

  private static JsonNode entry(RunHarness.Ran ran, String workloadStart) {
    for (JsonNode w : ran.results().get("workloads")) {
      if (w.path("workload").asText().startsWith(workloadStart)) {
        return w;
      }
    }
    throw new AssertionError("no workload " + workloadStart + ": " + ran.results().get("workloads"));
  }

  @Test
  void aTraceOnOneSwitchIsOneHopAndAnAbsentHostFailsIt() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual("""
        name = trace
        duration = 20s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", workloads = [
                "traceroute 10.0.0.2",
                "traceroute 10.0.0.99 max-hops=2 probes=1 wait=500ms",
                "ping 10.0.0.2 count=2 interval=100ms ttl=1" ] }
          b { network = lan, ip = "10.0.0.2/24" }
        }
        """, dir);
    JsonNode reached = entry(ran, "traceroute 10.0.0.2 ");
    assertEquals("traceroute 10.0.0.2 max-hops=30 probes=3 wait=1s", reached.path("workload").asText());
    assertEquals("traceroute", reached.path("kind").asText());
    assertTrue(reached.path("success").asBoolean(), reached.toString());
    JsonNode hops = reached.path("result").path("hops");
    assertEquals(1, hops.size(), reached.toString());
    assertEquals("10.0.0.2", hops.get(0).path("from").asText());
    assertEquals(3, hops.get(0).path("rttNanos").size());
    assertTrue(hops.get(0).path("rttNanos").get(0).isNumber());

    JsonNode absent = entry(ran, "traceroute 10.0.0.99");
    assertFalse(absent.path("success").asBoolean(true), absent.toString());
    assertEquals(2, absent.path("result").path("hops").size());
    assertTrue(absent.path("result").path("hops").get(0).path("from").isNull(), absent.toString());
    assertTrue(absent.path("result").path("hops").get(0).path("rttNanos").get(0).isNull());
    List<String> failed = ran.outcome().failedWorkloads();
    assertEquals(1, failed.size(), failed.toString());
    assertTrue(failed.get(0).startsWith("a: traceroute 10.0.0.99"), failed.toString());

    JsonNode ping = entry(ran, "ping 10.0.0.2");
    assertEquals("ping 10.0.0.2 count=2 interval=100ms size=56B ttl=1", ping.path("workload").asText());
    assertEquals(2, ping.path("received").asLong(), "TTL 1 reaches a host on the same link");
    assertEquals(0, ping.path("errors").asLong());

    String html = Files.readString(ran.outcome().folder().resolve("report.html"));
    assertTrue(html.contains("<h3>traceroute</h3>"), "the report has a traceroute table");
  }
}
