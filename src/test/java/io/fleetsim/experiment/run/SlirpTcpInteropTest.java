package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.guest.workload.StreamPattern;
import io.fleetsim.testing.LoopbackHttpServer;
import io.fleetsim.testing.LoopbackSink;
import io.fleetsim.testing.Ports;
import io.fleetsim.testing.Qemu;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guest's TCP against a TCP stack it did not write: QEMU's slirp (a guest-less QEMU on one
 * of the network's socket ports, DHCP from slirp). {@code hostfwd} carries connections from this
 * test into a simulated VM, {@code guestfwd} carries the VM's connections out to servers this
 * test runs on loopback; each case once clean and once with 5% loss on the VM's link both ways,
 * which each stack must recover from as the sender. Real time (a QEMU port forces it); the test JVM runs in a private
 * network namespace, and everything stays on 127.0.0.1.
 */
@Timeout(300)
class SlirpTcpInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern SHA = Pattern.compile("sha256=([0-9a-f]{64})");

  @TempDir
  Path dir;

  /** "loss": 5% of the VM's frames lost each way, from the start (DHCP may need a retry). */
  private static String faults(String fault) {
    return fault.equals("loss") ? "faults = [ { at = 0s, kind = loss, target = vm, probability = 0.05 } ]" : "";
  }

  /**
   * The host fetches http-serve's body through hostfwd (HTTP/1.1 with Java's client, then
   * HTTP/1.0 read to the close over a raw socket) and streams bytes into tcp-sink; each side's
   * SHA-256 matches the other's.
   */
  @ParameterizedTest(name = "hostfwd {0}")
  @ValueSource(strings = {"clean", "loss"})
  void hostConnectsInThroughHostfwd(String fault) throws Exception {
    int port = Ports.free();
    int httpPort = Ports.free();
    int sinkPort = Ports.free();
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<ExperimentRun> handle = new AtomicReference<>();
    int size = 300_000;
    CompletableFuture<RunHarness.Ran> run = RunHarness.start("""
        name = slirp-hostfwd
        duration = 300s
        networks { lan { type = switch, ports = ["socket,id=slirp,listen=127.0.0.1:%d"] } }
        vms { vm { network = lan, dhcp = true, workloads = ["http-serve 80 size=%dB", "tcp-sink 5001"] } }
        %s
        """.formatted(port, size, faults(fault)), dir, said, handle::set);
    RunHarness.awaitSaid(run, said, "netdev slirp (lan): listening", WAIT);
    // what a tcp-stream would send, so tcp-sink checks every byte against its pattern too
    byte[] upload = new byte[400_000];
    StreamPattern.fill(0, upload, 0, upload.length);
    Fetched http11;
    Fetched http10;
    try (Qemu qemu = Qemu.withSlirp(List.of("hostfwd=tcp:127.0.0.1:" + httpPort + "-10.0.2.15:80",
        "hostfwd=tcp:127.0.0.1:" + sinkPort + "-10.0.2.15:5001"), "socket,id=n0,connect=127.0.0.1:" + port)) {
      // slirp accepts at once and then connects to the guest: until the VM has its lease and
      // http-serve listens, a fetch fails or comes back empty, so try again
      http11 = untilFetched(() -> fetchHttp11(httpPort), qemu);
      http10 = untilFetched(() -> fetchHttp10(httpPort), qemu);
      streamInto(sinkPort, upload);
      handle.get().stop();
      RunHarness.Ran ran = run.get(60, TimeUnit.SECONDS);

      JsonNode serve = ran.workload("vm", 0).path("result");
      String served = serve.path("sha256").asText();
      assertEquals(served, shaPrinted(ran, "vm", "http-serve 80: body"), "printed as it started");
      assertEquals(size, serve.path("bodyBytes").asLong(), serve.toString());
      assertEquals(2, serve.path("requests").asLong(), serve.toString());
      for (Fetched f : List.of(http11, http10)) {
        assertEquals(200, f.status(), f.toString());
        assertEquals(size, f.body().length, f.toString());
        assertEquals(size, f.contentLength(), f.toString());
        assertEquals(served, sha256(f.body()), "the body the host got is the one http-serve served");
      }
      JsonNode sink = ran.workload("vm", 1).path("result");
      assertEquals(1, sink.path("connections").size(), sink.toString());
      JsonNode took = sink.path("connections").get(0);
      assertEquals(upload.length, took.path("bytes").asLong(), took.toString());
      assertEquals(sha256(upload), took.path("sha256").asText(), took.toString());
      assertTrue(took.path("intact").asBoolean(), "tcp-stream's pattern, byte for byte: " + took);
      assertTrue(took.path("complete").asBoolean(), "slirp passed our FIN on: " + took);
      assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
      if (fault.equals("loss")) {
        assertTrue(ran.results().at("/totals/framesDropped").asLong() > 0, "the loss fault dropped frames");
      }
    }
  }

  /**
   * The VM fetches from and streams to servers on the host through guestfwd; the body's SHA-256
   * http-get prints is the host's, and the host sink gets tcp-stream's bytes.
   */
  @ParameterizedTest(name = "guestfwd {0}")
  @ValueSource(strings = {"clean", "loss"})
  void guestConnectsOutThroughGuestfwd(String fault) throws Exception {
    int port = Ports.free();
    byte[] body = new byte[200_000];
    new Random(12).nextBytes(body);
    long streamed = 1_000_000;
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    // the tcp: chardev connects once, when QEMU starts: both servers listen before that
    try (LoopbackHttpServer http = new LoopbackHttpServer(body);
         LoopbackSink sink = new LoopbackSink(streamed)) {
      CompletableFuture<RunHarness.Ran> run = RunHarness.start("""
          name = slirp-guestfwd
          duration = %s
          networks { lan { type = switch, ports = ["socket,id=slirp,listen=127.0.0.1:%d"] } }
          vms { vm { network = lan, dhcp = true, workloads = [
            "http-get http://10.0.2.100:8080/ count=2",
            "tcp-stream 10.0.2.100:9000 bytes=%dB"] } }
          %s
          """.formatted(fault.equals("loss") ? "50s" : "20s", port, streamed, faults(fault)), dir, said);
      RunHarness.awaitSaid(run, said, "netdev slirp (lan): listening", WAIT);
      try (Qemu qemu = Qemu.withSlirp(List.of(
          "guestfwd=tcp:10.0.2.100:8080-tcp:127.0.0.1:" + http.port(),
          "guestfwd=tcp:10.0.2.100:9000-tcp:127.0.0.1:" + sink.port()), "socket,id=n0,connect=127.0.0.1:" + port)) {
        RunHarness.Ran ran = run.get(120, TimeUnit.SECONDS);
        // both requests on one connection: slirp's chardev rule carries one at a time
        assertEquals(List.of("GET / HTTP/1.1", "GET / HTTP/1.1"), http.requests());
        JsonNode get = ran.workload("vm", 0);
        assertTrue(get.path("success").asBoolean(), get.toString());
        assertEquals(1, get.at("/result/connections").asInt(), get.toString());
        assertEquals(2, get.at("/result/requests").size(), get.toString());
        for (JsonNode request : get.at("/result/requests")) {
          assertEquals(200, request.path("status").asInt(), request.toString());
          assertEquals(body.length, request.path("bytes").asLong(), request.toString());
          assertEquals(sha256(body), request.path("sha256").asText(), "http-get got the host's body");
        }
        assertEquals(sha256(body), shaPrinted(ran, "vm", "GET http://10.0.2.100:8080/"), "and printed its SHA-256");
        LoopbackSink.Received got = sink.received().get(10, TimeUnit.SECONDS);
        JsonNode stream = ran.workload("vm", 1).path("result");
        assertEquals(streamed, got.bytes(), "the host sink got every byte: " + stream);
        assertEquals(streamed, stream.path("bytesAcked").asLong(), stream.toString());
        assertEquals(stream.path("sha256").asText(), got.sha256(), stream.toString());
        assertTrue(stream.path("error").isNull(), stream.toString());
        assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
        if (fault.equals("loss")) {
          assertTrue(ran.results().at("/totals/framesDropped").asLong() > 0, "the loss fault dropped frames");
        }
      }
    }
  }

  /** What one HTTP fetch returned. */
  private record Fetched(int status, long contentLength, byte[] body) {
    @Override
    public String toString() {
      return "status " + status + ", Content-Length " + contentLength + ", " + body.length + " bytes";
    }
  }

  private interface Fetch {
    Fetched fetch() throws IOException, InterruptedException;
  }

  private static Fetched untilFetched(Fetch fetch, Qemu qemu) throws Exception {
    long deadline = System.nanoTime() + WAIT.multipliedBy(2).toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      assertTrue(qemu.process().isAlive(), "qemu exited:\n" + qemu.output());
      try {
        Fetched f = fetch.fetch();
        if (f.status() > 0) {
          return f;
        }
      } catch (IOException notYet) {
        last = notYet;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no HTTP response through hostfwd within " + WAIT.multipliedBy(2) + ": " + last
        + "\n" + qemu.output());
  }

  private static Fetched fetchHttp11(int port) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Fetched(r.statusCode(), r.headers().firstValueAsLong("Content-Length").orElse(-1), r.body());
  }

  /** HTTP/1.0 by hand: the response ends with the connection, so slirp must pass the FIN on. */
  private static Fetched fetchHttp10(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(60_000);
      s.getOutputStream().write("GET / HTTP/1.0\r\nHost: 10.0.2.15\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] all = s.getInputStream().readAllBytes();
      int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      if (end < 0) {
        return new Fetched(0, -1, all); // nothing yet: slirp took the connection, the guest did not
      }
      String head = new String(all, 0, end, StandardCharsets.US_ASCII);
      Matcher status = Pattern.compile("^HTTP/1\\.[01] (\\d{3}) ").matcher(head);
      assertTrue(status.find(), head);
      Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(head);
      byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
      return new Fetched(Integer.parseInt(status.group(1)), length.find() ? Long.parseLong(length.group(1)) : -1, body);
    }
  }

  /**
   * One connection: the HTTP fetches before showed the VM's workloads listen, so no retry (a
   * second connection would be a second stream). Slirp is the sender here, and under loss its
   * coarse retransmission timer makes this slow (about 30 s for 1 MB at 5%, measured).
   */
  private static void streamInto(int port, byte[] data) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      OutputStream out = s.getOutputStream();
      out.write(data);
      s.shutdownOutput();
      s.setSoTimeout((int) WAIT.multipliedBy(2).toMillis());
      InputStream in = s.getInputStream();
      in.readAllBytes(); // until tcp-sink closes its side too: everything was taken
    }
  }

  /** The SHA-256 a workload printed on the VM's console (the first line naming it). */
  private static String shaPrinted(RunHarness.Ran ran, String vm, String workload) {
    for (String line : ran.consoleOf(vm)) {
      Matcher m = SHA.matcher(line);
      if (line.contains(workload) && m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("no sha256= line of " + workload + " on " + vm + ": " + ran.consoleOf(vm));
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static int indexOf(byte[] data, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= data.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (data[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
