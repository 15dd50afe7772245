package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.cli.Settings;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentLoader;
import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fault.Direction;
import io.fleetsim.fault.FaultyPort;
import io.fleetsim.fault.LossFault;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Ports;
import io.fleetsim.time.RealClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on a network's socket ports are booked where they act (on the port's rows, in the
 * per-second series and in the headline), and each direction of a port is checked.
 */
class PortAccountingTest {
  private static final int REQUESTS = 200;

  @TempDir
  Path dir;

  @Test
  void lossOnAQemuPortIsBookedOnItsRowsInTheSeriesAndInTheHeadline() throws Exception {
    int port = Ports.free();
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<RunHarness.Ran> run = RunHarness.start("""
        name = port-loss
        duration = 6s
        networks { lan { type = switch, ports = ["socket,id=ext,listen=127.0.0.1:%d"] } }
        vms { a { network = lan, ip = "10.0.0.1/24" } }
        faults = [ { at = 0s, kind = loss, target = ext, probability = 0.5 } ]
        """.formatted(port), dir, said);
    // the timeline plays: what is dropped from now on falls in the per-second series
    RunHarness.awaitSaid(run, said, "tick 1 ", Duration.ofSeconds(60));
    long received = 0;
    try (FramedClient peer = FramedClient.connect("127.0.0.1", port)) {
      // the test is the QEMU VM behind the port: it asks a for its MAC, a answers each request
      for (int i = 0; i < REQUESTS; i++) {
        peer.send(arpRequest());
      }
      received = readUntilClosed(peer);
    }
    RunHarness.Ran ran = run.get(60, TimeUnit.SECONDS);

    JsonNode out = ran.link("ext out");
    JsonNode in = ran.link("ext in");
    assertEquals(REQUESTS, out.get("sent").asLong(), "every request entered the port's chain: " + out);
    long lostOut = out.at("/dropped/fault-loss").asLong();
    long lostIn = in.at("/dropped/fault-loss").asLong();
    assertTrue(lostOut > REQUESTS / 4 && lostOut < 3 * REQUESTS / 4, "about half lost coming in: " + out);
    assertEquals(REQUESTS - lostOut, out.get("delivered").asLong(), out.toString());
    assertTrue(lostIn > 0, "answers lost going out to the peer: " + in);
    assertEquals(in.get("sent").asLong() - lostIn, in.get("delivered").asLong(), in.toString());
    assertEquals(received, in.get("delivered").asLong(), "what the port delivered is what the peer read");
    for (JsonNode row : List.of(out, in)) {
      assertTrue(row.get("balanced").asBoolean(), row.toString());
      assertTrue(row.get("notChecked").asText().contains("peer"), "the row says what it cannot check");
    }
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());

    JsonNode r = ran.results();
    long perSecond = 0;
    for (JsonNode n : r.at("/series/dropsPerSecond")) {
      perSecond += n.asLong();
    }
    assertEquals(lostOut + lostIn, perSecond, "the port's drops in the series: " + r.at("/series"));
    assertEquals(lostOut + lostIn, r.at("/totals/framesDropped").asLong(), r.at("/totals").toString());
    assertEquals(lostOut + lostIn, r.at("/totals/droppedByCause/fault-loss").asLong(), r.at("/totals").toString());

