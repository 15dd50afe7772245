package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/tcp-under-loss.conf does what its comments and README's TCP section say. */
class TcpUnderLossExampleTest {
  @TempDir
  Path dir;

  @Test
  void everyConnectionRidesOutTheFaultsAndEveryBodyArrivesWhole() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(Files.readString(Path.of("examples/tcp-under-loss.conf")), dir);
    assertTrue(ran.outcome().failedWorkloads().isEmpty(), ran.outcome().failedWorkloads().toString());
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());

    JsonNode stream = ran.workload("client", 0).path("result");
    JsonNode sink = ran.workload("server", 0).at("/result/connections/0");
    assertTrue(stream.path("completed").asBoolean(), stream.toString());
    assertTrue(stream.at("/stats/retransmissions").asLong() > 0, "the loss was felt: " + stream);
    assertEquals(stream.path("bytesSent").asLong(), sink.path("bytes").asLong(), sink.toString());
    assertEquals(stream.path("sha256").asText(), sink.path("sha256").asText(), sink.toString());
    assertTrue(sink.path("intact").asBoolean(), sink.toString());

    JsonNode rr = ran.workload("client", 1).path("result");
    assertTrue(rr.path("error").isNull(), rr.toString());
    assertTrue(rr.path("transactions").asLong() > 0, rr.toString());

    String served = ran.workload("server", 2).at("/result/sha256").asText();
    JsonNode requests = ran.workload("client", 2).at("/result/requests");
    assertEquals(20, requests.size(), requests.toString());
    for (JsonNode r : requests) {
      assertEquals(200, r.path("status").asInt(), r.toString());
      assertEquals(256 * 1024, r.path("bytes").asLong(), r.toString());
      assertEquals(served, r.path("sha256").asText(), r.toString());
    }

    long lost = 0;
    long down = 0;
    for (JsonNode link : ran.results().get("links")) {
      lost += link.at("/dropped/fault-loss").asLong();
      down += link.at("/dropped/link-down").asLong();
    }
    assertTrue(lost > 0 && down > 0, "the loss and the link-down acted: " + ran.results().get("links"));
  }
}
