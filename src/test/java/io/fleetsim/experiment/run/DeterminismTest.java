package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.cli.Settings;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentLoader;
import io.fleetsim.fault.FaultRegistry;
import io.fleetsim.time.Clock;
import io.fleetsim.time.VirtualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file and seed: the same fault decisions and the same frame counts on every run. In real
 * time ({@link #sameSeedSameDecisionsAndCounts}) ARP is static: with dynamic ARP, whether a VM's
 * announcement beats its neighbour's boot is a race, and the control frames it causes can differ
 * by one from run to run (the data frames do not). In virtual time the whole run repeats byte for
 * byte ({@link #sameFileAndSeedWriteTheSameBytes}), dynamic ARP and every fault kind included.
 */
class DeterminismTest {
  @TempDir
  Path dir;

  private static String experiment(long seed) {
    return """
        name = determinism
        seed = %d
        duration = 5s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", arp = static, workloads = ["udp-send 10.0.0.2:9000 count=3000 rate=1500/s size=200B"] }
          b { network = lan, ip = "10.0.0.2/24", arp = static, workloads = ["udp-sink 9000"] }
        }
        faults = [
          { at = 0s, kind = loss, target = b, direction = in, probability = 0.1 }
          { at = 0s, kind = duplicate, target = b, direction = in, probability = 0.05 }
          { at = 0s, kind = corrupt, target = b, direction = in, probability = 0.02 }
          { at = 0s, kind = loss, target = a, direction = out, model = gilbert-elliott, p = 0.01, r = 0.3 }
        ]
        """.formatted(seed);
  }

  /** Every link's books: sent, delivered, duplicated and drops by cause. */
  private static List<String> books(RunHarness.Ran ran) {
    List<String> out = new ArrayList<>();
    for (JsonNode link : ran.results().get("links")) {
      out.add(link.get("name").asText() + " sent=" + link.path("sent") + " delivered=" + link.path("delivered")
          + " duplicated=" + link.path("duplicated") + " dropped=" + link.path("dropped"));
    }
    return out;
  }

  @Test
  void sameSeedSameDecisionsAndCounts() throws Exception {
    RunHarness.Ran first = RunHarness.run(experiment(11), dir.resolve("1"));
    RunHarness.Ran second = RunHarness.run(experiment(11), dir.resolve("2"));
    List<String> books = books(first);
    assertEquals(books, books(second));
    JsonNode in = first.link("b/eth0 in");
    long lost = in.at("/dropped/fault-loss").asLong();
    assertEquals(3000, first.link("a/eth0 out").get("sent").asLong(), "only the datagrams: no ARP");
    assertTrue(lost > 200 && lost < 400, "about 10% of 3000 lost: " + in);
    assertTrue(in.get("duplicated").asLong() > 80, "about 5% duplicated: " + in);
    assertTrue(first.link("a/eth0 out").at("/dropped/fault-loss").asLong() > 0, "bursty loss on a's side");
    assertTrue(first.outcome().accountingOk(), first.results().at("/accounting").toString());
    // and the seed matters: another one decides differently
    RunHarness.Ran other = RunHarness.run(experiment(12), dir.resolve("3"));
    assertNotEquals(books, books(other));
  }

  // --- virtual time: experiments/determinism.conf, every byte the run writes

  private static final String FILE = "/experiments/determinism.conf";

  /** The clock of one run: a fresh one each, so that each run starts at the same instant. */
  private static Clock clock() {
    return VirtualClock.create();
  }

  private static Experiment determinism() throws Exception {
    try (InputStream in = DeterminismTest.class.getResourceAsStream(FILE)) {
      return ExperimentLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "determinism.conf");
    }
  }

  /** Runs the file with {@code seed} into {@code results}; returns the run's folder. */
  private static Path run(long seed, Path results) throws Exception {
    Experiment e = determinism();
    Experiment seeded = new Experiment(e.name(), seed, e.duration(), e.networks(), e.fleets(),
        e.faults(), e.capture(), new Experiment.Report(results.toString(), false,
            e.report().progressInterval()), e.clock());
    Settings s = Settings.load(Optional.empty());
    ExperimentRun.Progress quiet = new ExperimentRun.Progress() {
      @Override
      public void say(String line) {}

      @Override
      public void tick(ExperimentRun.Tick tick) {}
    };
    return new ExperimentRun(seeded, Optional.empty(),
        new ExperimentRun.Machine(s.config(), s.netdev(), s.fabric(), s.vm()), clock(), quiet)
        .run().folder();
  }

  /** results.json without its host section (wall time, heap, JVM), pretty-printed. */
  private static String modelResults(Path folder) throws IOException {
    ObjectNode root = (ObjectNode) Results.read(folder.resolve("results.json"));
    root.remove("host");
    return Results.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** Fails with the first line where {@code second} differs from {@code first}. */
  private static void assertSameText(String what, String first, String second) {
    if (first.equals(second)) {
      return;
    }
    String[] a = first.split("\n", -1);
    String[] b = second.split("\n", -1);
    int i = 0;
    while (i < a.length && i < b.length && a[i].equals(b[i])) {
      i++;
    }
    fail(what + " differs at line " + (i + 1) + ": '" + (i < a.length ? a[i] : "(end)")
        + "' then '" + (i < b.length ? b[i] : "(end)") + "'");
  }

  private static List<String> pcaps(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pcap")).sorted()
          .toList();
    }
  }

  /** What the faults decided on every link: drops by cause and duplicates. */
  private static List<String> decisions(Path folder) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode link : Results.read(folder.resolve("results.json")).get("links")) {
      out.add(link.get("name").asText() + " dropped=" + link.path("dropped") + " duplicated="
          + link.path("duplicated"));
    }
    return out;
  }

  /** The file is one virtual time can run and has every fault kind there is. */
  @Test
  void theExperimentHasEveryFaultKindDynamicArpAndNoQemuPorts() throws Exception {
    Experiment e = determinism();
    assertEquals(new TreeSet<>(FaultRegistry.ALL.names()),
        new TreeSet<>(e.faults().stream().map(Experiment.Fault::kind).toList()));
    assertTrue(e.faults().stream().anyMatch(f -> f.every().isPresent()), "a repeating fault");
    assertTrue(e.networks().values().stream().allMatch(n -> n.ports().isEmpty()), "QEMU ports");
    assertTrue(e.fleets().values().stream().allMatch(f -> f.arp() == Experiment.Arp.DYNAMIC));
    assertTrue(e.vmCount() >= 300, e.vmCount() + " VMs");
    assertFalse(e.capture().isEmpty());
  }

  @Test
  void sameFileAndSeedWriteTheSameBytes() throws Exception {
    long seed = determinism().seed();
    Path first = run(seed, dir.resolve("1"));
    Path second = run(seed, dir.resolve("2"));
    assertEquals(new TreeSet<>(FaultRegistry.ALL.names()), kindsThatRan(first));
    assertSameText("results.json", modelResults(first), modelResults(second));
    tcpDidItsWork(Results.read(first.resolve("results.json")));
    assertSameText("console.log", Files.readString(first.resolve("console.log")),
        Files.readString(second.resolve("console.log")));
    List<String> pcaps = pcaps(first);
    assertEquals(determinism().capture().stream().map(n -> n + ".pcap").sorted().toList(), pcaps);
    assertEquals(pcaps, pcaps(second));
    for (String pcap : pcaps) {
      assertEquals(-1L, Files.mismatch(first.resolve(pcap), second.resolve(pcap)),
          pcap + ": first differing byte");
    }
  }

  /** The TCP fleet's streams all arrived, through losses that made TCP retransmit. */
  private static void tcpDidItsWork(JsonNode results) {
    long streams = 0;
    long retransmissions = 0;
    for (JsonNode w : results.get("workloads")) {
      if (w.path("kind").asText().equals("tcp-stream")) {
        streams++;
        assertTrue(w.path("success").asBoolean(), w.toString());
        assertEquals(400_000, w.at("/result/bytesAcked").asLong(), w.toString());
        retransmissions += w.at("/result/stats/retransmissions").asLong();
      }
    }
    assertEquals(10, streams, "one tcp-stream per VM of the tcp fleet");
    assertTrue(retransmissions > 0, "2% loss made the streams retransmit");
  }

  @Test
  void anotherSeedDecidesTheFaultsOtherwise() throws Exception {
    long seed = determinism().seed();
    assertNotEquals(decisions(run(seed, dir.resolve("1"))), decisions(run(seed + 1, dir.resolve("2"))));
  }

  private static TreeSet<String> kindsThatRan(Path folder) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    Results.read(folder.resolve("results.json")).get("faults")
        .forEach(f -> out.add(f.get("kind").asText()));
    return out;
  }
}
