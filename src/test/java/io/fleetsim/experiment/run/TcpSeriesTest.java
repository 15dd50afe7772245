package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's per-second TCP series, from every stack's meter: goodput adds up to what the sinks
 * received, and retransmissions show where a loss fault was on.
 */
class TcpSeriesTest {
  @TempDir
  Path dir;

  private static String transfer(String faults) {
    return """
        name = tcp-series
        duration = 8s
        networks { lan { type = switch } }
        vms {
          src { network = lan, ip = "10.0.0.1/24", workloads = [ "tcp-stream 10.0.0.2:5001 bytes=2MiB" ] }
          dst { network = lan, ip = "10.0.0.2/24", workloads = [ "tcp-sink 5001" ] }
        }
        """ + faults;
  }

  private static long sum(JsonNode values) {
    long s = 0;
    for (JsonNode v : values) {
      s += v.asLong();
    }
    return s;
  }

  @Test
  void goodputPerSecondAddsUpToTheBytesTheSinkReceived() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(transfer(""), dir);
    JsonNode series = ran.results().get("series");
    JsonNode sink = ran.workload("dst", 0).get("result");
    assertEquals(2L << 20, sink.get("bytesReceived").asLong(), sink.toString());
    JsonNode goodput = series.get("tcpGoodputBitsPerSecond");
    assertEquals(series.get("seconds").size(), goodput.size(), "one value per second");
    // the transfer starts after the boot and ends long before the drain: every byte is in a second
    assertEquals(8 * sink.get("bytesReceived").asLong(), sum(goodput));
    assertEquals(0, sum(series.get("tcpRetransmissionsPerSecond")), "nothing lost, nothing resent");
    assertEquals(0, goodput.get(goodput.size() - 1).asLong(), "done before the last second");

    // the report reads these results as they are now (its unit tests use a saved copy)
    org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(
        java.nio.file.Files.readString(ran.outcome().folder().resolve("report.html")));
    org.jsoup.nodes.Element sinkRow = page.selectFirst("table#tcp-sink > tbody > tr");
    assertEquals("2.0 MiB", sinkRow.child(4).text(), sinkRow.text());
    assertEquals("1 connection", sinkRow.selectFirst("details summary").text());
    org.jsoup.nodes.Element streamRow = page.selectFirst("table#tcp-stream > tbody > tr");
    assertEquals(java.util.List.of("10.0.0.2:5001", "2.0 MiB", "2.0 MiB"),
        streamRow.children().subList(3, 6).stream().map(org.jsoup.nodes.Element::text).toList());
    assertTrue(streamRow.child(7).text().endsWith("bit/s"), streamRow.text());
  }

  @Test
  void retransmissionsComeInTheSecondsOfALossFault() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(transfer(
        "faults = [ { at = 0s, for = 3s, kind = loss, target = src, probability = 0.05 } ]\n"), dir);
    JsonNode series = ran.results().get("series");
    JsonNode retransmissions = series.get("tcpRetransmissionsPerSecond");
    long stream = ran.workload("src", 0).at("/result/stats/retransmissions").asLong();
    assertTrue(stream > 0, "the sender retransmitted: " + ran.workload("src", 0));
    assertEquals(stream, sum(retransmissions), "every retransmission is in a second of the run");
    assertTrue(retransmissions.get(0).asLong() + retransmissions.get(1).asLong() + retransmissions.get(2).asLong() > 0,
        "some while the fault was on: " + retransmissions);
    assertEquals(8 * ran.workload("dst", 0).at("/result/bytesReceived").asLong(),
        sum(series.get("tcpGoodputBitsPerSecond")));
  }
}
