package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file and seed: the same fault decisions and the same frame counts on every run. ARP is
 * static here: with dynamic ARP, whether a VM's announcement beats its neighbour's boot is a race,
 * and the control frames it causes can differ by one from run to run (the data frames do not).
 */
class DeterminismTest {
  @TempDir
  Path dir;

  private static String experiment(long seed) {
    return """
        name = determinism
        seed = %d
        duration = 5s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", arp = static, workloads = ["udp-send 10.0.0.2:9000 count=3000 rate=1500/s size=200B"] }
          b { network = lan, ip = "10.0.0.2/24", arp = static, workloads = ["udp-sink 9000"] }
        }
        faults = [
          { at = 0s, kind = loss, target = b, direction = in, probability = 0.1 }
          { at = 0s, kind = duplicate, target = b, direction = in, probability = 0.05 }
          { at = 0s, kind = corrupt, target = b, direction = in, probability = 0.02 }
          { at = 0s, kind = loss, target = a, direction = out, model = gilbert-elliott, p = 0.01, r = 0.3 }
        ]
        """.formatted(seed);
  }

  /** Every link's books: sent, delivered, duplicated and drops by cause. */
  private static List<String> books(RunHarness.Ran ran) {
    List<String> out = new ArrayList<>();
    for (JsonNode link : ran.results().get("links")) {
      out.add(link.get("name").asText() + " sent=" + link.path("sent") + " delivered=" + link.path("delivered")
          + " duplicated=" + link.path("duplicated") + " dropped=" + link.path("dropped"));
    }
    return out;
  }

  @Test
  void sameSeedSameDecisionsAndCounts() throws Exception {
    RunHarness.Ran first = RunHarness.run(experiment(11), dir.resolve("1"));
    RunHarness.Ran second = RunHarness.run(experiment(11), dir.resolve("2"));
    List<String> books = books(first);
    assertEquals(books, books(second));
    JsonNode in = first.link("b/eth0 in");
    long lost = in.at("/dropped/fault-loss").asLong();
    assertEquals(3000, first.link("a/eth0 out").get("sent").asLong(), "only the datagrams: no ARP");
    assertTrue(lost > 200 && lost < 400, "about 10% of 3000 lost: " + in);
    assertTrue(in.get("duplicated").asLong() > 80, "about 5% duplicated: " + in);
    assertTrue(first.link("a/eth0 out").at("/dropped/fault-loss").asLong() > 0, "bursty loss on a's side");
    assertTrue(first.outcome().accountingOk(), first.results().at("/accounting").toString());
    // and the seed matters: another one decides differently
    RunHarness.Ran other = RunHarness.run(experiment(12), dir.resolve("3"));
    assertNotEquals(books, books(other));
  }
}
