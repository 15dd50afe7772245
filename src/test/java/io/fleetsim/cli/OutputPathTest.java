package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.Ports;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where fleetsim writes (a results folder, --stats files) is checked before anything starts:
 * one line naming the option, the path and the reason, status 1, nothing left behind; and a
 * --stats file that cannot be written at the end makes the exit status 1.
 */
@Timeout(300)
class OutputPathTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(");

  @TempDir
  Path dir;

  private Path experiment(String extra) throws IOException {
    Path file = dir.resolve("tiny.conf");
    Files.writeString(file, """
        name = tiny
        duration = 1s
        networks { lan { type = switch } }
        vms { a { network = lan, ip = "10.0.0.1/24" } }
        """ + extra);
    return file;
  }

  /** Runs to the end; asserts status 1 and exactly one line of output, which it returns. */
  private static String refused(Fleetsim fleetsim) throws InterruptedException {
    assertEquals(1, fleetsim.awaitExit(START), fleetsim.output());
    String out = fleetsim.output().trim();
    assertFalse(STACK_FRAME.matcher(out).find(), "no stack trace:\n" + out);
    assertEquals(1, out.lines().count(), "one line:\n" + out);
    assertTrue(out.startsWith("fleetsim: "), out);
    return out;
  }

  private static String refused(String... args) throws Exception {
    try (Fleetsim fleetsim = Fleetsim.start(args)) {
      return refused(fleetsim);
    }
  }

  @Test
  void resultsUnderProcAreRefusedBeforeAnythingStarts() throws Exception {
    String out = refused("run", experiment("").toString(), "--results", "/proc/fleetsim-results");
    assertTrue(out.contains("--results /proc/fleetsim-results: cannot create a folder in /proc"), out);
    assertFalse(Files.exists(Path.of("/proc/fleetsim-results")));
  }

  @Test
  void resultsThroughAFileAreRefusedNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    String out = refused("run", experiment("").toString(), "--results", file.resolve("results").toString());
    assertEquals("fleetsim: --results " + file.resolve("results") + ": " + file + " is a file, not a folder", out);
  }

  @Test
  void aReportDirectoryThroughAFileIsRefusedWithItsLine() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    Path conf = experiment("report { directory = \"" + file.resolve("results") + "\" }\n");
    String out = refused("run", conf.toString());
    assertTrue(out.startsWith("fleetsim: tiny.conf:5: report.directory " + file.resolve("results")
        + ": " + file + " is a file"), out);
  }

  @Test
  void resultsOnAReadOnlyFileSystemAreRefused() throws Exception {
    Path mount = Files.createDirectory(dir.resolve("ro"));
    // fleetsim in a mount namespace of its own, where the folder is a read-only file system
    List<String> readOnly = List.of("unshare", "-rm", "sh", "-c",
        "mount -t tmpfs -o ro fleetsim-ro \"$0\" && exec \"$@\"", mount.toString());
    Process probe = new ProcessBuilder(List.of("unshare", "-rm", "true")).start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "no mount namespaces here (unshare -rm)");
    try (Fleetsim fleetsim = Fleetsim.startIn(readOnly,
        "run", experiment("").toString(), "--results", mount.resolve("results").toString())) {
      String out = refused(fleetsim);
      assertEquals("fleetsim: --results " + mount.resolve("results") + ": cannot create a folder in "
          + mount + " (read-only file system)", out);
    }
  }

  @Test
  void aFailedStartLeavesNoResultsFolder() throws Exception {
    Path results = dir.resolve("new").resolve("results");
    try (ServerSocket taken = new ServerSocket(0)) {
      Path conf = dir.resolve("clash.conf");
      Files.writeString(conf, """
          name = clash
          duration = 1s
          networks { lan { type = switch, ports = ["socket,id=p,listen=127.0.0.1:%d"] } }
          vms { a { network = lan, ip = "10.0.0.1/24" } }
          """.formatted(taken.getLocalPort()));
      try (Fleetsim run = Fleetsim.start("run", conf.toString(), "--results", results.toString())) {
        assertEquals(1, run.awaitExit(START), run.output());
        assertTrue(run.output().contains("-netdev socket,id=p"), run.output());
        assertFalse(STACK_FRAME.matcher(run.output()).find(), run.output());
      }
    }
    assertFalse(Files.exists(dir.resolve("new")), "neither the run's folder nor the parents made for it");
  }

  @Test
  void statsFilesAreCheckedBeforeAHubSwitchOrVmStarts() throws Exception {
    String netdev = "socket,id=a,listen=127.0.0.1:" + Ports.free();
    String folder = refused("hub", "--stats", dir.toString(), "-netdev", netdev);
    assertEquals("fleetsim: --stats " + dir + ": " + dir + " is a folder", folder);
    Path missing = dir.resolve("no").resolve("stats.json");
    String noParent = refused("switch", "--stats", missing.toString(), "-netdev", netdev);
    assertEquals("fleetsim: --stats " + missing + ": no folder " + missing.getParent(), noParent);
    String proc = refused("vm", "--stats", "/proc/fleetsim-stats.json", "-netdev", netdev,
        "-device", "e1000,netdev=a");
    assertTrue(proc.startsWith("fleetsim: --stats /proc/fleetsim-stats.json: cannot write"), proc);
  }

  @Test
  void aHubWhoseStatsCannotBeWrittenAtTheEndExitsOne() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("stats"));
    Path stats = folder.resolve("hub.json");
    try (Fleetsim hub = Fleetsim.start("hub", "--stats", stats.toString(),
        "-netdev", "socket,id=a,listen=127.0.0.1:" + Ports.free())) {
      hub.awaitLine(l -> l.startsWith("hub ready"), START);
      Files.delete(folder);
      assertEquals(1, hub.terminate(START), hub.output());
      assertTrue(hub.output().contains("fleetsim: --stats " + stats + ": cannot write it (no such file"),
          hub.output());
      assertFalse(STACK_FRAME.matcher(hub.output()).find(), hub.output());
    }
  }

  @Test
  void aVmWhoseStatsCannotBeWrittenAtTheEndExitsOne() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("stats"));
    Path stats = folder.resolve("vm.json");
    try (Fleetsim vm = Fleetsim.start("vm", "--stats", stats.toString(),
        "-netdev", "socket,id=a,listen=127.0.0.1:" + Ports.free(), "-device", "e1000,netdev=a",
        "--ip", "10.0.0.1/24")) {
      vm.awaitLine(l -> l.contains("listening on"), START);
      Files.delete(folder);
      assertEquals(1, vm.terminate(START), vm.output());
      assertTrue(vm.output().contains("fleetsim: --stats " + stats + ": cannot write it (no such file"),
          vm.output());
      assertFalse(STACK_FRAME.matcher(vm.output()).find(), vm.output());
    }
  }
}
