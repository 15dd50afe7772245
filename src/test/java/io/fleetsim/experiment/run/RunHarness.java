package io.fleetsim.experiment.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.cli.Settings;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Runs an experiment given as HOCON text in this JVM and reads back what it wrote. */
final class RunHarness {
  private RunHarness() {}

  /** What one run produced: its outcome, results.json, console.log and the progress lines. */
  record Ran(ExperimentRun.Outcome outcome, JsonNode results, String console, List<String> said) {
    JsonNode workload(String vm, int index) {
      int i = 0;
      for (JsonNode w : results.get("workloads")) {
        if (w.get("vm").asText().equals(vm) && i++ == index) {
          return w;
        }
      }
      throw new AssertionError("no workload " + index + " of " + vm + " in " + results.get("workloads"));
    }

    JsonNode link(String name) {
      for (JsonNode l : results.get("links")) {
        if (l.get("name").asText().equals(name)) {
          return l;
        }
      }
      throw new AssertionError("no link " + name);
    }

    /** Console lines of one VM, without the time and name prefix. */
    List<String> consoleOf(String vm) {
      List<String> out = new ArrayList<>();
      for (String line : console.split("\n")) {
        int at = line.indexOf(" " + vm + ": ");
        if (at >= 0 && line.substring(0, at).trim().matches("[0-9.]+")) {
          out.add(line.substring(at + vm.length() + 3));
        }
      }
      return out;
    }
  }

  static Ran run(String hocon, Path results) throws Exception {
    Experiment parsed = ExperimentLoader.parse(hocon, "test.conf");
    Experiment e = new Experiment(parsed.name(), parsed.seed(), parsed.duration(), parsed.networks(),
        parsed.fleets(), parsed.faults(), parsed.capture(),
        new Experiment.Report(results.toString(), parsed.report().html(), parsed.report().progressInterval()));
    Settings s = Settings.load(Optional.empty());
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    ExperimentRun.Progress progress = new ExperimentRun.Progress() {
      @Override
      public void say(String line) {
        said.add(line);
      }

      @Override
      public void tick(ExperimentRun.Tick tick) {
        said.add("tick " + tick.elapsed().toSeconds() + " " + tick.framesPerSecond() + " " + tick.activeFaults());
      }
    };
    ExperimentRun.Outcome outcome = new ExperimentRun(e, Optional.empty(),
        new ExperimentRun.Machine(s.config(), s.netdev(), s.fabric(), s.vm()), progress).run();
    JsonNode json = Results.read(outcome.folder().resolve("results.json"));
    String console = Files.readString(outcome.folder().resolve("console.log"));
    return new Ran(outcome, json, console, said);
  }
}
