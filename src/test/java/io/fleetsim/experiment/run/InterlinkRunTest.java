package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.link.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links between networks ({@code links.NAME}) in virtual time, where their latency, jitter, rate
 * and loss are part of the model and exact: two switches, a VM on each, one link between them.
 */
class InterlinkRunTest {
  @TempDir
  Path dir;

  private static final Pattern TIME = Pattern.compile("seq=(\\d+) ttl=\\d+ time=([0-9.]+) ms");

  /** A pinger on site-a, a server on site-b, the link {@code wan} with {@code props}. */
  private static String sites(String duration, String props, String workloads, String faults) {
    return """
        name = sites
        duration = %s
        networks { site-a { type = switch }, site-b { type = switch } }
        links { wan { between = [site-a, site-b]%s } }
        vms {
          a { network = site-a, ip = "10.0.0.1/24", workloads = [%s] }
          b { network = site-b, ip = "10.0.0.2/24", workloads = ["udp-sink 9000"] }
        }
        faults = [%s]
        """.formatted(duration, props, workloads, faults);
  }

  /** Datagrams b's udp-sink received, over every stream. */
  private static long sinkReceived(RunHarness.Ran ran) {
    long n = 0;
    for (JsonNode sender : ran.workload("b", 0).at("/result/senders")) {
      n += sender.path("received").asLong();
    }
    return n;
  }

