package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM during {@code fleetsim run}'s start-up, sent as soon as a start-up line
 * appears (as a script waiting for "listening on" would): the run ends cleanly, with results for
 * the time it ran, whatever start-up was doing when the signal came.
 */
@Timeout(300)
class RunStopTest {
  private static final Duration START = Duration.ofSeconds(120);
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(");

  @TempDir
  Path dir;

  /** {@code pingers} VMs each pinging a peer of {@code peers}, on one switch with a QEMU port. */
  private Path experiment(int pingers, int peers) throws Exception {
    Path file = dir.resolve("fleet.conf");
    Files.writeString(file, """
        name = fleet
        duration = 60s
        networks { dc { type = switch, ports = ["socket,id=ext,listen=127.0.0.1:%d"] } }
        vms {
          node { count = %d, network = dc, ip = "10.1.0.1/16", arp = static,
                 workloads = ["ping 10.1.100.1 interval=100ms"] }
          peer { count = %d, network = dc, ip = "10.1.100.1/16", arp = static }
        }
        faults = [ { at = 0s, for = 30s, kind = latency, target = peer, delay = 5ms } ]
        """.formatted(Ports.free(), pingers, peers));
    return file;
  }

  /** The one results folder a run wrote into {@code results}. */
  static Path onlyFolder(Path results) throws java.io.IOException {
    try (Stream<Path> s = Files.list(results)) {
      List<Path> folders = s.toList();
      assertEquals(1, folders.size(), folders.toString());
      return folders.get(0);
    }
  }

  /** Starts a run, signals it when {@code line} appears, and checks how it ended. */
  private void stopAt(Path file, int vms, String line, String signal) throws Exception {
    Path results = dir.resolve("results-" + signal + "-" + line.replaceAll("\\W", ""));
    String out;
    int status;
    try (Fleetsim run = Fleetsim.start("run", file.toString(), "--results", results.toString())) {
      run.awaitLine(l -> l.contains(line), START);
      run.signal(signal);
      status = run.awaitExit(START);
      out = run.output();
    }
    assertFalse(STACK_FRAME.matcher(out).find(), "no stack trace:\n" + out);
    assertFalse(out.contains("Exception"), "no exception:\n" + out);
    // 0 or 3 (a workload that never started fails the run); not 1: it ran, and is not 2: it balanced
    assertTrue(status == 0 || status == 3, "status " + status + ":\n" + out);
    Path folder = onlyFolder(results);
    assertTrue(out.contains("results: " + folder), out);
    assertTrue(Files.isRegularFile(folder.resolve("console.log")), "console.log for the time it ran");
    assertTrue(Files.isRegularFile(folder.resolve("report.html")), "a report for the time it ran");
    JsonNode r = new ObjectMapper().readTree(folder.resolve("results.json").toFile());
    assertEquals(vms, r.at("/experiment/vmCount").asInt());
    assertEquals(vms, r.get("vms").size(), "a row for every VM, booted or not");
    assertTrue(r.at("/experiment/ranSeconds").asDouble() < 60, r.at("/experiment").toString());
    assertTrue(r.at("/accounting/ok").asBoolean(), r.at("/accounting").toString());
  }

  @Test
  void aSmallFleetStopsCleanlyOnSigintAsItsPortListens() throws Exception {
    stopAt(experiment(2, 2), 4, "listening on", "INT");
  }

  @Test
  void aSmallFleetStopsCleanlyOnSigtermAsItsVmsRun() throws Exception {
    stopAt(experiment(2, 2), 4, "VMs running", "TERM");
  }

  @Test
  void hundredsOfVmsStopCleanlyOnSigtermWhileTheyAreWiredAndBooted() throws Exception {
    stopAt(experiment(150, 150), 300, "listening on", "TERM");
  }

  @Test
  void hundredsOfVmsStopCleanlyOnSigintAsTheyRun() throws Exception {
    stopAt(experiment(150, 150), 300, "VMs running", "INT");
  }
}
