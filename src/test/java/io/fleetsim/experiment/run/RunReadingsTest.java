package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.control.Readings;
import io.fleetsim.control.Status;
import io.fleetsim.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real-time run's live figures, read while it runs and after: two networks joined by a link, a
 * QEMU port nobody connects to, pingers across the lossy link to a VM with a loss fault, a VM
 * that crashes. After the run every figure is the one results.json reports.
 */
class RunReadingsTest {
  @TempDir
  Path dir;

  private static final String EXPERIMENT = """
      name = readings
      duration = 4s
      networks {
        site-a { type = switch, ports = ["socket,id=ext,listen=127.0.0.1:%d"] }
        site-b { type = hub }
      }
      links { wan { between = [site-a, site-b], latency = 2ms, loss = 20%% } }
      vms {
        a { count = 2, network = site-a, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.9 count=25 interval=100ms"] }
        b { network = site-b, ip = "10.0.0.9/24" }
        c { network = site-b, ip = "10.0.0.10/24" }
      }
      faults = [
        { at = 0s, kind = loss, target = b, probability = 0.3 }
        { at = 1s, kind = crash, target = c }
      ]
      """;

  @Test
  void liveFiguresNameEveryPortAndEndAsTheResultsReport() throws Exception {
    int port = Ports.free();
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<ExperimentRun> made = new AtomicReference<>();
    CompletableFuture<RunHarness.Ran> run = RunHarness.start(EXPERIMENT.formatted(port), dir, said,
        made::set);

    // while it runs: c has crashed, b's loss has taken frames, a's pings are answered
    RunReadings live = await(run, () -> made.get() == null ? null : made.get().readings(),
        r -> r != null);
    Readings during = await(run, live::readings, r -> r.vmsByState().get("crashed") == 1
        && r.vmsByState().get("running") == 3 && drops(r, "site-b", "b/eth0", "fault-loss") > 0
        && r.pingRttMicros().get("a").getTotalCount() > 0);
    assertEquals(3, live.vmsRunning());
    assertEquals(Map.of("running", 3, "paused", 0, "crashed", 1), during.vmsByState());
    assertEquals(List.of("running", "paused", "crashed"), List.copyOf(during.vmsByState().keySet()),
        "every state, in order");
    assertEquals(0, during.pingRttMicros().get("b").getTotalCount(), "b pings nobody");
    assertTrue(port(during, "site-a", "a-1/eth0").framesOut() > 0, during.ports().toString());
    assertTrue(drops(during, "site-a", "ext", "no-peer") > 0,
        "a's broadcasts reach the QEMU port nobody is on: " + during.ports());

    String ext = "qemu socket,id=ext,listen=127.0.0.1:" + port;
    assertEquals(List.of(
        new Status.NetworkView("site-a", "switch", List.of(
            new Status.PortView("a-1/eth0", "vm a-1 eth0", true),
            new Status.PortView("a-2/eth0", "vm a-2 eth0", true),
            new Status.PortView("ext", ext, true),
            new Status.PortView("wan", "link wan to site-b", true))),
        new Status.NetworkView("site-b", "hub", List.of(
            new Status.PortView("b/eth0", "vm b eth0", true),
            new Status.PortView("c/eth0", "vm c eth0", false),
            new Status.PortView("wan", "link wan to site-a", true)))), live.networks());
    List<String> listed = new ArrayList<>();
    during.ports().forEach(p -> listed.add(p.network() + " " + p.port() + " " + p.vm()));
    assertEquals(List.of("site-a a-1/eth0 a-1", "site-a a-2/eth0 a-2", "site-a ext ",
        "site-a wan ", "site-b b/eth0 b", "site-b c/eth0 c", "site-b wan "), listed);

    RunHarness.Ran ran = run.get(60, TimeUnit.SECONDS);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
    Readings after = live.readings();

    // a VM's port: in is what its link's out row delivered, out what its in row sent
    for (String[] vm : List.of(new String[] {"site-a", "a-1"}, new String[] {"site-a", "a-2"},
        new String[] {"site-b", "b"}, new String[] {"site-b", "c"})) {
      String link = vm[1] + "/eth0";
      Readings.PortReading p = port(after, vm[0], link);
      assertEquals(ran.link(link + " out").get("delivered").asLong(), p.framesIn(), link);
      assertEquals(ran.link(link + " in").get("sent").asLong(), p.framesOut(), link);
      assertEquals(rowDrops(ran, link + " out", link + " in", link + " fabric port"), p.drops(), link);
    }
    assertTrue(port(after, "site-b", "b/eth0").drops().get("fault-loss") > 0, after.ports().toString());

    Readings.PortReading qemu = port(after, "site-a", "ext");
    JsonNode row = ran.link("ext (QEMU port)");
    assertEquals(row.get("framesIn").asLong(), qemu.framesIn(), row.toString());
    assertEquals(row.get("framesOut").asLong(), qemu.framesOut(), row.toString());
    assertEquals(rowDrops(ran, "ext out", "ext in", "ext (QEMU port)"), qemu.drops());

    // the link's ends: a's port sends a>b and takes in b>a, and the other way round on b
    JsonNode ab = ran.link("wan site-a>site-b");
    JsonNode ba = ran.link("wan site-b>site-a");
    assertTrue(ab.get("delivered").asLong() > 0, ab.toString());
    assertEquals(ab.get("sent").asLong(), port(after, "site-a", "wan").framesOut());
    assertEquals(ba.get("delivered").asLong(), port(after, "site-a", "wan").framesIn());
    assertEquals(ba.get("sent").asLong(), port(after, "site-b", "wan").framesOut());
    assertEquals(ab.get("delivered").asLong(), port(after, "site-b", "wan").framesIn());
    assertEquals(rowDrops(ran, "wan fabric port on site-a"), port(after, "site-a", "wan").drops());
    assertEquals(rowDrops(ran, "wan fabric port on site-b"), port(after, "site-b", "wan").drops());

    assertEquals(2, after.links().size(), after.links().toString());
    Readings.LinkReading lab = after.links().get(0);
    Readings.LinkReading lba = after.links().get(1);
    assertEquals(List.of("wan site-a>site-b", "wan site-b>site-a"),
        List.of(lab.link() + " " + lab.direction(), lba.link() + " " + lba.direction()));
    assertEquals(ab.get("delivered").asLong(), lab.frames(), ab.toString());
    assertEquals(ba.get("delivered").asLong(), lba.frames(), ba.toString());
    assertEquals(rowDrops(ran, "wan site-a>site-b"), lab.drops());
    assertEquals(rowDrops(ran, "wan site-b>site-a"), lba.drops());
    assertTrue(lab.drops().getOrDefault("link-loss", 0L) > 0, "the link's own loss: " + lab);
    // ping's frames are 98 bytes; ARP's 42, sent to the VMs, which pad on their own side only
    assertTrue(lab.bytes() >= 42 * lab.frames() && lab.bytes() <= 98 * lab.frames(), lab.toString());

    assertEquals(Map.of("running", 3, "paused", 0, "crashed", 1), after.vmsByState());
    assertEquals(3, live.vmsRunning());
    long replies = ran.results().at("/fleets/0/rttMillis/replies").asLong();
    assertTrue(replies > 0, ran.results().get("fleets").toString());
    // reading them mid-run took none from the results: every reply the pingers counted is there
    assertEquals(ran.workload("a-1", 0).get("received").asLong()
        + ran.workload("a-2", 0).get("received").asLong(), replies);
    assertEquals(replies, after.pingRttMicros().get("a").getTotalCount());
    assertEquals(List.of("a", "b", "c"), List.copyOf(after.pingRttMicros().keySet()));
  }

