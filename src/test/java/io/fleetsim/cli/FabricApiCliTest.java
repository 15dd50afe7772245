package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.InProcessCli;
import io.fleetsim.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleetsim switch --api}: the fault proxy as a user's test drives it, over HTTP. */
@Timeout(120)
class FabricApiCliTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anUnreadableTokenFileIsAUsageErrorNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-token");
    InProcessCli.Result r = InProcessCli.run("switch", "--api", "127.0.0.1:0",
        "--api-token-file", missing.toString(), "-netdev", "socket,id=n1,listen=127.0.0.1:1");
    assertEquals(1, r.status(), r.all());
    assertTrue(r.stderr().contains("--api-token-file " + missing + ": cannot read it"), r.all());
    assertFalse(r.all().contains("Exception"), r.all());
  }

  @Test
  void anEmptyTokenFileAndATokenFileWithoutApiAreUsageErrors(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("token"), "\n");
    InProcessCli.Result r = InProcessCli.run("hub", "--api", "0", "--api-token-file",
        empty.toString(), "-netdev", "socket,id=n1,listen=127.0.0.1:1");
    assertEquals(1, r.status(), r.all());
    assertTrue(r.stderr().contains("its first line is empty"), r.all());
    InProcessCli.Result without = InProcessCli.run("hub", "--api-token-file", empty.toString(),
        "-netdev", "socket,id=n1,listen=127.0.0.1:1");
    assertEquals(1, without.status(), without.all());
    assertTrue(without.stderr().contains("only with --api"), without.all());
  }

  @Test
  void aBadApiAddressIsAUsageError() {
    InProcessCli.Result r = InProcessCli.run("switch", "--api", "127.0.0.1:notaport",
        "-netdev", "socket,id=n1,listen=127.0.0.1:1");
    assertEquals(1, r.status(), r.all());
    assertTrue(r.stderr().contains("fleetsim: --api: 'notaport' is not a port"), r.all());
    assertFalse(r.all().contains("Exception"), r.all());
  }

  @Test
  void aFaultPostedToTheSwitchCutsAPortUntilItIsDeleted(@TempDir Path dir) throws Exception {
    int p1 = Ports.free();
    int p2 = Ports.free();
    Path stats = dir.resolve("stats.json");
    try (Fleetsim sw = Fleetsim.start("switch", "--api", "127.0.0.1:0", "--stats", stats.toString(),
        "-netdev", "socket,id=n1,listen=127.0.0.1:" + p1,
        "-netdev", "socket,id=n2,listen=127.0.0.1:" + p2)) {
      sw.awaitLine(l -> l.startsWith("switch ready: 2 ports"), START);
      String line = sw.awaitLine(l -> l.startsWith("api listening on "), START);
      URI api = URI.create(line.substring("api listening on ".length()).trim());
      assertFalse(sw.output().contains("warning: the API listens"), sw.output());

      JsonNode status = JSON.readTree(get(api, "status").body());
      assertEquals("switch", status.get("kind").asText());
      JsonNode net = status.get("networks").get(0);
      assertEquals("switch-0", net.get("name").asText());
      assertEquals("n1", net.get("ports").get(0).get("name").asText());

      try (FramedClient c1 = FramedClient.connect("127.0.0.1", p1);
           FramedClient c2 = FramedClient.connect("127.0.0.1", p2)) {
        byte[] frame = broadcast(1);
        Optional<byte[]> got = Optional.empty();
        for (int sent = 0; got.isEmpty() && sent < 100; sent++) {
          c1.send(frame);
          got = c2.receive(200);
        }
        assertArrayEquals(frame, got.orElseThrow());
        while (c2.receive(200).isPresent()) {
          // the retries' copies
        }

        HttpResponse<String> posted = send(HttpRequest.newBuilder(api.resolve("faults"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"kind\": \"loss\", \"target\": \"n1\", \"probability\": 1, \"direction\": \"out\"}")));
        assertEquals(201, posted.statusCode(), posted.body());
        assertEquals("a1", JSON.readTree(posted.body()).get("id").asText());

        HttpResponse<String> bad = send(HttpRequest.newBuilder(api.resolve("faults"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"kind\": \"crash\", \"target\": \"n1\"}")));
        assertEquals(400, bad.statusCode(), bad.body());

        for (int i = 0; i < 10; i++) {
          c1.send(broadcast(2));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (!get(api, "metrics").body().lines().anyMatch(l ->
            l.startsWith("fleetsim_port_drops_total") && l.contains("port=\"n1\"")
                && l.contains("cause=\"fault-loss\"")
                && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) == 10)) {
          assertTrue(System.currentTimeMillis() < deadline, get(api, "metrics").body());
          Thread.sleep(50);
        }
        assertEquals(Optional.empty(), c2.receive(200));

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(api.resolve("faults/a1")).DELETE());
        assertEquals(200, deleted.statusCode(), deleted.body());
        c1.send(broadcast(3));
        assertArrayEquals(broadcast(3), c2.receive(10_000).orElseThrow());
      }
      assertEquals(0, sw.terminate(START), sw.output());
    }
    JsonNode json = JSON.readTree(stats.toFile());
    JsonNode fault = json.get("faults").get(0);
    assertEquals("a1", fault.get("id").asText());
    assertEquals("api", fault.get("periods").get(0).get("endedBy").asText());
  }

  @Test
  void aTokenFromItsFileGuardsTheApiAndAnotherAddressIsWarnedOf(@TempDir Path dir)
      throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "s3cret\nsecond line\n");
    try (Fleetsim sw = Fleetsim.start("hub", "--api", "0.0.0.0:0", "--api-token-file",
        token.toString(), "-netdev", "socket,id=n1,listen=127.0.0.1:" + Ports.free())) {
      String line = sw.awaitLine(l -> l.startsWith("api listening on "), START);
      sw.awaitLine(l -> l.equals("warning: the API listens on 0.0.0.0, which is not a loopback "
          + "address"), START);
      int port = URI.create(line.substring("api listening on ".length()).trim()).getPort();
      URI api = URI.create("http://127.0.0.1:" + port + "/");
      assertEquals(401, get(api, "status").statusCode());
      HttpResponse<String> ok = send(HttpRequest.newBuilder(api.resolve("status"))
          .header("Authorization", "Bearer s3cret").GET());
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals("hub-0", JSON.readTree(ok.body()).get("networks").get(0).get("name").asText());
      assertEquals(0, sw.terminate(START), sw.output());
    }
  }

  private HttpResponse<String> get(URI api, String path) throws Exception {
    return send(HttpRequest.newBuilder(api.resolve(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] broadcast(int n) {
    byte[] f = new byte[60];
    for (int i = 0; i < 6; i++) {
      f[i] = (byte) 0xFF;
    }
    f[6] = 2;
    f[11] = 1;
    f[14] = (byte) n;
    return f;
  }
}
