package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.cli.Settings;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentLoader;
import io.fleetsim.time.VirtualClock;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in virtual time: the time a ping takes is the model's (its latency faults, wires, NICs and
 * guests), not the host's, so it is the same on every run and at every fleet size.
 */
class VirtualTimeRunTest {
  private static final Pattern REPLY = Pattern.compile("seq=(\\d+) ttl=\\d+ time=([0-9.]+) ms");

  /** N VMs in a ring on one switch, each pinging the next; 25 ms of latency on every link, each way. */
  private static String ring(int n) {
    return """
        name = ring
        duration = 8s
        networks { lan { type = switch } }
        vms { a { count = %d, network = lan, ip = "10.0.0.1/16", arp = static,
                  workloads = ["ping {next} count=5 interval=1s"] } }
        faults = [ { at = 0s, kind = latency, target = a, delay = 25ms } ]
        report { html = false }
        """.formatted(n);
  }

  /** Every VM's RTTs in ping order, as the guests printed them. */
  private static Map<String, List<String>> rtts(RunHarness.Ran ran, int n) {
    Map<String, List<String>> out = new TreeMap<>();
    for (int i = 1; i <= n; i++) {
      List<String> times = new ArrayList<>();
      for (String line : ran.consoleOf("a-" + i)) {
        Matcher m = REPLY.matcher(line);
        if (m.find()) {
          times.add(m.group(2));
        }
      }
      out.put("a-" + i, times);
    }
    return out;
  }

  @Test
  void aPingTakesTheModelsTimeTheSameOnEveryRun(@TempDir Path dir) throws Exception {
    RunHarness.Ran first = RunHarness.runVirtual(ring(2), dir.resolve("first"));
    RunHarness.Ran second = RunHarness.runVirtual(ring(2), dir.resolve("second"));
    Map<String, List<String>> rtts = rtts(first, 2);
    assertEquals(rtts, rtts(second, 2), "the same RTTs, to the microsecond, on every run");
    for (List<String> vm : rtts.values()) {
      assertEquals(5, vm.size(), "every ping answered: " + rtts);
      for (String t : vm) {
        double ms = Double.parseDouble(t);
        // each way crosses two links of 25 ms; the rest (wires, NICs, guests) is microseconds
        assertTrue(ms >= 100.0 && ms < 101.0, "RTT " + t + " ms is the faults' 100 ms plus the model's own: " + rtts);
      }
    }
    assertEquals(first.console(), second.console(), "console.log the same, byte for byte");
  }

  @Test
  void theRttDistributionIsTheSameAtTwoAndAtTwoThousandVms(@TempDir Path dir) throws Exception {
    Map<String, List<String>> two = rtts(RunHarness.runVirtual(ring(2), dir.resolve("two")), 2);
    RunHarness.Ran big = RunHarness.runVirtual(ring(2000), dir.resolve("big"));
    Map<String, List<String>> many = rtts(big, 2000);
    List<String> one = two.get("a-1");
    assertEquals(5, one.size(), two.toString());
    assertEquals(one, two.get("a-2"));
    long same = many.values().stream().filter(one::equals).count();
    assertEquals(2000, same, "every one of 2,000 VMs sees the RTTs two VMs see, " + one
        + "; others: " + many.values().stream().filter(v -> !v.equals(one)).limit(3).toList());
    assertTrue(big.outcome().accountingOk(), big.outcome().accountingErrors().toString());
  }

  @Test
  void aStopFromAnotherThreadEndsAVirtualRunEarlyAndItsResultsAreWritten(@TempDir Path dir)
      throws Exception {
    // an hour of simulated pings: it would take minutes of CPU; the stop comes after 3 s of it
    Experiment e = ExperimentLoader.parse(ring(20).replace("duration = 8s", "duration = 3600s")
        .replace("count=5", "count=3600"), "t.conf").withReportDirectory(dir.toString());
    Settings s = Settings.load(Optional.empty());
    CountDownLatch threeSeconds = new CountDownLatch(1);
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    ExperimentRun run = new ExperimentRun(e, Optional.empty(),
        new ExperimentRun.Machine(s.config(), s.netdev(), s.fabric(), s.vm()), VirtualClock.create(),
        new ExperimentRun.Progress() {
          @Override
          public void say(String line) {
            said.add(line);
          }

          @Override
          public void tick(ExperimentRun.Tick tick) {
            if (tick.elapsed().toSeconds() >= 3) {
              threeSeconds.countDown();
            }
          }
        });
    CompletableFuture<ExperimentRun.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        return run.run();
      } catch (Exception ex) {
        throw new RuntimeException(ex);
      }
    });
    assertTrue(threeSeconds.await(5, TimeUnit.MINUTES), "3 simulated seconds; said: " + said);
    run.stop(); // as SIGINT does, from a thread that is neither the run's nor the clock's
    ExperimentRun.Outcome done = outcome.get(5, TimeUnit.MINUTES);
    assertTrue(done.accountingOk(), done.accountingErrors().toString());
    JsonNode r = Results.read(done.folder().resolve("results.json"));
    double ran = r.at("/experiment/ranSeconds").asDouble();
    assertTrue(ran >= 3 && ran < 3600, "ran " + ran + " s of 3600");
    assertTrue(said.stream().anyMatch(l -> l.startsWith("stopped early at ")), said.toString());
  }
}
