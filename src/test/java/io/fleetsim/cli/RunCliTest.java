package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.report.ReportBrowserTest;
import io.fleetsim.testing.Chromium;
import io.fleetsim.testing.Fleetsim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleetsim run} as a user runs it: README's main command, and a file it must refuse. */
class RunCliTest {
  @TempDir
  Path dir;

  @Test
  void quickstartRunsAndItsReportOpensCleanlyInChromium() throws Exception {
    Path results = dir.resolve("results");
    try (Fleetsim run = Fleetsim.start("run", "examples/quickstart.conf", "--results", results.toString())) {
      run.awaitLine(l -> l.startsWith("netdev ext1 (lan): listening on 127.0.0.1:20001"), Duration.ofSeconds(60));
      run.awaitLine(l -> l.contains("fault on: latency on web-2: latency 50ms"), Duration.ofSeconds(60));
      run.awaitLine(l -> l.contains("fault off: latency on web-2"), Duration.ofSeconds(60));
      assertEquals(0, run.awaitExit(Duration.ofSeconds(90)), run.output());
      assertTrue(run.output().contains("progress  30/30s"), "plain progress lines when not on a terminal:\n" + run.output());
      Path folder;
      try (Stream<Path> s = Files.list(results)) {
        List<Path> folders = s.toList();
        assertEquals(1, folders.size(), folders.toString());
        folder = folders.get(0);
      }
      assertTrue(run.output().contains("results: " + folder), run.output());
      JsonNode r = new ObjectMapper().readTree(folder.resolve("results.json").toFile());
      assertTrue(r.at("/accounting/ok").asBoolean());
      for (JsonNode w : r.get("workloads")) {
        assertEquals(20, w.get("received").asLong(), w.toString());
      }
      Chromium.require();
      ReportBrowserTest.assertChartsDrawn(folder.resolve("report.html"), 3);
      ReportBrowserTest.assertScreenshotShowsCharts(folder.resolve("report.html"), dir.resolve("shot.png"));
    }
  }

  @Test
  void anInvalidFileIsRefusedWithEveryErrorBeforeAnythingStarts() throws Exception {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, """
        name = bad
        duration = 10 parsecs
        networks { lan { type = switch, ports = ["socket,id=p,listen=127.0.0.1:20001"] } }
        vms {
          web { count = 300, network = lan, ip = "10.0.0.0/24", colour = blue }
          db { network = wan, ip = "10.0.1.1/24" }
        }
        """);
    Path results = dir.resolve("results");
    try (Fleetsim run = Fleetsim.start("run", file.toString(), "--results", results.toString())) {
      assertEquals(1, run.awaitExit(Duration.ofSeconds(60)));
      String out = run.output();
      assertTrue(out.contains("bad.conf:2: duration"), out);
      assertTrue(out.contains("vms.web.colour"), out);
      assertTrue(out.contains("vms.web.ip") && out.contains("the fleet needs 300"), out);
      assertTrue(out.contains("vms.db.network") && out.contains("unknown network 'wan'"), out);
      assertTrue(out.contains("not run (4 errors)"), out);
      assertTrue(!out.contains("Exception"), "no stack trace:\n" + out);
      assertTrue(Files.notExists(results), "nothing was started or written");
    }
  }

  @Test
  void aFileWithoutQemuPortsRunsInVirtualTimeAndTheSpeedIsShown() throws Exception {
    Path file = dir.resolve("pair.conf");
    Files.writeString(file, """
        name = pair
        duration = 20s
        networks { lan { type = switch } }
        vms { a { count = 2, network = lan, ip = "10.0.0.1/24", workloads = ["ping {next} count=15"] } }
        report { html = false, progress-interval = 10s }
        """);
    try (Fleetsim run = Fleetsim.start("run", file.toString(), "--results", dir.resolve("r").toString())) {
      assertEquals(0, run.awaitExit(Duration.ofSeconds(120)), run.output());
      String out = run.output();
      assertTrue(out.contains("pair, 2 VMs, 20s virtual time, seed 1"), out);
      assertTrue(out.lines().anyMatch(l -> l.matches("progress  20\\.0/20s sim +[0-9.]+x real time .*")), out);
    }
    try (Fleetsim run = Fleetsim.start("run", file.toString(), "--clock", "real", "--results",
        dir.resolve("r").toString())) {
      assertEquals(0, run.awaitExit(Duration.ofSeconds(120)), run.output());
      assertTrue(run.output().contains("pair, 2 VMs, 20s real time, seed 1"), run.output());
      assertTrue(run.output().contains("progress  20/20s "), run.output());
    }
  }

  @Test
  void virtualTimeWithQemuPortsIsRefusedNamingThem() throws Exception {
    Path results = dir.resolve("results");
    try (Fleetsim run = Fleetsim.start("run", "examples/quickstart.conf", "--clock", "virtual",
        "--results", results.toString())) {
      assertEquals(1, run.awaitExit(Duration.ofSeconds(60)));
      assertTrue(run.output().contains("fleetsim: --clock virtual: virtual time needs the whole "
          + "experiment inside fleetsim, but networks.lan.ports ext1 (socket,id=ext1,listen=127.0.0.1:20001)"
          + " reaches outside it"), run.output());
      assertTrue(Files.notExists(results), "nothing was started or written");
    }
    try (Fleetsim run = Fleetsim.start("run", "examples/quickstart.conf", "--clock", "sundial")) {
      assertEquals(1, run.awaitExit(Duration.ofSeconds(60)));
      assertTrue(run.output().contains("expected virtual or real, not 'sundial'"), run.output());
      assertTrue(!run.output().contains("Exception"), run.output());
    }
  }
}
