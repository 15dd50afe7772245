package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Ports;
import io.fleetsim.testing.Qemu;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A network's QEMU socket ports in a run: real QEMU joins, and a disconnect fault cuts a peer. */
class ExternalPortTest {
  @TempDir
  Path dir;

  @Test
  void disconnectClosesThePeersConnectionAndThePortTakesTheNextOne() throws Exception {
    int port = Ports.free();
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<RunHarness.Ran> run = RunHarness.start("""
        name = cut
        duration = 6s
        networks { lan { type = hub, ports = ["socket,id=ext,listen=127.0.0.1:%d"] } }
        # pings an absent host: an ARP broadcast a second, which the outside peer hears
        vms { a { network = lan, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.9 count=5"] } }
        faults = [ { at = 2s, kind = disconnect, target = ext } ]
        """.formatted(port), dir, said);
    RunHarness.awaitSaid(run, said, "netdev ext (lan): listening on 127.0.0.1:" + port, Duration.ofSeconds(30));
    long connected;
    try (Socket first = new Socket("127.0.0.1", port)) {
      connected = System.nanoTime();
      first.setSoTimeout(10_000);
      InputStream in = first.getInputStream();
      byte[] buffer = new byte[4096];
      try {
        while (in.read(buffer) >= 0) {
          // ARP broadcasts until the fault cuts the connection
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the connection was not cut within 10 s");
      } catch (java.io.IOException reset) {
        // a reset is a cut too
      }
    }
    double cutAfter = (System.nanoTime() - connected) / 1e9;
    assertTrue(cutAfter > 0.5 && cutAfter < 5, "cut at the fault's time, not at once or never: " + cutAfter + " s");
    // the fault's line is printed once it has acted, so it may come a moment after the cut
    RunHarness.awaitSaid(run, said, "fault on: disconnect on ext", Duration.ofSeconds(5));
    try (FramedClient second = FramedClient.connect("127.0.0.1", port)) {
      assertTrue(second.receive(5_000).isPresent(), "the listen port took the next peer, who hears the VM");
    }
    RunHarness.Ran ran = run.get(60, TimeUnit.SECONDS);
    JsonNode ext = ran.link("ext (QEMU port)");
    assertTrue(ext.get("framesOut").asLong() >= 2, ext.toString());
    // both peers' links closed under the port: its books still balance
    assertTrue(ran.link("ext in").get("balanced").asBoolean(), ran.link("ext in").toString());
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void lossOnARealQemusPortIsBookedOnThePortsRowsAndChecked() throws Exception {
    Qemu.require();
    int port = Ports.free();
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<RunHarness.Ran> run = RunHarness.start("""
        name = lossy-join
        duration = 8s
        networks { lan { type = switch, ports = ["socket,id=qemu1,listen=127.0.0.1:%d"] } }
        vms { sim { network = lan, ip = "10.0.2.15/24", workloads = ["ping 10.0.2.2 count=40 interval=100ms"] } }
        faults = [ { at = 0s, kind = loss, target = qemu1, probability = 0.5 } ]
        """.formatted(port), dir, said);
    RunHarness.awaitSaid(run, said, "netdev qemu1 (lan): listening", Duration.ofSeconds(30));
    try (Qemu qemu = Qemu.withSlirp("socket,id=n0,connect=127.0.0.1:" + port)) {
      RunHarness.Ran ran = run.get(90, TimeUnit.SECONDS);
      JsonNode ping = ran.workload("sim", 0);
      long lostOut = ran.link("qemu1 out").at("/dropped/fault-loss").asLong();
      long lostIn = ran.link("qemu1 in").at("/dropped/fault-loss").asLong();
      assertTrue(ping.get("received").asLong() < ping.get("transmitted").asLong(), ping.toString());
      assertTrue(lostOut > 0 && lostIn > 0, "QEMU's replies and the requests to it lost, and booked: "
          + ran.results().get("links"));
      assertTrue(ran.link("qemu1 out").get("balanced").asBoolean());
      assertTrue(ran.link("qemu1 in").get("balanced").asBoolean());
      assertEquals(lostOut + lostIn, ran.results().at("/totals/framesDropped").asLong(),
          ran.results().at("/totals").toString());
      assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
    }
  }

  @Test
  void simulatedVmsLeaseFromARealQemuAndPingIt() throws Exception {
    Qemu.require();
    int port = Ports.free();
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<RunHarness.Ran> run = RunHarness.start("""
        name = join
        duration = 12s
        networks { lan { type = switch, ports = ["socket,id=qemu1,listen=127.0.0.1:%d"] } }
        vms { sim { count = 2, network = lan, dhcp = true, workloads = ["ping 10.0.2.2 count=4 interval=500ms"] } }
        capture = [qemu1]
        """.formatted(port), dir, said);
    RunHarness.awaitSaid(run, said, "netdev qemu1 (lan): listening", Duration.ofSeconds(30));
    try (Qemu qemu = Qemu.withSlirp("socket,id=n0,connect=127.0.0.1:" + port)) {
      RunHarness.Ran ran = run.get(90, TimeUnit.SECONDS);
      List<String> leases = new ArrayList<>();
      for (String vm : List.of("sim-1", "sim-2")) {
        ran.consoleOf(vm).stream().filter(l -> l.startsWith("lease ")).forEach(leases::add);
        JsonNode ping = ran.workload(vm, 0);
        assertEquals(4, ping.get("received").asLong(), vm + " pinged slirp's 10.0.2.2: " + ping);
      }
      assertEquals(2, leases.size(), "each VM took a lease from QEMU: " + leases);
      assertTrue(leases.stream().allMatch(l -> l.startsWith("lease 10.0.2.")), leases.toString());
      assertTrue(java.nio.file.Files.size(ran.outcome().folder().resolve("qemu1.pcap")) > 24, "the QEMU port was captured");
      assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
    }
  }
}
