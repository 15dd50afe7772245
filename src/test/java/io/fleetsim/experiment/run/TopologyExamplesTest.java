package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/two-sites.conf and examples/leaf-spine.conf run green in virtual time and show what
 * their comments and README's Topologies section say.
 */
class TopologyExamplesTest {
  @TempDir
  Path dir;

  private RunHarness.Ran run(String example) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(Files.readString(Path.of("examples/" + example + ".conf")),
        dir.resolve(example));
    assertTrue(ran.outcome().failedWorkloads().isEmpty(), ran.outcome().failedWorkloads().toString());
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
    return ran;
  }

  @Test
  void twoSitesPingAndStreamAcrossBothRoutersAndTheLink() throws Exception {
    RunHarness.Ran ran = run("two-sites");
    // each host's pings cross two routers (ttl 64 - 2) and the link both ways: 2 x (40 - 5) ms at best
    for (int h = 1; h <= 4; h++) {
      String vm = "hosts-a-" + h;
      JsonNode ping = ran.workload(vm, 0);
      assertTrue(ping.at("/rttMillis/min").asDouble() >= 70, ping.toString());
      double p50 = ping.at("/rttMillis/p50").asDouble();
      assertTrue(p50 >= 80 && p50 <= 95, "p50 " + p50 + ": the link's 80 ms there and back, plus a little");
      // the flap takes five, the bursts a few more
      long received = ping.path("received").asLong();
      assertTrue(received >= 20 && received <= 25, received + " of 30");
      assertTrue(ran.consoleOf(vm).stream().anyMatch(l -> l.contains("from 10.2.0.10: seq=0 ttl=62 ")),
          ran.consoleOf(vm).toString());
    }
    JsonNode sent = ran.workload("sender", 0).path("result");
    JsonNode sink = ran.workload("sink", 0).at("/result/senders/0");
    assertEquals(sent.path("sent").asLong(), sink.path("received").asLong() + sink.path("lost").asLong());
    JsonNode wan = ran.link("wan wan-a>wan-b");
    JsonNode dropped = wan.path("dropped");
    // 5 s of 500 datagrams a second, and the pings of those seconds
    long flap = dropped.path("link-down").asLong();
    assertTrue(flap >= 2450 && flap <= 2550, dropped.toString());
    // README's figures, within a few percent: 409 to the bursts (3.1% expected), 16 to the 0.1%
    assertTrue(dropped.path("fault-loss").asLong() >= 300 && dropped.path("fault-loss").asLong() <= 520, dropped.toString());
    assertTrue(dropped.path("link-loss").asLong() >= 5 && dropped.path("link-loss").asLong() <= 40, dropped.toString());
    long got = sink.path("received").asLong();
    assertTrue(got >= 11_800 && got <= 12_500, "README: 12,142 of 14,999; got " + got);
    // every datagram lost was lost on the link (on the pings' way too: they share it)
    long onTheLink = dropped.path("link-down").asLong() + dropped.path("fault-loss").asLong()
        + dropped.path("link-loss").asLong();
    assertTrue(sink.path("lost").asLong() <= onTheLink && onTheLink - sink.path("lost").asLong() < 40,
        sink + " against " + dropped);
  }

  @Test
  void leafSpineRoutesBetweenRacksAndALeafCrashCutsOnlyItsRack() throws Exception {
    RunHarness.Ran ran = run("leaf-spine");
    for (int h = 1; h <= 3; h++) {
      String vm = "rack1-" + h;
      for (int i = 0; i < 2; i++) {
        JsonNode ping = ran.workload(vm, i);
        assertEquals(20, ping.path("received").asLong(), "rack 1 is not behind leaf-2: " + ping);
      }
      // to rack 3: leaf-1, the core, leaf-3; to the service network: leaf-1, the core
      assertTrue(ran.consoleOf(vm).stream().anyMatch(l -> l.contains("from 10.3.0.10: seq=0 ttl=61 ")),
          ran.consoleOf(vm).toString());
      assertTrue(ran.consoleOf(vm).stream().anyMatch(l -> l.contains("from 10.100.0.10: seq=0 ttl=62 ")),
          ran.consoleOf(vm).toString());
    }
    // rack 2's three senders, 100 datagrams a second each, cut off for the 5 s leaf-2 is down
    JsonNode sink = ran.workload("sink", 0).path("result");
    assertEquals(3, sink.path("senders").size(), sink.toString());
    for (JsonNode s : sink.path("senders")) {
      assertTrue(s.path("lost").asLong() >= 500 && s.path("lost").asLong() <= 520, s.toString());
    }
    JsonNode tcp = ran.workload("server", 0).path("result");
    assertEquals(3_000_000, tcp.path("bytesReceived").asLong(), tcp.toString());
    for (JsonNode c : tcp.path("connections")) {
      assertTrue(c.path("intact").asBoolean() && c.path("complete").asBoolean(), c.toString());
    }
  }
}
