package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A sender VM crashed at 1 s (no {@code for}) and restarted at 2.5 s, one run shared by the
 * tests: both boots' workload results are kept, the crash ends at the restart, and the sink hears
 * the rebooted sender as a new stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRestartTest {
  private Path dir;
  private RunHarness.Ran ran;
  private final List<String> said = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  void run() throws Exception {
    dir = Files.createTempDirectory("crash-restart");
    ran = RunHarness.run("""
        name = reboot
        duration = 4s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", arp = static,
              workloads = ["udp-send 10.0.0.2:9000 rate=100/s", "ping 10.0.0.2 interval=200ms"] }
          b { network = lan, ip = "10.0.0.2/24", arp = static, workloads = ["udp-sink 9000"] }
        }
        faults = [
          { at = 1s, kind = crash, target = a }
          { at = 2500ms, kind = restart, target = a }
        ]
        """, dir, said);
  }

  @AfterAll
  void clean() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private List<JsonNode> entriesOf(String vm) {
    List<JsonNode> out = new ArrayList<>();
    ran.results().get("workloads").forEach(w -> {
      if (w.path("vm").asText().equals(vm)) {
        out.add(w);
      }
    });
    return out;
  }

  @Test
  void everyBootKeepsItsWorkloadResults() {
    List<JsonNode> a = entriesOf("a");
    assertEquals(4, a.size(), "two workloads, two boots: " + a);
    for (int i = 0; i < 2; i++) {
      JsonNode first = a.get(i);
      JsonNode second = a.get(i + 2);
      assertEquals(1, first.path("boot").asInt(), first.toString());
      assertEquals("crashed", first.path("state").asText(), first.toString());
      assertEquals(2, second.path("boot").asInt(), second.toString());
      assertEquals("done", second.path("state").asText(), second.toString());
      assertTrue(second.path("success").asBoolean(), second.toString());
      assertEquals(first.path("workload"), second.path("workload"));
    }
    // what the first boot did before the crash: about a second of it
    assertTrue(a.get(0).at("/result/sent").asLong() >= 50, a.get(0).toString());
    assertTrue(a.get(1).path("received").asLong() >= 3, a.get(1).toString());
    assertTrue(a.get(2).at("/result/sent").asLong() >= 50, a.get(2).toString());
    assertTrue(ran.outcome().failedWorkloads().isEmpty(), ran.outcome().failedWorkloads().toString());
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void theCrashEndsAtTheRestart() {
    JsonNode crash = ran.results().at("/faults/0");
    assertEquals("crash", crash.path("kind").asText());
    assertEquals(1.0, crash.path("start").asDouble(), 0.2);
    assertEquals(2.5, crash.path("end").asDouble(), 0.2, crash.toString());
    JsonNode restart = ran.results().at("/faults/1");
    assertEquals(2.5, restart.path("start").asDouble(), 0.2);
    // the progress line counted the crash while it lasted, and not after the restart
    List<String> ticks;
    synchronized (said) {
      ticks = said.stream().filter(l -> l.startsWith("tick ")).toList();
    }
    assertTrue(ticks.stream().anyMatch(t -> t.startsWith("tick 2 ") && t.endsWith("[crash a]")), ticks.toString());
    assertTrue(ticks.stream().filter(t -> t.startsWith("tick 3 ") || t.startsWith("tick 4 "))
        .allMatch(t -> t.endsWith("[]")), ticks.toString());
    assertTrue(said.stream().anyMatch(l -> l.contains("fault off: crash on a")), said.toString());
  }

  @Test
  void aVmStillCrashedAtTheEndStaysDownAndOnlyThatItStartedIsJudged() throws Exception {
    RunHarness.Ran down = RunHarness.run("""
        name = down
        duration = 3s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", arp = static, workloads = ["ping 10.0.0.2 count=10 interval=200ms"] }
          b { network = lan, ip = "10.0.0.2/24", arp = static, workloads = ["udp-sink 9000"] }
        }
        faults = [ { at = 1s, kind = crash, target = b } ]
        """, dir.resolve("down"));
    List<JsonNode> b = new ArrayList<>();
    down.results().get("workloads").forEach(w -> {
      if (w.path("vm").asText().equals("b")) {
        b.add(w);
      }
    });
    assertEquals(1, b.size(), "one boot, no fresh one after the run: " + b);
    assertEquals("crashed", b.get(0).path("state").asText(), b.toString());
    assertTrue(b.get(0).path("success").asBoolean(), "it started; the crash was the experiment's: " + b);
    assertEquals(3.0, down.results().at("/faults/0/end").asDouble(), 0.01, "the crash lasted to the end");
    assertTrue(down.outcome().failedWorkloads().isEmpty(), down.outcome().failedWorkloads().toString());
    assertTrue(down.outcome().accountingOk(), down.results().at("/accounting").toString());
  }

  @Test
  void theSinkHearsTheRebootedSenderAsANewStream() {
    List<JsonNode> b = entriesOf("b");
    assertEquals(1, b.size(), b.toString());
    JsonNode sink = b.get(0).path("result");
    JsonNode senders = sink.path("senders");
    assertEquals(2, senders.size(), "one stream per boot of a: " + sink);
    assertEquals(senders.get(0).path("port"), senders.get(1).path("port"),
        "the same address and port: only the stream tells them apart");
    for (JsonNode s : senders) {
      assertEquals(0, s.path("duplicates").asLong(), sink.toString());
      assertEquals(0, s.path("outOfOrder").asLong(), sink.toString());
      assertTrue(s.path("received").asLong() >= 50, sink.toString());
    }
  }
}
