package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routers in experiments, in virtual time: two sites, each with a router, the routers on a WAN
 * network between them. Pings cross two and three hops with the TTL decremented once per router;
 * a router's crash partitions the sites and its restart heals them; asymmetric static routes
 * carry the requests one way and the replies the other.
 */
class RoutingRunTest {
  private static final Pattern REPLY = Pattern.compile("seq=(\\d+) ttl=(\\d+) time=");

  /** site-a -- r-a -- wan -- r-b -- site-b; {@code workloads} for ha, {@code faults} as given. */
  private static String twoSites(String workloads, String faults, String duration) {
    return """
        name = two-sites
        duration = %s
        networks {
          site-a { type = switch }
          wan { type = switch }
          site-b { type = switch }
        }
        vms {
          r-a { router = true, arp = static,
                nics = [ { network = site-a, ip = "10.1.0.1/24" }, { network = wan, ip = "10.9.0.1/30" } ],
                routes = ["10.2.0.0/16 via 10.9.0.2"] }
          r-b { router = true, arp = static,
                nics = [ { network = site-b, ip = "10.2.0.1/24" }, { network = wan, ip = "10.9.0.2/30" } ],
                routes = ["10.1.0.0/16 via 10.9.0.1"] }
          ha { network = site-a, ip = "10.1.0.10/24", gateway = "10.1.0.1", arp = static,
               workloads = [%s] }
          hb { network = site-b, ip = "10.2.0.10/24", gateway = "10.2.0.1", arp = static }
        }
        faults = [ %s ]
        report { html = false }
        """.formatted(duration, workloads, faults);
  }

  /** seq to TTL of every reply {@code vm}'s pings printed (one ping workload). */
  private static List<int[]> replies(RunHarness.Ran ran, String vm) {
    List<int[]> out = new ArrayList<>();
    for (String line : ran.consoleOf(vm)) {
      Matcher m = REPLY.matcher(line);
      if (m.find()) {
        out.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
      }
    }
    return out;
  }

  @Test
  void pingsCrossTwoAndThreeHopsWithOneTtlPerRouter(@TempDir Path dir) throws Exception {
    // 10.2.0.1 is r-b's site-b side: ha -> r-a -> r-b (r-a forwards once);
    // 10.2.0.10 is hb: ha -> r-a -> r-b -> hb (both forward)
    RunHarness.Ran ran = RunHarness.runVirtual(twoSites(
        "\"ping 10.2.0.1 count=3 interval=200ms\", \"ping 10.2.0.10 count=3 interval=200ms\"", "",
        "3s"), dir);
    assertEquals(3, ran.workload("ha", 0).get("received").asInt(), ran.workload("ha", 0).toString());
    assertEquals(3, ran.workload("ha", 1).get("received").asInt(), ran.workload("ha", 1).toString());
    List<Integer> ttls = new ArrayList<>();
    for (String line : ran.consoleOf("ha")) {
      Matcher m = REPLY.matcher(line);
      if (m.find()) {
        ttls.add(Integer.parseInt(m.group(2)) * (line.contains("from 10.2.0.10") ? -1 : 1));
      }
    }
    // the far side answers with TTL 64; each router on the way back takes one off
    assertEquals(3, ttls.stream().filter(t -> t == 63).count(), "r-b's replies cross r-a: " + ttls);
    assertEquals(3, ttls.stream().filter(t -> t == -62).count(), "hb's replies cross r-b, r-a: " + ttls);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void aRouterCrashPartitionsTheSitesAndItsRestartHealsThem(@TempDir Path dir) throws Exception {
    // one ping a second; r-a is down from 4 s to 8 s
    RunHarness.Ran ran = RunHarness.runVirtual(twoSites("\"ping 10.2.0.10 count=12 interval=1s\"",
        "{ at = 4s, for = 4s, kind = crash, target = r-a }", "14s"), dir);
    List<Integer> answered = replies(ran, "ha").stream().map(r -> r[0]).toList();
    assertTrue(answered.containsAll(List.of(0, 1, 2, 3)), "before the crash: " + answered);
    for (int seq = 5; seq <= 7; seq++) {
      assertTrue(!answered.contains(seq), "seq " + seq + " went out while r-a was down: " + answered);
    }
    assertTrue(answered.containsAll(List.of(9, 10, 11)), "after the restart: " + answered);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void asymmetricStaticRoutesCarryRequestsOneWayAndRepliesTheOther(@TempDir Path dir)
      throws Exception {
    // two routers between a and b: a's hosts send via r1, b's hosts answer via r2
    RunHarness.Ran ran = RunHarness.runVirtual("""
        name = asymmetric
        duration = 3s
        networks {
          a { type = switch }
          b { type = switch }
        }
        vms {
          r1 { router = true, arp = static,
               nics = [ { network = a, ip = "10.1.0.1/24" }, { network = b, ip = "10.2.0.1/24" } ] }
          r2 { router = true, arp = static,
               nics = [ { network = a, ip = "10.1.0.2/24" }, { network = b, ip = "10.2.0.2/24" } ] }
          ha { network = a, ip = "10.1.0.10/24", arp = static, routes = ["10.2.0.0/24 via 10.1.0.1"],
               workloads = ["ping 10.2.0.10 count=5 interval=200ms"] }
          hb { network = b, ip = "10.2.0.10/24", arp = static, routes = ["10.1.0.0/24 via 10.2.0.2"] }
        }
        report { html = false }
        """, dir);
    assertEquals(5, ran.workload("ha", 0).get("received").asInt(), ran.workload("ha", 0).toString());
    // with static ARP and provisioned switch ports no frame floods: each link carries only its way
    long r1OntoA = ran.link("r1/eth0 out").get("sent").asLong(); // what r1 sent on a
    long r1ToA = ran.link("r1/eth0 in").get("delivered").asLong(); // what r1's NIC on a was given
    long r1ToB = ran.link("r1/eth1 out").get("sent").asLong();
    long r2FromB = ran.link("r2/eth1 in").get("delivered").asLong();
    long r2ToA = ran.link("r2/eth0 out").get("sent").asLong();
    assertEquals(5, r1ToA, "the requests reach r1 on a: " + ran.results().get("links"));
    assertEquals(5, r1ToB, "r1 forwards them onto b");
    assertEquals(0, r1OntoA, "no reply comes back through r1");
    assertEquals(5, r2FromB, "the replies reach r2 on b");
    assertEquals(5, r2ToA, "r2 forwards them onto a");
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }
}