  /** Polls {@code read} until {@code done} holds (the run still going), at most 30 s. */
  private static <T> T await(CompletableFuture<RunHarness.Ran> run,
      java.util.function.Supplier<T> read, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      if (run.isDone()) {
        run.get(); // throws what stopped it
        throw new AssertionError("the run ended first; last read: " + last);
      }
      last = read.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not seen in 30 s; last read: " + last);
  }

  private static Readings.PortReading port(Readings r, String network, String name) {
    for (Readings.PortReading p : r.ports()) {
      if (p.network().equals(network) && p.port().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no port " + name + " on " + network + ": " + r.ports());
  }

  private static long drops(Readings r, String network, String name, String cause) {
    return port(r, network, name).drops().getOrDefault(cause, 0L);
  }

  /** The drops of results.json's rows {@code names} by cause (a row not written drops none). */
  private static Map<String, Long> rowDrops(RunHarness.Ran ran, String... names) {
    Map<String, Long> out = new TreeMap<>();
    for (JsonNode row : ran.results().get("links")) {
      if (List.of(names).contains(row.get("name").asText())) {
        row.get("dropped").fields().forEachRemaining(e ->
            out.merge(e.getKey(), e.getValue().asLong(), Long::sum));
      }
    }
    out.values().removeIf(n -> n == 0);
    return new LinkedHashMap<>(out);
  }
}
