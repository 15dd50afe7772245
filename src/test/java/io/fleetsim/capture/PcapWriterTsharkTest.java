package io.fleetsim.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.link.FrameTap.Direction;
import io.fleetsim.time.RealClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real consumer of our files: tshark must read them and see every frame. Without tshark the
 * test fails under CI=true (it must run there) and is skipped elsewhere with a message.
 */
class PcapWriterTsharkTest {
  private static final Path TSHARK = Path.of("/usr/bin/tshark");

  @TempDir Path dir;

  @Test
  void tsharkReadsEveryFrameWithItsLength() throws Exception {
    requireTshark();
    Path file = dir.resolve("t.pcap");
    List<Integer> lengths = List.of(60, 64, 1514, 9000, 70, 42);
    try (PcapWriter w = PcapWriter.open("f1", file, 1514, RealClock.system())) {
      Direction direction = Direction.FROM_WIRE;
      for (int length : lengths) {
        w.frame(direction, ByteString.fromArray(PcapWriterTest.frame(length, (byte) length)));
        direction = direction == Direction.FROM_WIRE ? Direction.TO_WIRE : Direction.FROM_WIRE;
      }
    }
    List<String> out = tshark(file, "-T", "fields", "-e", "frame.len", "-e", "frame.cap_len");
    List<String> expected = new ArrayList<>();
    for (int length : lengths) {
      expected.add(length + "\t" + Math.min(length, 1514));
    }
    assertEquals(expected, out);
  }

  @Test
  void tsharkReadsAnEmptyCapture() throws Exception {
    requireTshark();
    Path file = dir.resolve("none.pcap");
    PcapWriter.open("f1", file, 65536, RealClock.system()).close();
    assertEquals(List.of(), tshark(file, "-T", "fields", "-e", "frame.len"));
  }

  private static void requireTshark() {
    boolean present = Files.isExecutable(TSHARK);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(TSHARK + " is missing, and CI=true requires this test to run");
    }
    Assumptions.assumeTrue(present, TSHARK + " not installed: skipping the tshark check");
  }

  private List<String> tshark(Path file, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(TSHARK.toString(), "-r", file.toString()));
    command.addAll(List.of(args));
    Path stderr = dir.resolve("tshark.err");
    Process p = new ProcessBuilder(command)
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    byte[] stdout = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
    String err = Files.readString(stderr);
    assertEquals(0, p.exitValue(), "tshark failed: " + err);
    String text = new String(stdout, StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
