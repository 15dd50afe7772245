package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleetsim hub|switch} as a user runs it: a child process, real sockets, SIGTERM. */
@Timeout(120)
class HubCliTest {
  private static final Duration START = Duration.ofSeconds(60);

  /** Runs the CLI in this JVM for cases that end before anything starts. */
  private static Result runInProcess(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      int status = Main.run(args);
      return new Result(status, err.toString());
    } finally {
      System.setErr(saved);
    }
  }

  private record Result(int status, String stderr) {}

  @Test
  void aMissingIdIsRefusedInQemusWordsWithStatusOne() {
    Result r = runInProcess("hub", "-netdev", "socket,listen=127.0.0.1:1");
    assertEquals(1, r.status);
    assertTrue(r.stderr.contains("-netdev socket,listen=127.0.0.1:1: Parameter 'id' is missing"), r.stderr);
    assertFalse(r.stderr.contains("Exception"), r.stderr);
  }

  @Test
  void anUnsupportedNetdevTypeIsNamed() {
    Result r = runInProcess("switch", "-netdev", "tap,id=t0");
    assertEquals(1, r.status);
    assertTrue(r.stderr.contains("tap"), r.stderr);
  }

  @Test
  void aFilterDumpOnAnUnknownNetdevIsRefused() {
    Result r = runInProcess("hub", "-netdev", "socket,id=a,listen=127.0.0.1:1",
        "-object", "filter-dump,id=f,netdev=zz,file=x.pcap");
    assertEquals(1, r.status);
    assertTrue(r.stderr.contains("zz"), r.stderr);
  }

  @Test
  void aHubWithoutNetdevsAndAnUnknownOptionAreUsageErrors() {
    Result none = runInProcess("hub");
    assertEquals(1, none.status);
    assertTrue(none.stderr.contains("at least one -netdev"), none.stderr);
    Result unknown = runInProcess("hub", "--frobnicate");
    assertEquals(1, unknown.status);
    assertTrue(unknown.stderr.contains("--frobnicate"), unknown.stderr);
  }

  @Test
  void aRefusedConnectStopsStartUpWithStatusOne() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (Fleetsim hub = Fleetsim.start("hub", "-netdev", "socket,id=up,connect=127.0.0.1:" + closed)) {
      assertEquals(1, hub.awaitExit(START));
      assertTrue(hub.output().contains("can't connect"), hub.output());
      assertFalse(hub.output().contains("Exception"), hub.output());
    }
  }

  @Test
  void anUnwritableCaptureFileIsRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    int port = Ports.free();
    try (Fleetsim hub = Fleetsim.start("hub", "-netdev", "socket,id=a,listen=127.0.0.1:" + port,
        "-object", "filter-dump,id=f,netdev=a,file=" + dir.resolve("no/such/dir/a.pcap"))) {
      assertEquals(1, hub.awaitExit(START));
      assertTrue(hub.output().contains("filter-dump"), hub.output());
    }
  }

  @Test
  void framesCrossTheHubAndAreCountedCapturedAndReportedAtSigterm(@TempDir Path dir) throws Exception {
    int pa = Ports.free();
    int pb = Ports.free();
    int idle = Ports.free();
    Path pcap = dir.resolve("a.pcap");
    Path stats = dir.resolve("stats.json");
    try (Fleetsim hub = Fleetsim.start("hub", "--stats", stats.toString(),
        "-netdev", "socket,id=a,listen=127.0.0.1:" + pa,
        "-netdev", "socket,id=b,listen=127.0.0.1:" + pb,
        "-netdev", "socket,id=idle,listen=127.0.0.1:" + idle,
        "-object", "filter-dump,id=f,netdev=a,file=" + pcap)) {
      hub.awaitLine(l -> l.equals("netdev a: listening on 127.0.0.1:" + pa), START);
      hub.awaitLine(l -> l.startsWith("hub ready: 3 ports"), START);
      byte[] frame = new byte[100];
      for (int i = 0; i < 6; i++) {
        frame[i] = (byte) 0xFF;
      }
      frame[20] = 42;
      try (FramedClient a = FramedClient.connect("127.0.0.1", pa);
           FramedClient b = FramedClient.connect("127.0.0.1", pb)) {
        // b may not be attached yet when a's first frame arrives: retry until it gets through
        Optional<byte[]> got = Optional.empty();
        int sent = 0;
        while (got.isEmpty() && sent < 50) {
          a.send(frame);
          sent++;
          got = b.receive(200);
        }
        assertArrayEquals(frame, got.orElseThrow());
        b.send(new byte[0]); // zero-length frames pass, as in QEMU
        assertEquals(0, a.receive(10_000).orElseThrow().length);
        int total = sent;
        assertEquals(0, hub.terminate(START));
        String out = hub.output();
        assertTrue(out.matches("(?s).*\\ba\\s+" + total + "\\s+" + 100 * total + "\\s+1\\s+0\\s.*"), out);

        JsonNode json = new ObjectMapper().readTree(stats.toFile());
        assertEquals("hub", json.get("fabric").asText());
        JsonNode portA = json.get("ports").get(0);
        assertEquals("a", portA.get("port").asText());
        assertEquals(total, portA.get("framesIn").asLong());
        assertEquals(1, portA.get("framesOut").asLong());
        assertEquals(total + 1, json.get("ports").get(2).get("drops").get("no-peer").asLong());

        // the pcap holds a's frames both ways: total in, one (empty) out
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xA1B2C3D4, file.getInt(0));
        int records = 0;
        for (int pos = 24; pos < file.limit(); records++) {
          pos += 16 + file.getInt(pos + 8);
        }
        assertEquals(total + 1, records);
      }
    }
  }
}
