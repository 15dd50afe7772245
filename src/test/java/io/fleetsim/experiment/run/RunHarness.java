package io.fleetsim.experiment.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.cli.Settings;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentLoader;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import io.fleetsim.time.VirtualClock;
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

  /** Runs on a thread of its own; {@code said} fills with progress lines as they come. */
  static java.util.concurrent.CompletableFuture<Ran> start(String hocon, Path results, List<String> said) {
    return start(hocon, results, said, run -> { });
  }

  /** The same; {@code created} gets the run as it is made, so a test can {@code stop()} it early. */
  static java.util.concurrent.CompletableFuture<Ran> start(String hocon, Path results, List<String> said,
      java.util.function.Consumer<ExperimentRun> created) {
    return start(hocon, results, said, RealClock.system(), created);
  }

  /** The same on {@code clock}. */
  static java.util.concurrent.CompletableFuture<Ran> start(String hocon, Path results, List<String> said,
      Clock clock, java.util.function.Consumer<ExperimentRun> created) {
    java.util.concurrent.CompletableFuture<Ran> ran = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        ran.complete(run(hocon, results, said, clock, created));
      } catch (Throwable e) {
        ran.completeExceptionally(e);
      }
    }, "experiment-run");
    t.setDaemon(true);
    t.start();
    return ran;
  }

  /** Waits until a progress line contains {@code text}. */
  static void awaitSaid(java.util.concurrent.CompletableFuture<Ran> run, List<String> said, String text,
      java.time.Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (run.isCompletedExceptionally()) {
        run.get(); // throws what stopped the run
      }
      synchronized (said) {
        if (said.stream().anyMatch(l -> l.contains(text))) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no progress line with '" + text + "'; said: " + said);
  }

  static Ran run(String hocon, Path results) throws Exception {
    return run(hocon, results, Collections.synchronizedList(new ArrayList<>()));
  }

  static Ran run(String hocon, Path results, List<String> said) throws Exception {
    return run(hocon, results, said, RealClock.system());
  }

  /** Runs in virtual time, on a clock of its own (whatever the file's {@code clock} says). */
  static Ran runVirtual(String hocon, Path results) throws Exception {
    return run(hocon, results, Collections.synchronizedList(new ArrayList<>()), VirtualClock.create());
  }

  static Ran run(String hocon, Path results, List<String> said, Clock clock) throws Exception {
    return run(hocon, results, said, clock, run -> { });
  }

  private static Ran run(String hocon, Path results, List<String> said, Clock clock,
      java.util.function.Consumer<ExperimentRun> created) throws Exception {
    Experiment parsed = ExperimentLoader.parse(hocon, "test.conf");
    Experiment e = parsed.withReportDirectory(results.toString());
    Settings s = Settings.load(Optional.empty());
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
    ExperimentRun run = new ExperimentRun(e, Optional.empty(),
        new ExperimentRun.Machine(s.config(), s.netdev(), s.fabric(), s.vm()), clock, progress);
    created.accept(run);
    ExperimentRun.Outcome outcome = run.run();
    JsonNode json = Results.read(outcome.folder().resolve("results.json"));
    String console = Files.readString(outcome.folder().resolve("console.log"));
    return new Ran(outcome, json, console, said);
  }
}
