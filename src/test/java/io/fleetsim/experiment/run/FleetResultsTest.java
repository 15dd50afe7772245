package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.json {@code fleets}: each fleet's VMs and the percentiles of all its ping replies. */
class FleetResultsTest {
  @TempDir
  Path dir;

  @Test
  void eachFleetListsItsVmsAndTheRoundTripsOfAllItsPings() throws Exception {
    RunHarness.Ran ran = RunHarness.run("""
        name = fleets
        duration = 3s
        networks { lan { type = switch } }
        vms {
          a { count = 2, network = lan, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.3 count=4 interval=500ms"] }
          b { network = lan, ip = "10.0.0.3/24" }
        }
        """, dir);
    JsonNode fleets = ran.results().get("fleets");
    assertEquals(2, fleets.size(), fleets.toString());
    JsonNode a = fleets.get(0);
    assertEquals("a", a.get("name").asText());
    assertEquals(2, a.get("vmCount").asInt());
    assertEquals(List.of("a-1", "a-2"), texts(a.get("vms")));
    JsonNode b = fleets.get(1);
    assertEquals(List.of("b"), texts(b.get("vms")));
    assertFalse(b.has("rttMillis"), "b pinged nothing: " + b);

    // every reply of both pingers, not one VM's, and percentiles within what the VMs saw
    long received = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (String vm : List.of("a-1", "a-2")) {
      JsonNode ping = ran.workload(vm, 0);
      received += ping.get("received").asLong();
      min = Math.min(min, ping.at("/rttMillis/min").asDouble());
      max = Math.max(max, ping.at("/rttMillis/max").asDouble());
    }
    JsonNode rtt = a.get("rttMillis");
    assertEquals(8, received, "both pingers were answered");
    assertEquals(received, rtt.get("replies").asLong(), rtt.toString());
    // both are histograms of microseconds to 3 significant digits
    double tolerance = max / 500;
    assertEquals(min, rtt.get("min").asDouble(), tolerance, rtt.toString());
    assertEquals(max, rtt.get("max").asDouble(), tolerance, rtt.toString());
    double previous = rtt.get("min").asDouble();
    for (String p : List.of("p50", "p90", "p99", "max")) {
      assertTrue(rtt.get(p).asDouble() >= previous, p + " in order: " + rtt);
      previous = rtt.get(p).asDouble();
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
