package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment of docs/tcp-workloads.md, run in virtual time: the TCP and HTTP workloads in an
 * experiment, under loss, judged by their expectations and defaults, with the results.json
 * fields the page documents.
 */
class TcpWorkloadsRunTest {
  private static String docExperiment() throws Exception {
    Matcher m = Pattern.compile("```hocon\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("docs/tcp-workloads.md")));
    assertTrue(m.find(), "the page shows an experiment");
    return m.group(1);
  }

  @Test
  void thePagesExperimentRunsAndPasses(@TempDir Path dir) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(docExperiment(), dir);
    assertTrue(ran.outcome().failedWorkloads().isEmpty(), ran.outcome().failedWorkloads() + "\n"
        + ran.console());
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());

    JsonNode stream = ran.workload("client", 0);
    JsonNode sent = stream.get("result");
    assertEquals(5_000_000, sent.get("bytesSent").asLong(), stream.toString());
    assertEquals(5_000_000, sent.get("bytesAcked").asLong());
    assertTrue(sent.get("completed").asBoolean());
    assertTrue(sent.get("error").isNull());
    assertTrue(sent.get("stats").get("retransmissions").asLong() > 0, "1% loss costs retransmissions");
    assertTrue(sent.get("goodputBitsPerSecond").asDouble() >= 1e6);
    JsonNode received = ran.workload("server", 0).get("result").get("connections").get(0);
    assertEquals(sent.get("sha256").asText(), received.get("sha256").asText(), "byte-exact under loss");
    assertEquals(0, received.get("corruptBytes").asLong());

    JsonNode rr = ran.workload("client", 1).get("result");
    assertEquals(200, rr.get("transactions").asLong());
    assertTrue(rr.get("latency").get("p50Nanos").asLong() > 0);

    JsonNode get = ran.workload("client", 2).get("result");
    assertEquals(3, get.get("requests").size());
    String served = ran.workload("server", 2).get("result").get("sha256").asText();
    for (JsonNode r : get.get("requests")) {
      assertEquals(200, r.get("status").asInt());
      assertEquals(256 * 1024, r.get("bytes").asLong());
      assertEquals(served, r.get("sha256").asText());
    }
    assertTrue(ran.consoleOf("server").contains("http-serve 80: body 262144 bytes sha256=" + served));
    assertEquals(3, ran.workload("server", 2).get("result").get("responses").get("200").asLong());
  }
}
