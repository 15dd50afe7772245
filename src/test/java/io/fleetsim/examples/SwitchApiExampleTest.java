package io.fleetsim.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.FramedClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's example of a test that drives a fleetsim switch through its API: start
 * {@code fleetsim switch --api}, send a frame across, cut port a's link, and read what happened
 * from {@code /metrics}. The two framed sockets stand for QEMU VMs ({@code -netdev
 * socket,connect=...}); the README's copy starts {@code bin/fleetsim} instead of this JVM's
 * classpath.
 */
@Timeout(120)
class SwitchApiExampleTest {
  private static final Duration START = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aCutLinkShowsInTheMetrics() throws Exception {
    try (Fleetsim sw = Fleetsim.start("switch", "--api", "127.0.0.1:0",
        "-netdev", "socket,id=a,listen=127.0.0.1:0", "-netdev", "socket,id=b,listen=127.0.0.1:0")) {
      int portA = port(sw.awaitLine(l -> l.startsWith("netdev a: listening on "), START));
      int portB = port(sw.awaitLine(l -> l.startsWith("netdev b: listening on "), START));
      URI api = URI.create(sw.awaitLine(l -> l.startsWith("api listening on "), START)
          .substring("api listening on ".length()).trim());
      try (FramedClient a = FramedClient.connect("127.0.0.1", portA);
           FramedClient b = FramedClient.connect("127.0.0.1", portB)) {
        // the switch has both peers once /status says so
        awaitStatus(api, s -> !s.contains("\"peerUp\":false"));
        a.send(broadcast(1));
        assertTrue(b.receive(10_000).isPresent(), "the first frame crosses the switch");

        HttpResponse<String> cut = http.send(HttpRequest.newBuilder(api.resolve("faults"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"kind\": \"link-down\", \"target\": \"a\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, cut.statusCode(), cut.body());

        a.send(broadcast(2));
        // the switch drops it at port a as link-down, and b never sees it
        await(api, "fleetsim_port_drops_total{cause=\"link-down\",network=\"switch-0\",port=\"a\"", 1);
        assertEquals(1, metric(api, "fleetsim_port_frames_total{direction=\"out\",network=\"switch-0\",port=\"b\""));
        assertTrue(b.receive(500).isEmpty(), "nothing crosses a cut link");
      }
    }
  }

  /** The sum of the /metrics samples whose line starts with {@code series}. */
  private double metric(URI api, String series) throws Exception {
    String text = http.send(HttpRequest.newBuilder(api.resolve("metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(l -> l.startsWith(series))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private void awaitStatus(URI api, java.util.function.Predicate<String> ok) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String status;
    do {
      status = http.send(HttpRequest.newBuilder(api.resolve("status")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (ok.test(status)) {
        return;
      }
      Thread.sleep(20); // a poll interval, not a guess at how long it takes
    } while (System.nanoTime() < deadline);
    throw new AssertionError("/status never changed as expected: " + status);
  }

  /** Polls /metrics until {@code series} is at least {@code atLeast} (and listed at all). */
  private void await(URI api, String series, double atLeast) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String text = http.send(HttpRequest.newBuilder(api.resolve("metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (text.lines().anyMatch(l -> l.startsWith(series)) && metric(api, series) >= atLeast) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(series + " never reached " + atLeast + "; /metrics:\n" + text);
      }
      Thread.sleep(20); // a poll interval, not a guess at how long it takes
    }
  }

  private static int port(String listening) {
    return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1).trim());
  }

  /** A 60-byte broadcast frame, numbered. */
  private static byte[] broadcast(int n) {
    byte[] f = new byte[60];
    Arrays.fill(f, 0, 6, (byte) 0xff);
    f[6] = 0x52; f[7] = 0x54; f[11] = 1;
    f[12] = (byte) 0x88; f[13] = (byte) 0xb5; // local experimental EtherType
    f[14] = (byte) n;
    return f;
  }
}
