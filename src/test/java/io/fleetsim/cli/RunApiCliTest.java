package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.InProcessCli;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleetsim run --api}: the API is up before the VMs boot, answers with the token only,
 * puts a crash on through {@code POST /vms/a/crash} that results.json lists with source api, and
 * is gone once the run has ended; bad --api values and token files are one line and status 1.
 */
@Timeout(300)
class RunApiCliTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("^api listening on (http://127\\.0\\.0\\.1:\\d+/)$");
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path experiment() throws IOException {
    Path file = dir.resolve("live.conf");
    Files.writeString(file, """
        name = live
        duration = 8s
        clock = real
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", arp = static, workloads = ["ping 10.0.0.2 interval=100ms"] }
          b { network = lan, ip = "10.0.0.2/24", arp = static }
        }
        """);
    return file;
  }

  @Test
  void theApiDrivesTheRunAndClosesAfterIt() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\nignored\n");
    Path results = dir.resolve("results");
    HttpClient http = HttpClient.newHttpClient();
    URI base;
    String out;
    int status;
    try (Fleetsim run = Fleetsim.start("run", experiment().toString(), "--results", results.toString(),
        "--api", "0", "--api-token-file", token.toString())) {
      Matcher m = LISTENING.matcher(run.awaitLine(l -> LISTENING.matcher(l).matches(), PATIENCE));
      assertTrue(m.matches());
      base = URI.create(m.group(1));
      assertEquals(401, get(http, base.resolve("status"), null).statusCode(), "no token, no answer");
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      JsonNode s;
      do {
        HttpResponse<String> r = get(http, base.resolve("status"), "s3cret");
        assertEquals(200, r.statusCode(), r.body());
        s = JSON.readTree(r.body());
        assertTrue(System.nanoTime() < deadline, "never running: " + s);
        Thread.sleep(20);
      } while (!s.path("state").asText().equals("running"));
      assertEquals("live", s.path("name").asText(), s.toString());
      HttpResponse<String> crash = http.send(HttpRequest.newBuilder(base.resolve("vms/a/crash"))
          .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, crash.statusCode(), crash.body());
      assertEquals("a1", JSON.readTree(crash.body()).path("id").asText(), crash.body());
      status = run.awaitExit(PATIENCE);
      out = run.output();
    }
    assertFalse(STACK_FRAME.matcher(out).find(), "no stack trace:\n" + out);
    assertFalse(out.contains("warning: the API listens"), "loopback: no warning\n" + out);
    assertTrue(status == 0 || status == 3, "status " + status + ":\n" + out);
    JsonNode r = JSON.readTree(RunStopTest.onlyFolder(results).resolve("results.json").toFile());
    JsonNode fault = r.at("/faults/0");
    assertEquals("a1", fault.path("id").asText(), r.get("faults").toString());
    assertEquals("api", fault.path("source").asText());
    assertEquals("crash", fault.path("kind").asText());
    assertTrue(r.at("/accounting/ok").asBoolean(), r.at("/accounting").toString());
    // closed once the results were written
    assertThrows(IOException.class, () -> get(http, base.resolve("status"), "s3cret"));
  }

  @Test
  void aNonLoopbackAddressIsWarnedAbout() throws Exception {
    InProcessCli.Result r = InProcessCli.run("run", experiment().toString(), "--clock", "virtual",
        "--results", dir.resolve("results").toString(), "--api", "0.0.0.0:0");
    assertTrue(r.status() == 0 || r.status() == 3, r.all());
    assertTrue(r.stdout().lines().anyMatch(l -> l.matches("api listening on http://0\\.0\\.0\\.0:\\d+/")), r.all());
    assertTrue(r.stdout().contains(
        "warning: the API listens on 0.0.0.0, which is not a loopback address\n"), r.all());
  }

  @Test
  void aBadApiValueIsAUsageError() throws Exception {
    InProcessCli.Result r = InProcessCli.run("run", experiment().toString(), "--api", "nonsense:port");
    assertEquals(Main.EXIT_USAGE, r.status(), r.all());
    assertTrue(r.stderr().contains("--api nonsense:port"), r.all());
    assertFalse(STACK_FRAME.matcher(r.all()).find(), r.all());
  }

  @Test
  void anUnreadableTokenFileIsAUsageError() throws Exception {
    Path missing = dir.resolve("no-such-token");
    InProcessCli.Result r = InProcessCli.run("run", experiment().toString(), "--api", "0",
        "--api-token-file", missing.toString());
    assertEquals(Main.EXIT_USAGE, r.status(), r.all());
    assertTrue(r.stderr().contains("--api-token-file " + missing), r.all());
    assertFalse(STACK_FRAME.matcher(r.all()).find(), r.all());
    assertFalse(Files.exists(dir.resolve("results")), "nothing ran");
  }

  private static HttpResponse<String> get(HttpClient http, URI uri, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
