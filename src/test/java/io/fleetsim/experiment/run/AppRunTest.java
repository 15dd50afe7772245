package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.testing.ExampleApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/gossip.conf, a user's app, as an experiment runs it (virtual time), twice. */
class AppRunTest {
  @TempDir
  static Path dir;
  private static RunHarness.Ran first;
  private static RunHarness.Ran second;

  @BeforeAll
  static void run() throws Exception {
    String gossip = Files.readString(Path.of("examples/gossip.conf"));
    first = ExampleApps.onClasspath(() -> RunHarness.runVirtual(gossip, dir.resolve("a")));
    second = ExampleApps.onClasspath(() -> RunHarness.runVirtual(gossip, dir.resolve("b")));
  }

  private static List<JsonNode> entries(RunHarness.Ran ran) {
    List<JsonNode> out = new ArrayList<>();
    ran.results().get("workloads").forEach(out::add);
    return out;
  }

  @Test
  void everyVmHeardTheRumourOverHopsThatEachTookAnInterval() {
    List<JsonNode> nodes = entries(first);
    assertEquals(16, nodes.size());
    long sent = 0;
    long received = 0;
    for (JsonNode w : nodes) {
      assertEquals("app", w.get("kind").asText());
      assertEquals("done", w.get("state").asText(), w.toString());
      assertTrue(w.get("success").asBoolean(), w.toString());
      assertEquals("succeeded == 1", w.at("/expectations/0/expect").asText(), "the default criterion");
      JsonNode r = w.get("result");
      assertEquals("com.example.Gossip", r.get("app").asText());
      JsonNode figures = r.get("results");
      assertTrue(figures.get("heard").asBoolean(), w.toString());
      int hops = figures.get("hops").asInt();
      assertEquals(w.get("vm").asText().equals("node-1") ? 0 : 1, Math.min(hops, 1), "only the origin has 0 hops");
      // a VM passes the rumour on one interval (100 ms) after it heard it
      assertTrue(figures.get("spreadMillis").asDouble() >= 100.0 * hops, w.toString());
      assertTrue(w.get("summary").asText().startsWith("gossip 10.0.0."), w.get("summary").asText());
      sent += figures.get("sent").asLong();
      received += figures.get("received").asLong();
    }
    assertTrue(received > 0 && received <= sent, sent + " sent, " + received + " received");
    assertTrue(first.results().at("/totals/droppedByCause/fault-loss").asLong() > 0, "the loss fault took some");
    assertTrue(first.outcome().failedWorkloads().isEmpty(), first.outcome().failedWorkloads().toString());
  }

  @Test
  void theSameSeedReplaysTheAppBitForBit() {
    assertEquals(first.results().get("workloads"), second.results().get("workloads"));
    assertEquals(first.results().get("series"), second.results().get("series"));
  }

  @Test
  void theReportListsEachAppsSummary() throws Exception {
    Document page = Jsoup.parse(Files.readString(first.outcome().folder().resolve("report.html")));
    var rows = page.select("#other-workloads tbody tr");
    assertEquals(16, rows.size());
    assertEquals(entries(first).get(3).get("summary").asText(), rows.get(3).child(4).text());
    assertEquals("app", rows.get(3).child(3).text());
  }
}
