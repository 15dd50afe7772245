package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * results.json as written section by section and entry by entry: it parses whole, holds what the
 * run reported, and what depends on the host is in {@code host} and nowhere else.
 */
class ResultsJsonTest {
  @TempDir
  static Path dir;
  private static RunHarness.Ran ran;
  private static Instant before;
  private static Instant after;

  @BeforeAll
  static void run() throws Exception {
    before = Instant.now();
    ran = RunHarness.run("""
        name = streamed
        duration = 3s
        networks { lan { type = switch } }
        vms {
          a { count = 2, network = lan, ip = "10.0.0.1/24", workloads = [
            "ping 10.0.0.3 count=3 interval=500ms",
            "udp-send 10.0.0.3:9000 count=20 rate=100/s size=100B" ] }
          b { network = lan, ip = "10.0.0.3/24", workloads = [ "udp-sink 9000",
            "ping 10.0.0.99 count=2 interval=500ms" ] }
        }
        """, dir);
    after = Instant.now();
  }

  /** Each entry's {@code field}, or each entry itself for "". */
  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(field.isEmpty() ? e.asText() : e.path(field).asText()));
    return out;
  }

  @Test
  void everySectionInOrderWithWhatTheRunReported() {
    JsonNode r = ran.results();
    List<String> keys = new ArrayList<>();
    r.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("experiment", "topology", "host", "series", "totals", "faults", "fleets", "workloads", "links",
        "vms", "accounting"), keys);
    assertEquals(3, r.at("/experiment/vmCount").asInt());
    assertEquals(List.of("a-1", "a-2", "b"), texts(r.get("vms"), "vm"));
    assertTrue(r.get("vms").get(0).get("nics").get(0).has("e1000"), "a VM's report, not an error entry");
    assertEquals(List.of("a-1", "a-1", "a-2", "a-2", "b", "b"), texts(r.get("workloads"), "vm"));
    // each as declared, in the normal form the experiment reader gives it
    String ping = "ping 10.0.0.3 count=3 interval=500ms size=56B";
    String send = "udp-send 10.0.0.3:9000 rate=100/s size=100B count=20";
    assertEquals(List.of(ping, send, ping, send, "udp-sink 9000", "ping 10.0.0.99 count=2 interval=500ms size=56B"),
        texts(r.get("workloads"), "workload"));
    assertEquals(3, ran.workload("a-2", 0).get("received").asLong(), "a-2 was answered");
    assertEquals(40, ran.workload("b", 0).at("/result/datagrams").asLong(), "both senders' datagrams");

    // per direction the books balance, and all of them add up to the totals (a fabric port's row
    // of frames it dropped, for no peer and the like, is there only when it dropped some)
    List<JsonNode> directions = new ArrayList<>();
    r.get("links").forEach(l -> {
      if (l.has("direction")) {
        directions.add(l);
      }
    });
    assertEquals(List.of("a-1/eth0 out", "a-1/eth0 in", "a-2/eth0 out", "a-2/eth0 in", "b/eth0 out", "b/eth0 in"),
        directions.stream().map(l -> l.get("name").asText()).toList());
    long delivered = 0;
    for (JsonNode l : directions) {
      long dropped = 0;
      for (JsonNode n : l.get("dropped")) {
        dropped += n.asLong();
      }
      assertEquals(l.get("sent").asLong() + l.get("duplicated").asLong(),
          l.get("delivered").asLong() + dropped + l.get("held").asLong(), l.toString());
      delivered += l.get("direction").asText().equals("in") ? l.get("delivered").asLong() : 0;
    }
    assertEquals(delivered, r.at("/totals/framesDelivered").asLong(), r.get("totals").toString());

    // what the writer reported to the run is what the file says
    ExperimentRun.Outcome outcome = ran.outcome();
    assertEquals(outcome.accountingOk(), r.at("/accounting/ok").asBoolean());
    assertEquals(outcome.accountingErrors(), texts(r.at("/accounting/errors"), ""));
    List<String> failed = new ArrayList<>();
    r.get("workloads").forEach(w -> {
      if (!w.path("success").asBoolean(true)) {
        failed.add(w.get("vm").asText());
      }
    });
    assertEquals(List.of("b"), failed, "only the ping to nobody failed");
    assertEquals(1, outcome.failedWorkloads().size(), outcome.failedWorkloads().toString());
    assertTrue(outcome.failedWorkloads().get(0).contains("10.0.0.99"), outcome.failedWorkloads().toString());
  }

  @Test
  void theHostSectionHoldsTheHostsFacts() {
    JsonNode host = ran.results().get("host");
    Instant started = Instant.parse(host.get("startedAt").asText());
    assertFalse(started.isBefore(before.minusSeconds(1)) || started.isAfter(after), host.toString());
    assertTrue(host.get("wallSeconds").asDouble() > 0, host.toString());
    assertTrue(host.get("wallSeconds").asDouble() <= (after.toEpochMilli() - before.toEpochMilli()) / 1000.0 + 1,
        host.toString());
    assertEquals(ran.outcome().folder().toAbsolutePath().toString(), host.get("resultsFolder").asText());
    assertEquals(Runtime.getRuntime().availableProcessors(), host.get("availableProcessors").asInt());
    JsonNode jvm = host.get("jvm");
    assertEquals(System.getProperty("java.runtime.version"), jvm.get("version").asText());
    assertEquals(System.getProperty("java.vendor"), jvm.get("vendor").asText());
    assertEquals(Runtime.getRuntime().maxMemory(), jvm.get("maxHeapBytes").asLong());
    assertEquals(ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList(),
        texts(jvm.get("gc"), ""));
    for (String key : List.of("bootSeconds", "heapBeforeBytes", "heapAfterBootBytes", "heapPerVmBytes")) {
      assertTrue(host.has(key), key + " in " + host);
    }
  }

  /** Names of what only the host knows: time on its clock, its heap and JVM, its folders. */
  private static final Pattern HOST_ONLY = Pattern.compile(
      "(?i).*(wall|heap|jvm|processor|gc|folder|directory|hostname|pid).*");

  @Test
  void nothingOutsideTheHostSectionIsTheHosts() {
    List<String> found = new ArrayList<>();
    String folder = ran.outcome().folder().toAbsolutePath().toString();
    Iterator<Map.Entry<String, JsonNode>> sections = ran.results().fields();
    while (sections.hasNext()) {
      Map.Entry<String, JsonNode> s = sections.next();
      if (!s.getKey().equals("host")) {
        walk(s.getKey(), s.getValue(), folder, found);
      }
    }
    assertEquals(List.of(), found);
  }

  private static void walk(String path, JsonNode node, String folder, List<String> found) {
    if (node.isTextual() && (node.textValue().contains(folder) || node.textValue().contains(dir.toString()))) {
      found.add(path + " is a path of this host: " + node.textValue());
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (HOST_ONLY.matcher(f.getKey()).matches()) {
        found.add(path + "." + f.getKey());
      }
      walk(path + "." + f.getKey(), f.getValue(), folder, found);
    }
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      walk(path + "[" + i + "]", node.get(i), folder, found);
    }
  }
}