    Document report = Jsoup.parse(ran.outcome().folder().resolve("report.html").toFile(), "UTF-8");
    assertEquals(lostOut + lostIn, tile(report, "Frames dropped"), "the headline counts the port's drops");
    assertNotNull(report.selectFirst("section.banner.ok"), "balanced, and checked");
  }

  @Test
  void twoSwitchesJoinedBySocketPortsAccountForEveryFrameBetweenThem() throws Exception {
    int port = Ports.free();
    RunHarness.Ran ran = RunHarness.run("""
        name = sites
        duration = 4s
        networks {
          east { type = switch, ports = ["socket,id=e2w,listen=127.0.0.1:%d"] }
          west { type = switch, ports = ["socket,id=w2e,connect=127.0.0.1:%d"] }
        }
        vms {
          a { network = east, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.2 count=40 interval=50ms"] }
          b { network = west, ip = "10.0.0.2/24" }
        }
        faults = [ { at = 0s, kind = loss, target = e2w, probability = 0.5 } ]
        """.formatted(port, port), dir);
    JsonNode east = ran.link("e2w (QEMU port)");
    JsonNode west = ran.link("w2e (QEMU port)");
    long eastToWest = ran.link("e2w in").at("/dropped/fault-loss").asLong();
    long westToEast = ran.link("e2w out").at("/dropped/fault-loss").asLong();
    assertTrue(eastToWest > 0 && westToEast > 0, "the fault acted both ways: " + ran.results().get("links"));
    // a port's frames out are those its netdev wrote to the socket, after the port's faults
    assertEquals(ran.link("e2w in").get("sent").asLong(), west.get("framesIn").asLong() + eastToWest,
        "what east's switch handed e2w, west got or the fault on e2w dropped: " + east + " " + west);
    assertEquals(east.get("framesOut").asLong(), west.get("framesIn").asLong(),
        "what e2w wrote to the socket, w2e read: " + east + " " + west);
    assertEquals(west.get("framesOut").asLong(), east.get("framesIn").asLong() + westToEast,
        "west sent what east got and what the fault on e2w dropped: " + east + " " + west);
    assertEquals(ran.link("e2w in").get("delivered").asLong(), ran.link("w2e out").get("sent").asLong(),
        "what left e2w for the socket came into w2e from it");
    assertEquals(0, ran.link("w2e out").get("dropped").size(), "no fault on w2e");
    assertEquals(eastToWest + westToEast, ran.results().at("/totals/framesDropped").asLong());
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void aPortWhoseBooksDoNotAddUpIsAnImbalance() throws Exception {
    ActorTestKit kit = ActorTestKit.create();
    try {
      Experiment e = ExperimentLoader.parse("""
          name = broken
          duration = 1s
          networks { lan { type = switch, ports = ["socket,id=ext,listen=127.0.0.1:1"] } }
          report { directory = "%s" }
          """.formatted(dir), "broken.conf");
      Settings s = Settings.load(Optional.empty());
      ExperimentRun.Machine machine = new ExperimentRun.Machine(s.config(), s.netdev(), s.fabric(), s.vm());
      ActorRef<Fabric.Command> fabric = kit.spawn(Fabric.learningSwitch(s.fabric(),
          RealClock.system()));
      FabricPort fabricPort = FabricPort.attach(fabric, s.fabric(), "ext")
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      FaultyPort faults = FaultyPort.networkPort(fabricPort, RealClock.system());
      faults.add(LossFault.random(1), Direction.OUT, 1);
      // a broken tally: ten frames reach the chain, which drops them, past the edge that counts
      // what enters it
      Source.repeat(ByteString.fromArray(arpRequest())).take(10).via(faults.fromWire().flow())
          .runWith(Sink.ignore(), kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);

      Wiring wiring = new Wiring(e, machine, RealClock.system(), kit.system(), dir, line -> { });
      wiring.externalPorts.add(new ExternalPort("ext", "lan", fabricPort, faults, "listening"));
      ExperimentRun.Outcome outcome = new Results(e, Optional.empty(), Instant.now(), wiring,
          new Conductor.Record(List.of(), List.of(), Duration.ofSeconds(1)), Map.of(), Map.of(), Map.of(),
          new PingRtts(e))
          .write(dir);

      assertFalse(outcome.accountingOk());
      assertEquals(List.of("ext out: sent 0 + duplicated 0 != delivered 0 + dropped 10 + held 0"
          + " (10 frames too many)"), outcome.accountingErrors());
      JsonNode results = Results.read(dir.resolve("results.json"));
      JsonNode row = null;
      for (JsonNode l : results.get("links")) {
        if (l.get("name").asText().equals("ext out")) {
          row = l;
        }
      }
      assertNotNull(row, results.get("links").toString());
      assertFalse(row.get("balanced").asBoolean());
      assertEquals(-10, row.get("imbalance").asLong());
      assertFalse(results.at("/accounting/ok").asBoolean());
      Document report = Jsoup.parse(dir.resolve("report.html").toFile(), "UTF-8");
      Element banner = report.getElementById("accounting-errors");
      assertNotNull(banner, "the report shows the imbalance");
      assertTrue(banner.text().contains("ext out"), banner.text());
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** An ARP request from the test's 52:54:00:00:00:99 (10.0.0.2) for 10.0.0.1, broadcast. */
  private static byte[] arpRequest() {
    ByteBuffer b = ByteBuffer.allocate(42);
    b.put(new byte[] {-1, -1, -1, -1, -1, -1});
    byte[] mac = {0x52, 0x54, 0x00, 0x00, 0x00, (byte) 0x99};
    b.put(mac).putShort((short) 0x0806);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
    b.put(mac).put(new byte[] {10, 0, 0, 2});
    b.put(new byte[6]).put(new byte[] {10, 0, 0, 1});
    return b.array();
  }

  /** Frames the peer reads until fleetsim closes the connection at the end of the run. */
  private static long readUntilClosed(FramedClient peer) throws IOException {
    long n = 0;
    while (true) {
      try {
        if (peer.receive(60_000).isEmpty()) {
          throw new AssertionError("the connection was not closed at the end of the run");
        }
        n++;
      } catch (java.io.EOFException | java.net.SocketException closed) {
        return n;
      }
    }
  }

  private static long tile(Document report, String label) {
    for (Element tile : report.select(".tile")) {
      if (tile.select(".tile-label").text().equals(label)) {
        return Long.parseLong(tile.select(".tile-value").text().replaceAll("[^0-9]", ""));
      }
    }
    throw new AssertionError("no tile " + label);
  }
}
