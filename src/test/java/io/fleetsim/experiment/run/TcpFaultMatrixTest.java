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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 10 MB tcp-stream between two simulated VMs on a switch, under each fault kind, in virtual
 * time: whatever the path does to the frames, the sink gets every byte once and in order (its
 * SHA-256 is the sender's, its pattern check finds no wrong byte), and the run is green. Then
 * what TCP cannot hide: a partition longer than the user timeout, and a peer that reboots.
 */
class TcpFaultMatrixTest {
  private static final long BYTES = 10_000_000;

  @TempDir
  Path dir;

  private static String experiment(String name, String stream, String duration, String faults) {
    return """
        name = %s
        seed = 7
        duration = %s
        networks { lan { type = switch } }
        vms {
          src { network = lan, ip = "10.0.9.1/24", arp = static, workloads = ["%s"] }
          dst { network = lan, ip = "10.0.9.2/24", arp = static, workloads = ["tcp-sink 5001"] }
        }
        faults = [
        %s
        ]
        """.formatted(name, duration, stream, faults);
  }

  /**
   * Each row: a name; the simulated duration the run is given (generous: a run lasts that long
   * whatever its workloads do, but idle simulated time costs next to nothing); what shows the
   * fault acted; the faults (src is the sender; both directions unless said).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      loss-1       | 300s  | /dropped/fault-loss      | { at = 0s, kind = loss, target = src, probability = 0.01 }
      loss-10      | 3000s | /dropped/fault-loss      | { at = 0s, kind = loss, target = src, probability = 0.1 }
      bursts       | 600s  | /dropped/fault-loss      | { at = 0s, kind = loss, target = src, model = gilbert-elliott, p = 0.005, r = 0.3, loss-bad = 0.5 }
      reorder      | 300s  | /delayed                 | { at = 0s, kind = reorder, target = src, probability = 0.05, gap = 5ms }
      duplicate    | 300s  | /duplicated              | { at = 0s, kind = duplicate, target = src, probability = 0.05 }
      corrupt      | 300s  | rxDropBadChecksum        | { at = 0s, kind = corrupt, target = src, probability = 0.02 }
      jitter       | 300s  | /delayed                 | { at = 0s, kind = latency, target = src, delay = 10ms, jitter = 5ms }
      rate-limit   | 300s  | /delayed                 | { at = 0s, kind = rate, target = src, direction = out, rate = 20Mbit, queue = 64KiB }
      partition-5s | 300s  | /dropped/fault-partition | { at = 0s, kind = rate, target = src, direction = out, rate = 20Mbit }, { at = 1s, for = 5s, kind = partition, groups = [[src], [dst]] }
      link-flap    | 300s  | /dropped/link-down       | { at = 0s, kind = rate, target = src, direction = out, rate = 20Mbit }, { at = 1s, for = 300ms, every = 1s, kind = link-down, target = dst }
      """)
  void tenMegabytesArriveByteExact(String name, String duration, String evidence, String faults)
      throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(experiment(name,
        "tcp-stream 10.0.9.2:5001 bytes=" + BYTES + "B", duration, faults), dir);
    JsonNode stream = ran.workload("src", 0).path("result");
    JsonNode sink = ran.workload("dst", 0).path("result");
    assertEquals(1, sink.path("connections").size(), sink.toString());
    JsonNode got = sink.path("connections").get(0);
    assertEquals(BYTES, stream.path("bytesSent").asLong(), stream.toString());
    assertEquals(BYTES, stream.path("bytesAcked").asLong(), stream.toString());
    assertTrue(stream.path("completed").asBoolean(), stream.toString());
    assertEquals(BYTES, got.path("bytes").asLong(), got.toString());
    assertEquals(stream.path("sha256").asText(), got.path("sha256").asText(), "byte-exact: " + got);
    assertTrue(got.path("intact").asBoolean(), got.toString());
    assertEquals(0, got.path("corruptBytes").asLong(), got.toString());
    assertTrue(got.path("complete").asBoolean(), got.toString());
    assertTrue(ran.outcome().failedWorkloads().isEmpty(), ran.outcome().failedWorkloads().toString());
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
    assertTrue(evidence(ran, evidence) > 0, "the fault acted on the transfer (" + evidence + "): "
        + ran.results().get("links") + " " + stream.path("stats"));
  }

  /**
   * What shows a fault acted: a link-book figure ({@code /duplicated}, {@code /dropped/CAUSE})
   * summed over every link, or else a guest stack counter summed over the VMs.
   */
  private static long evidence(RunHarness.Ran ran, String what) {
    long sum = 0;
    if (what.startsWith("/")) {
      for (JsonNode link : ran.results().get("links")) {
        sum += link.at(what).asLong();
      }
    } else {
      for (JsonNode vm : ran.results().get("vms")) {
        for (JsonNode i : vm.at("/guest/interfaces")) {
          sum += i.path("counters").path(what).asLong();
        }
      }
    }
    return sum;
  }

  /** Cut off for good after a second, with a 10 s user timeout: the sender gives up and says so. */
  @Test
  void aPartitionLongerThanTheUserTimeoutAbortsTheConnection() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(experiment("partition-forever",
        "tcp-stream 10.0.9.2:5001 bytes=" + BYTES + "B user-timeout=10s", "60s",
        "{ at = 0s, kind = rate, target = src, direction = out, rate = 20Mbit }, "
            + "{ at = 1s, kind = partition, groups = [[src], [dst]] }"), dir);
    JsonNode entry = ran.workload("src", 0);
    JsonNode stream = entry.path("result");
    assertEquals("TIMED_OUT", stream.at("/error/kind").asText(), stream.toString());
    assertTrue(stream.at("/error/message").asText().contains("10"), "says how long it waited: " + stream);
    assertFalse(stream.path("completed").asBoolean(), stream.toString());
    assertTrue(stream.path("bytesAcked").asLong() < BYTES, stream.toString());
    assertFalse(entry.path("success").asBoolean(), entry.toString());
    assertFalse(ran.outcome().failedWorkloads().isEmpty(), "the run is not green");
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  /**
   * The sink's VM restarts mid-transfer (at once, or after 2 s down): its new boot knows nothing
   * of the connection, so the sender's next segments are answered with RST and the sender
   * reports RESET.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{ at = 1s, kind = restart, target = dst }",
      "{ at = 1s, for = 2s, kind = crash, target = dst }"})
  void aRestartedPeerAnswersStraySegmentsWithReset(String fault) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(experiment("peer-restart",
        "tcp-stream 10.0.9.2:5001 bytes=" + BYTES + "B", "60s",
        "{ at = 0s, kind = rate, target = src, direction = out, rate = 20Mbit }, " + fault), dir);
    JsonNode entry = ran.workload("src", 0);
    JsonNode stream = entry.path("result");
    assertEquals("RESET", stream.at("/error/kind").asText(), stream.toString());
    assertFalse(stream.path("completed").asBoolean(), stream.toString());
    assertFalse(entry.path("success").asBoolean(), entry.toString());
    List<JsonNode> sinks = new ArrayList<>();
    ran.results().get("workloads").forEach(w -> {
      if (w.path("vm").asText().equals("dst")) {
        sinks.add(w);
      }
    });
    assertEquals(2, sinks.size(), "a sink per boot: " + sinks);
    assertEquals(0, sinks.get(1).at("/result/connections").size(), "the new boot took no connection: " + sinks);
    assertFalse(ran.outcome().failedWorkloads().isEmpty(), "the run is not green");
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }
}
