package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.cli.Settings;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentLoader;
import io.fleetsim.time.RealClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A stop that comes before start-up is over still ends in a results folder (SIGINT at once). */
@Timeout(120)
class EarlyStopTest {
  @Test
  void aStopBeforeTheRunStartsWritesResultsForNoTimeWithNoVmBooted(@TempDir Path dir) throws Exception {
    Experiment parsed = ExperimentLoader.parse("""
        name = early
        duration = 30s
        networks { lan { type = switch } }
        vms { a { count = 2, network = lan, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.2 count=5"] } }
        faults = [ { at = 0s, for = 10s, kind = loss, target = a-1, probability = 0.5 } ]
        """, "early.conf");
    Experiment e = parsed.withReportDirectory(dir.toString());
    Settings s = Settings.load(Optional.empty());
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    ExperimentRun run = new ExperimentRun(e, Optional.empty(),
        new ExperimentRun.Machine(s.config(), s.netdev(), s.fabric(), s.vm()), RealClock.system(),
            new ExperimentRun.Progress() {
          @Override
          public void say(String line) {
            said.add(line);
          }

          @Override
          public void tick(ExperimentRun.Tick tick) {
            said.add("tick " + tick.elapsed().toSeconds());
          }
        });
    run.stop();
    ExperimentRun.Outcome outcome = run.run();

    assertTrue(said.contains("stopped before the VMs booted"), said.toString());
    assertTrue(outcome.accountingOk(), outcome.accountingErrors().toString());
    JsonNode r = Results.read(outcome.folder().resolve("results.json"));
    assertTrue(said.contains("stopped early at 0 s"), said.toString());
    assertTrue(r.at("/experiment/ranSeconds").asDouble() < 30, r.at("/experiment").toString());
    assertEquals(2, r.get("vms").size());
    for (JsonNode vm : r.get("vms")) {
      assertFalse(vm.path("booted").asBoolean(true), vm.toString());
    }
    assertTrue(Files.isRegularFile(outcome.folder().resolve("console.log")));
    assertTrue(Files.isRegularFile(outcome.folder().resolve("report.html")));
  }
}
