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
    assertEquals(10e6, bitsPerSecond, 10e6 * 0.02, "delivered " + (longer - shorter)
        + " datagrams more in 4 s: " + bitsPerSecond + " bit/s");
  }
}
