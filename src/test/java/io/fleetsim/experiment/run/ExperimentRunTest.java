package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole run in this JVM: the results folder, its series, workloads and frame accounting. */
class ExperimentRunTest {
  @TempDir
  Path dir;

  private static final String TWO_VMS = """
      name = pair
      duration = 4s
      networks { lan { type = switch } }
      vms {
        a { network = lan, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.2 count=6 interval=500ms"] }
        b { network = lan, ip = "10.0.0.2/24" }
      }
      capture = [a]
      """;

  /** VM a pings b ({@code ping}: its options) on a switch for {@code duration}, with one fault. */
  private static String pingBFromA(String name, String duration, String ping, String fault) {
    return """
        name = %s
        duration = %s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.2 %s"] }
          b { network = lan, ip = "10.0.0.2/24" }
        }
        faults = [ %s ]
        """.formatted(name, duration, ping, fault);
  }

  @Test
  void writesTheResultsFolderWithBalancedBooks() throws Exception {
    RunHarness.Ran ran = RunHarness.run(TWO_VMS, dir);
    Path folder = ran.outcome().folder();
    assertTrue(folder.getFileName().toString().matches("pair-\\d{8}-\\d{6}"), folder.toString());
    for (String file : new String[] {"results.json", "report.html", "console.log", "a.pcap"}) {
      assertTrue(Files.size(folder.resolve(file)) > 0, file + " written");
    }
    JsonNode r = ran.results();
    assertEquals("pair", r.at("/experiment/name").asText());
    assertEquals(4, r.at("/series/seconds").size(), "one sample per second");
    JsonNode ping = ran.workload("a", 0);
    assertEquals(6, ping.get("transmitted").asLong());
    assertEquals(6, ping.get("received").asLong());
    assertTrue(r.at("/accounting/ok").asBoolean(), r.at("/accounting").toString());
    assertTrue(ran.outcome().accountingOk());
    JsonNode out = ran.link("a/eth0 out");
    assertTrue(out.get("sent").asLong() >= 6, "a sent its echo requests: " + out);
    assertEquals(out.get("sent").asLong(), out.get("delivered").asLong(), "nothing lost without faults");
    long perSecond = 0;
    for (JsonNode n : r.at("/series/framesPerSecond")) {
      perSecond += n.asLong();
    }
    // 6 requests and 6 replies, less what went before the first sample (the first ping goes at boot)
    assertTrue(perSecond >= 10, "the series saw the echoes delivered: " + perSecond);
    assertEquals(2, r.get("vms").size());
    assertTrue(ran.console().contains("a: 64 bytes from 10.0.0.2"), "console.log has the ping lines");
    JsonNode host = r.get("host");
    // the host's time the run took (in virtual time, less than the run's own 4 s when it is quick)
    assertTrue(host.path("wallSeconds").asDouble() > 0, "wallSeconds: " + host);
    for (String key : new String[] {"heapAfterBootBytes", "heapAtEndBytes", "heapPerVmAtEndBytes"}) {
      assertTrue(host.has(key), key + " (a number, or null where unknown): " + host);
    }
  }