  /** Each answered ping's RTT in ms by sequence number, from a's console. */
  private static List<double[]> rtts(RunHarness.Ran ran) {
    List<double[]> out = new ArrayList<>();
    for (String line : ran.consoleOf("a")) {
      Matcher m = TIME.matcher(line);
      if (m.find()) {
        out.add(new double[] {Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2))});
      }
    }
    return out;
  }

  private static void assertBalanced(RunHarness.Ran ran) {
    assertTrue(ran.results().at("/accounting/ok").asBoolean(), ran.results().at("/accounting").toString());
    assertTrue(ran.link("wan site-a>site-b").get("balanced").asBoolean());
    assertTrue(ran.link("wan site-b>site-a").get("balanced").asBoolean());
  }

  /** Ping's frames: 56 data bytes, ICMP 8, IPv4 20, Ethernet 14. */
  private static final int PING_FRAME = 98;

  @Test
  void aPingCrossesTheLinkBothWaysWithItsLatencyAndSerialisation() throws Exception {
    RunHarness.Ran wan = RunHarness.runVirtual(sites("6s", ", latency = 40ms, rate = 10Mbit",
        "\"ping 10.0.0.2 count=5 interval=1s\"", ""), dir);
    List<double[]> rtts = rtts(wan);
    assertEquals(5, rtts.size(), wan.consoleOf("a").toString());
    // each way: the link's 40 ms and a 98-byte frame serialised at 10 Mbit/s, and the two VMs'
    // cables at 1000 Mbit/s (a to site-a, site-b to b; then back)
    double model = 2 * (40e6 + Wire.serialisationNanos(PING_FRAME, 10_000_000L))
        + 4 * Wire.serialisationNanos(PING_FRAME, 1_000_000_000L);
    for (int i = 1; i < 5; i++) { // seq 0 waits for ARP as well
      double rtt = rtts.get(i)[1] * 1e6;
      // ping prints whole microseconds (cut, not rounded); the VMs' own time is a few
      // microseconds: far below one more serialisation at 10 Mbit/s (97.6 us)
      assertTrue(rtt > model - 1000 && rtt < model + 20_000,
          "seq " + i + ": RTT " + rtt / 1e6 + " ms, the model's " + model / 1e6 + " ms");
    }
    assertBalanced(wan);
  }

  /** Datagrams b's sink received with a's udp-send running {@code seconds} at 2000/s of 1000 B. */
  private long received(int seconds) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(sites((seconds + 1) + "s", ", rate = 10Mbit",
        "\"udp-send 10.0.0.2:9000 rate=2000/s size=1000B duration=" + seconds + "s\"", ""),
        dir.resolve("udp" + seconds));
    assertBalanced(ran);
    // back-pressure: the backlog (up to 5,800 datagrams more than the link carries) waits in
    // site-a's queue for the link's port and the queues behind it; nothing is dropped anywhere
    JsonNode send = ran.workload("a", 0).path("result");
    assertTrue(send.path("dropped").asLong() == 0, send.toString());
    assertTrue(ran.link("wan site-a>site-b").path("dropped").isEmpty(), ran.link("wan site-a>site-b").toString());
    assertTrue(ran.results().at("/totals/framesDropped").asLong() == 0, ran.results().at("/totals").toString());
    return sinkReceived(ran);
  }

  @Test
  void aUdpStreamFasterThanTheLinkIsLimitedToItsRate() throws Exception {
    // 16 Mbit/s offered to a 10 Mbit/s link: the backlog waits in the senders' queues, the same
    // backlog at the end of either run, so the difference of two runs is the link's rate alone
    long shorter = received(3);
    long longer = received(7);
    int wireBytes = 1000 + 8 + 20 + 14 + Wire.OVERHEAD_BYTES; // UDP, IPv4, Ethernet, preamble..gap
    double bitsPerSecond = (longer - shorter) * wireBytes * 8.0 / 4;
    assertEquals(10e6, bitsPerSecond, 10e6 * 0.005, "delivered " + (longer - shorter)
        + " datagrams more in 4 s: " + bitsPerSecond + " bit/s");
  }

  @Test
  void standingLossDropsAboutItsFractionAndBooksItAsLinkLoss() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(sites("4s", ", loss = 10%",
        "\"udp-send 10.0.0.2:9000 rate=1000/s count=2000\"", ""), dir);
    JsonNode ab = ran.link("wan site-a>site-b");
    long sent = ab.get("sent").asLong();
    long lost = ab.at("/dropped/link-loss").asLong();
    assertTrue(sent >= 2000, ab.toString());
    // seeded, so the same every run; a generous band around 10% of 2000
    assertTrue(lost > 0.07 * sent && lost < 0.13 * sent, lost + " of " + sent + " lost: " + ab);
    assertEquals(sent - lost, ab.get("delivered").asLong(), ab.toString());
    assertEquals(2000 - sinkReceived(ran), lost, 3, "what the sink missed is what the link lost"
        + " (give or take the ARP frames)");
    assertBalanced(ran);
  }

  @Test
  void jitterStaysWithinItsBoundsAndNeverReorders() throws Exception {
    // 4000 datagrams/s, one every 250 us, across +-5 ms of jitter: drawn independently they would
    // overtake each other all the time
    RunHarness.Ran ran = RunHarness.runVirtual(sites("6s", ", latency = 20ms, jitter = 5ms",
        "\"ping 10.0.0.2 count=40 interval=100ms\", \"udp-send 10.0.0.2:9000 rate=4000/s count=8000\"",
        ""), dir);
    List<double[]> rtts = rtts(ran);
    assertTrue(rtts.size() >= 39, rtts.size() + " replies");
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double[] r : rtts.subList(1, rtts.size())) {
      min = Math.min(min, r[1]);
      max = Math.max(max, r[1]);
    }
    // each way 20 ms +- 5 ms (FIFO can only add a little behind a later-drawn frame)
    assertTrue(min >= 30.0 && max <= 50.5, "RTTs from " + min + " to " + max + " ms");
    assertTrue(max - min > 5.0, "the jitter shows: " + min + " to " + max + " ms");
    JsonNode sink = ran.workload("b", 0).path("result");
    assertEquals(8000, sinkReceived(ran), sink.toString());
    for (JsonNode sender : sink.path("senders")) {
      assertEquals(0, sender.path("outOfOrder").asLong(), sink.toString());
    }
    assertBalanced(ran);
  }

  @Test
  void linkDownCutsTheLinkForItsWindowAndItHealsAfter() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(sites("10s", ", latency = 10ms",
        "\"ping 10.0.0.2 count=9 interval=1s\"",
        "{ at = 2500ms, for = 3s, kind = link-down, target = wan }"), dir);
    List<Integer> answered = new ArrayList<>();
    rtts(ran).forEach(r -> answered.add((int) r[0]));
    // pings leave at 0 s, 1 s, ...: those at 3, 4 and 5 s fall in the window 2.5 s - 5.5 s
    assertEquals(List.of(0, 1, 2, 6, 7, 8), answered, ran.consoleOf("a").toString());
    assertEquals(3, ran.link("wan site-a>site-b").at("/dropped/link-down").asLong(),
        ran.link("wan site-a>site-b").toString());
    assertTrue(ran.link("wan site-b>site-a").path("dropped").path("link-down").isMissingNode(),
        "b never heard the requests, so sent no replies to drop");
    JsonNode fault = ran.results().at("/faults/0");
    assertEquals("wan", fault.get("target").asText(), fault.toString());
    assertBalanced(ran);
  }

  @Test
  void aLossFaultOnTheLinkActsInItsDirection() throws Exception {
    // out is from site-a to site-b: the requests are lost, the replies' direction is untouched
    RunHarness.Ran ran = RunHarness.runVirtual(sites("6s", "",
        "\"ping 10.0.0.2 count=5 interval=1s\"",
        "{ at = 1500ms, for = 2s, kind = loss, target = wan, direction = out, probability = 1.0 }"),
        dir);
    List<Integer> answered = new ArrayList<>();
    rtts(ran).forEach(r -> answered.add((int) r[0]));
    assertEquals(List.of(0, 1, 4), answered, ran.consoleOf("a").toString());
    assertEquals(2, ran.link("wan site-a>site-b").at("/dropped/fault-loss").asLong(),
        ran.link("wan site-a>site-b").toString());
    assertTrue(ran.link("wan site-b>site-a").path("dropped").isEmpty(),
        ran.link("wan site-b>site-a").toString());
    assertBalanced(ran);
  }

  @Test
  void aFaultOnANetworkActsOnTheFramesEnteringItThroughALink() throws Exception {
    // on site-b: the requests enter it through the link and are lost; the replies leave it
    RunHarness.Ran ran = RunHarness.runVirtual(sites("6s", "",
        "\"ping 10.0.0.2 count=5 interval=1s\"",
        "{ at = 1500ms, for = 2s, kind = loss, target = site-b, probability = 1.0 }"), dir);
    List<Integer> answered = new ArrayList<>();
    rtts(ran).forEach(r -> answered.add((int) r[0]));
    assertEquals(List.of(0, 1, 4), answered, ran.consoleOf("a").toString());
    assertEquals(2, ran.link("wan site-a>site-b").at("/dropped/fault-loss").asLong(),
        ran.link("wan site-a>site-b").toString());
    assertTrue(ran.link("wan site-b>site-a").path("dropped").isEmpty(),
        ran.link("wan site-b>site-a").toString());
    assertBalanced(ran);
  }

  @Test
  void aRunWithLinksRepeatsByteForByte() throws Exception {
    String props = ", latency = 15ms, jitter = 4ms, rate = 20Mbit, loss = 5%";
    String work = "\"ping 10.0.0.2 count=30 interval=100ms\", \"udp-send 10.0.0.2:9000 rate=500/s count=1500\"";
    String file = sites("4s", props, work,
        "{ at = 1s, for = 500ms, kind = latency, target = wan, delay = 30ms, jitter = 10ms }");
    String first = withoutHost(RunHarness.runVirtual(file, dir.resolve("1")));
    String second = withoutHost(RunHarness.runVirtual(file, dir.resolve("2")));
    assertTrue(first.equals(second), "the same file and seed, the same results.json but host");
    // without the fault, only the link's own draws (loss, jitter) can tell two seeds apart
    String plain = sites("4s", props, work, "");
    String seed1 = withoutHost(RunHarness.runVirtual(plain, dir.resolve("3")));
    String seed99 = withoutHost(RunHarness.runVirtual(plain.replace("name = sites",
        "name = sites\nseed = 99"), dir.resolve("4")));
    assertTrue(!seed1.equals(seed99), "another seed draws other losses and delays on the link");
    // (the guests' own seeds move their frames too, so the link's seed is checked apart: one per
    // link of a file and per experiment seed)
    assertTrue(Interlink.seed(1, 0) != Interlink.seed(1, 1) && Interlink.seed(1, 0) != Interlink.seed(99, 0));
  }

  private static String withoutHost(RunHarness.Ran ran) {
    ObjectNode copy = ran.results().deepCopy();
    copy.remove("host");
    ((ObjectNode) copy.get("experiment")).remove("seed");
    return copy.toString();
  }

  @Test
  void theReportShowsTheLinksRowsAndProperties() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(sites("3s", ", latency = 40ms, rate = 10Mbit, loss = 0.1%",
        "\"ping 10.0.0.2 count=2 interval=1s\"", ""), dir);
    String html = Files.readString(ran.outcome().folder().resolve("report.html"));
    assertTrue(html.contains("wan site-a&gt;site-b") || html.contains("wan site-a>site-b"), "a>b row");
    assertTrue(html.contains("wan site-b&gt;site-a") || html.contains("wan site-b>site-a"), "b>a row");
    assertTrue(html.contains("rateBitsPerSecond"), "the link's properties beside its counts");
    JsonNode topology = ran.results().at("/topology/links/0");
    assertEquals("{\"name\":\"wan\",\"between\":[\"site-a\",\"site-b\"],\"latencyMillis\":40.0,"
        + "\"jitterMillis\":0.0,\"rateBitsPerSecond\":10000000,\"lossPercent\":0.1}",
        topology.toString());
  }
}
