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
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleetsim hub} with two stream netdevs, with {@code fleetsim.fabric.splice} on (the
 * default) and off: the same traffic prints the same lines and writes the same --stats.
 */
@Timeout(180)
class SpliceCliTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final int FRAMES = 1000;

  private record Run(String stdout, JsonNode stats, String threads) {}

  @Test
  void aSplicedHubPrintsAndReportsWhatTheFabricDoes(@TempDir Path dir) throws Exception {
    Run on = run(dir, "on");
    Run off = run(dir, "off");
    assertEquals(off.stdout(), on.stdout());
    assertEquals(off.stats(), on.stats());
    assertTrue(on.stdout().contains("hub ready: 2 ports"), on.stdout());
    JsonNode a = on.stats().get("ports").get(0);
    assertEquals(FRAMES + 1, a.get("framesIn").asLong());
    assertEquals(100L * FRAMES, a.get("bytesIn").asLong());
    assertEquals(2, a.get("framesOut").asLong());
    if (!on.threads().isEmpty()) { // when the JDK's jcmd can attach, check which path ran
      assertTrue(on.threads().contains("fleetsim-splice-a-b"), "spliced with splice = on");
      assertFalse(off.threads().contains("fleetsim-splice"), "not spliced with splice = off");
    }
  }

  private static Run run(Path dir, String splice) throws Exception {
    Path conf = dir.resolve("splice-" + splice + ".conf");
    Files.writeString(conf, "fleetsim.fabric.splice = " + splice + "\n");
    Path stats = dir.resolve("stats-" + splice + ".json");
    int pb = Ports.free();
    try (ServerSocket ta = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Fleetsim hub = Fleetsim.start("hub", "--config", conf.toString(),
             "--stats", stats.toString(),
             "-netdev", "socket,id=a,connect=127.0.0.1:" + ta.getLocalPort(),
             "-netdev", "socket,id=b,listen=127.0.0.1:" + pb)) {
      hub.awaitLine(l -> l.equals("hub ready: 2 ports"), START);
      String threads;
      try (FramedClient a = FramedClient.wrap(ta.accept());
           FramedClient b = FramedClient.connect("127.0.0.1", pb)) {
        // a's peer is there since Ready; b's frame reaches a only once b's peer is attached too
        byte[] hello = {1, 2, 3};
        b.send(hello);
        assertArrayEquals(hello, a.receive(20_000).orElseThrow());
        byte[] frame = new byte[100];
        for (int i = 0; i < FRAMES; i++) {
          frame[0] = (byte) i;
          a.send(frame);
        }
        a.send(new byte[0]);
        for (int i = 0; i < FRAMES; i++) {
          byte[] got = b.receive(20_000).orElseThrow();
          assertEquals(100, got.length);
          assertEquals((byte) i, got[0]);
        }
        assertEquals(0, b.receive(20_000).orElseThrow().length);
        b.send(new byte[0]);
        assertEquals(0, a.receive(20_000).orElseThrow().length);
        threads = threadDump(hub.process().pid());
        assertEquals(0, hub.terminate(START));
      }
      String stdout = hub.output().lines()
          .filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")) // log lines: stderr
          .map(l -> l.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT"))
          .collect(Collectors.joining("\n"));
      return new Run(stdout, new ObjectMapper().readTree(stats.toFile()), threads);
    }
  }

  /** The child's thread dump, or "" if jcmd is not there or cannot attach. */
  private static String threadDump(long pid) throws InterruptedException {
    try {
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print")
          .redirectErrorStream(true).start();
      byte[] out = jcmd.getInputStream().readAllBytes();
      if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
        return "";
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