  @Test
  void latencyOnTheTargetRaisesRttByTwiceTheDelay() throws Exception {
    RunHarness.Ran ran = RunHarness.run(pingBFromA("latency", "4s", "count=5 interval=500ms",
        "{ at = 0s, kind = latency, target = b, delay = 50ms }"), dir);
    JsonNode rtt = ran.workload("a", 0).get("rttMillis");
    // request in to b and reply out of b: 100 ms added; the scheduler's 1 ms tick and the guests
    // add a little on top (in real time a loaded host adds more: the bound only tells "once each
    // way" from a delay applied twice, 200 ms)
    assertTrue(rtt.get("min").asDouble() >= 100.0, "min RTT " + rtt);
    assertTrue(rtt.get("p50").asDouble() < 190.0, "p50 RTT " + rtt);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void aNetworksLatencyIsOnEveryLinkBothWays() throws Exception {
    RunHarness.Ran ran = RunHarness.run("""
        name = cable
        duration = 4s
        networks { lan { type = switch, latency = 20ms } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.2 count=5 interval=500ms"] }
          b { network = lan, ip = "10.0.0.2/24" }
        }
        """, dir);
    JsonNode ping = ran.workload("a", 0);
    JsonNode rtt = ping.get("rttMillis");
    assertEquals(5, ping.get("received").asLong(), ping.toString());
    // a request crosses a's cable and b's, the reply b's and a's: 4 x 20 ms. The median, not the
    // minimum: ping stamps a request after its send returns, so a VM thread the loaded host
    // preempts right then measures one round trip short. The upper bound only tells four
    // crossings from more (a loaded host adds its own time on top)
    assertTrue(rtt.get("p50").asDouble() >= 80.0, "p50 RTT " + rtt);
    assertTrue(rtt.get("p50").asDouble() < 150.0, "p50 RTT " + rtt);
    assertTrue(ran.results().at("/accounting/ok").asBoolean(), ran.results().at("/accounting").toString());
  }

  @Test
  void partitionCutsPingsAcrossItAndHeals() throws Exception {
    RunHarness.Ran ran = RunHarness.run(pingBFromA("partition", "7s", "count=12 interval=500ms",
        "{ at = 2s, for = 2s, kind = partition, groups = [[a], [b]] }"), dir);
    JsonNode ping = ran.workload("a", 0);
    long lost = ping.get("transmitted").asLong() - ping.get("received").asLong();
    assertTrue(lost >= 3 && lost <= 5, "about 2 s of 500 ms pings lost: " + ping);
    assertTrue(ran.console().contains("seq=11 "), "pings answered again after the heal");
    // a's requests are cut on their way into b (so b never answers them)
    JsonNode in = ran.link("b/eth0 in");
    assertTrue(in.at("/dropped/fault-partition").asLong() >= 3, "b's side dropped a's frames: " + in);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
    JsonNode fault = ran.results().at("/faults/0");
    assertEquals("partition", fault.get("kind").asText());
    assertEquals(2.0, fault.get("start").asDouble(), 0.2);
    assertEquals(4.0, fault.get("end").asDouble(), 0.2);
  }

  @Test
  void linkDownTakesTheCarrierAwayForItsDuration() throws Exception {
    RunHarness.Ran ran = RunHarness.run(pingBFromA("flap", "6s", "count=10 interval=500ms",
        "{ at = 2s, for = 1500ms, kind = link-down, target = b }"), dir);
    assertTrue(ran.consoleOf("b").contains("link down"), String.join("\n", ran.consoleOf("b")));
    assertTrue(ran.consoleOf("b").contains("link up"));
    JsonNode ping = ran.workload("a", 0);
    long lost = ping.get("transmitted").asLong() - ping.get("received").asLong();
    assertTrue(lost >= 2 && lost <= 4, "1.5 s of 500 ms pings lost: " + ping);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void crashStopsTheVmAndForRestartsIt() throws Exception {
    RunHarness.Ran ran = RunHarness.run(pingBFromA("crash", "7s", "count=12 interval=500ms",
        "{ at = 2s, for = 2s, kind = crash, target = b }"), dir);
    long boots = ran.consoleOf("b").stream().filter(l -> l.startsWith("address 10.0.0.2")).count();
    assertEquals(2, boots, "b booted twice: " + ran.consoleOf("b"));
    JsonNode ping = ran.workload("a", 0);
    long lost = ping.get("transmitted").asLong() - ping.get("received").asLong();
    assertTrue(lost >= 3, "pings lost while b was down: " + ping);
    assertTrue(ran.console().contains("a: 64 bytes from 10.0.0.2: seq=11 "), "b answers after its restart");
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void pauseHoldsRepliesUntilResume() throws Exception {
    RunHarness.Ran ran = RunHarness.run(pingBFromA("pause", "6s", "count=8 interval=500ms",
        "{ at = 2s, for = 1500ms, kind = pause, target = b }"), dir);
    JsonNode ping = ran.workload("a", 0);
    assertEquals(8, ping.get("received").asLong(), "a paused VM loses nothing, it answers late: " + ping);
    assertTrue(ping.at("/rttMillis/max").asDouble() >= 1000.0, "the paused answers came late: " + ping);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void restartRebootsAtOnce() throws Exception {
    RunHarness.Ran ran = RunHarness.run(pingBFromA("restart", "6s", "count=10 interval=500ms",
        "{ at = 2s, kind = restart, target = b }"), dir);
    long boots = ran.consoleOf("b").stream().filter(l -> l.startsWith("address 10.0.0.2")).count();
    assertEquals(2, boots, "b booted again: " + ran.consoleOf("b"));
    JsonNode ping = ran.workload("a", 0);
    assertTrue(ping.get("received").asLong() >= 8, "at most a ping or two lost to the reboot: " + ping);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void resumeEndsAPauseThatHasNoEnd() throws Exception {
    RunHarness.Ran ran = RunHarness.run(pingBFromA("resume", "6s", "count=8 interval=500ms",
        "{ at = 2s, kind = pause, target = b }, { at = 3500ms, kind = resume, target = b }"), dir);
    JsonNode ping = ran.workload("a", 0);
    assertEquals(8, ping.get("received").asLong(), ping.toString());
    double max = ping.at("/rttMillis/max").asDouble();
    assertTrue(max >= 1000.0 && max < 3000.0, "answers held for the 1.5 s pause, then released: " + ping);
    // the timeline: the pause lasted until the resume, not to the end of the run
    JsonNode pause = ran.results().at("/faults/0");
    assertEquals("pause", pause.path("kind").asText());
    assertEquals(3.5, pause.path("end").asDouble(), 0.2, pause.toString());
  }

  @Test
  void duplicateShowsAsDuplicateReplies() throws Exception {
    RunHarness.Ran ran = RunHarness.run(pingBFromA("dup", "4s", "count=10 interval=200ms",
        "{ at = 0s, kind = duplicate, target = b, direction = out, probability = 1.0 }"), dir);
    JsonNode ping = ran.workload("a", 0);
    // every reply comes twice; the last one's copy may arrive after ping has finished
    assertTrue(ping.get("duplicates").asLong() >= 9, "every reply came twice: " + ping);
    assertTrue(ran.link("b/eth0 out").get("duplicated").asLong() >= 10);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }
}
