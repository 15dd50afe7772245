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

/**
 * Whole runs judged workload by workload: every declared workload is in results.json with its
 * state, each has pass criteria (its expectations, else its kind's default), and what did not
 * start or did not pass fails the run.
 */
class WorkloadCriteriaTest {
  @TempDir
  Path dir;

  private static List<JsonNode> entriesOf(RunHarness.Ran ran, String vm) {
    List<JsonNode> out = new ArrayList<>();
    ran.results().get("workloads").forEach(w -> {
      if (w.path("vm").asText().equals(vm)) {
        out.add(w);
      }
    });
    return out;
  }

  private static JsonNode only(RunHarness.Ran ran, String vm) {
    List<JsonNode> entries = entriesOf(ran, vm);
    assertEquals(1, entries.size(), vm + ": " + ran.results().get("workloads"));
    return entries.get(0);
  }

  @Test
  void workloadsThatNeverStartedAreListedAndFailTheRun() throws Exception {
    RunHarness.Ran ran = RunHarness.run("""
        name = nolease
        duration = 2s
        networks { lan { type = switch } }
        vms {
          d { count = 2, network = lan, dhcp = true, workloads = ["ping 10.0.0.1 count=3"] }
          ring { count = 2, network = lan, ip = "10.0.0.11/24", workloads = ["ping {next} count=2 interval=200ms"] }
        }
        """, dir);
    for (String vm : List.of("d-1", "d-2")) {
      JsonNode w = only(ran, vm);
      assertEquals("not-started", w.path("state").asText(), w.toString());
      assertEquals("ping 10.0.0.1 count=3 interval=1s size=56B", w.path("workload").asText());
      assertEquals("ping", w.path("kind").asText());
      assertFalse(w.path("success").asBoolean(true), w.toString());
      assertTrue(w.path("reason").asText().contains("no DHCP lease"), w.toString());
    }
    // the fleet's {next} filled in per VM, each listed with its own target
    JsonNode first = only(ran, "ring-1");
    JsonNode second = only(ran, "ring-2");
    assertEquals("ping 10.0.0.12 count=2 interval=200ms size=56B", first.path("workload").asText());
    assertEquals("ping 10.0.0.11 count=2 interval=200ms size=56B", second.path("workload").asText());
    for (JsonNode w : List.of(first, second)) {
      assertEquals("done", w.path("state").asText(), w.toString());
      assertTrue(w.path("success").asBoolean(), w.toString());
      assertEquals(2, w.path("received").asLong(), w.toString());
    }
    List<String> failed = ran.outcome().failedWorkloads();
    assertEquals(2, failed.size(), failed.toString());
    assertTrue(failed.get(0).startsWith("d-1: ping 10.0.0.1") && failed.get(0).contains("did not start"),
        failed.toString());
    assertTrue(ran.outcome().accountingOk(), "the books balance; the workloads are what failed");
  }

  @Test
  void expectationsDecideEachWorkload() throws Exception {
    RunHarness.Ran ran = RunHarness.run("""
        name = expect
        duration = 3s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", arp = static, workloads = [
            { run = "ping 10.0.0.2 count=20 interval=100ms", expect = ["loss < 5%", "transmitted >= 20"] }
          ] }
          b { network = lan, ip = "10.0.0.2/24", arp = static }
          c { network = lan, ip = "10.0.0.3/24", arp = static, expect = ["loss < 5%", "rtt-p99 < 1s"],
              workloads = ["ping 10.0.0.4 count=10 interval=100ms"] }
          d { network = lan, ip = "10.0.0.4/24", arp = static }
        }
        faults = [ { at = 0s, kind = loss, target = b, direction = in, probability = 0.5 } ]
        """, dir);
    JsonNode lossy = only(ran, "a");
    assertFalse(lossy.path("success").asBoolean(true), lossy.toString());
    JsonNode loss = lossy.at("/expectations/0");
    assertEquals("loss < 5%", loss.path("expect").asText());
    assertEquals("%", loss.path("unit").asText());
    assertEquals(lossy.path("lossPercent").asDouble(), loss.path("value").asDouble(), 0.001);
    assertTrue(loss.path("value").asDouble() > 5, "half the requests dropped: " + loss);
    assertFalse(loss.path("pass").asBoolean(true));
    assertFalse(loss.path("default").asBoolean(true), "the file's own expectation");
    JsonNode sent = lossy.at("/expectations/1");
    assertEquals(20.0, sent.path("value").asDouble());
    assertTrue(sent.path("pass").asBoolean());

    // the fleet's expectations, for a clean path
    JsonNode clean = only(ran, "c");
    assertTrue(clean.path("success").asBoolean(), clean.toString());
    assertEquals(2, clean.path("expectations").size(), clean.toString());
    JsonNode p99 = clean.at("/expectations/1");
    assertEquals("rtt-p99 < 1s", p99.path("expect").asText());
    assertEquals("ms", p99.path("unit").asText());
    assertEquals(clean.at("/rttMillis/p99").asDouble(), p99.path("value").asDouble(), 0.001);
    assertTrue(p99.path("pass").asBoolean());

    List<String> failed = ran.outcome().failedWorkloads();
    assertEquals(1, failed.size(), failed.toString());
    assertTrue(failed.get(0).startsWith("a: ping 10.0.0.2 count=20") && failed.get(0).contains("loss < 5% not met: measured "),
        failed.get(0));
  }

  @Test
  void defaultsAskThatEachWorkloadDidItsJobNotThatNoFaultHitIt() throws Exception {
    RunHarness.Ran ran = RunHarness.run("""
        name = defaults
        duration = 3s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", arp = static,
              workloads = ["udp-send 10.0.0.2:9000 rate=200/s count=200", "ping 10.0.0.3 count=3 interval=200ms"] }
          b { network = lan, ip = "10.0.0.2/24", arp = static, workloads = ["udp-sink 9000"] }
          c { network = lan, ip = "10.0.0.3/24", arp = static }
        }
        faults = [
          { at = 0s, kind = loss, target = b, direction = in, probability = 0.1 }
          { at = 0s, kind = loss, target = c, direction = in, probability = 1.0 }
        ]
        """, dir);
    JsonNode sink = only(ran, "b");
    assertTrue(sink.at("/result/senders/0/lost").asLong() > 0, "the loss fault hit the sink: " + sink);
    assertTrue(sink.path("success").asBoolean(), "yet it received what got through: " + sink);
    assertEquals("received >= 1", sink.at("/expectations/0/expect").asText());
    assertTrue(sink.at("/expectations/0/default").asBoolean(), sink.toString());
    JsonNode send = ran.workload("a", 0);
    assertEquals("sent >= 1", send.at("/expectations/0/expect").asText());
    assertTrue(send.path("success").asBoolean(), send.toString());
    JsonNode ping = ran.workload("a", 1);
    assertEquals(0, ping.path("received").asLong(), ping.toString());
    assertEquals("received >= 1", ping.at("/expectations/0/expect").asText());
    assertFalse(ping.path("success").asBoolean(true), "no reply at all: " + ping);
    assertEquals(List.of("a: ping 10.0.0.3 count=3 interval=200ms size=56B: received >= 1 not met: measured 0"),
        ran.outcome().failedWorkloads());
  }
}
