package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Ports;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleets on a QEMU netdev instead of a network: a multicast group (an in-process bus) or their own. */
class AttachmentTest {
  @TempDir
  Path dir;

  private static final String GROUP = "230.0.0.1";

  private static MulticastSocket member(int port) throws Exception {
    MulticastSocket member = new MulticastSocket(port);
    member.joinGroup(new InetSocketAddress(GROUP, 0), NetworkInterface.getByName("lo"));
    member.setSoTimeout(500);
    return member;
  }

  /** Datagrams the member hears within {@code millis}. */
  /**
   * Datagrams the outside member hears while the run lasts: listening follows the run itself (a
   * fixed window missed everything when a loaded machine took longer than it to boot the VMs).
   */
  private static int heard(MulticastSocket member, CompletableFuture<?> run) throws Exception {
    int n = 0;
    byte[] buffer = new byte[2048];
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // a hung run fails below
    while (!run.isDone() && System.nanoTime() < giveUp) {
      try {
        member.receive(new DatagramPacket(buffer, buffer.length));
        n++;
      } catch (SocketTimeoutException e) {
        // quiet for a moment; keep listening until the run ends
      }
    }
    return n;
  }

  private static String busExperiment(int port, boolean bridge) {
    return """
        name = bus
        duration = 4s
        vms {
          a { netdev = "socket,id=m,mcast=%s:%d", ip = "10.0.0.1/24", workloads = ["ping 10.0.0.2 count=6 interval=300ms"] }
          b { netdev = "socket,id=m,mcast=%s:%d", ip = "10.0.0.2/24", bridge = %s }
        }
        """.formatted(GROUP, port, GROUP, port, bridge);
  }

  @Test
  void fleetsOnOneGroupShareAnInProcessBusThatStaysInside() throws Exception {
    int port = Ports.free();
    try (MulticastSocket outside = member(port)) {
      CompletableFuture<RunHarness.Ran> run = RunHarness.start(busExperiment(port, false), dir,
          Collections.synchronizedList(new ArrayList<>()));
      int heard = heard(outside, run);
      RunHarness.Ran ran = run.get(60, TimeUnit.SECONDS);
      assertEquals(6, ran.workload("a", 0).get("received").asLong(), "a and b talk over the bus");
      assertEquals(0, heard, "without bridge nothing reaches the real group");
      assertEquals("mcast:" + GROUP + ":" + port, ran.link("a/eth0 out").get("network").asText());
      assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
    }
  }

  @Test
  void bridgeAlsoJoinsTheRealGroup() throws Exception {
    int port = Ports.free();
    try (MulticastSocket outside = member(port)) {
      CompletableFuture<RunHarness.Ran> run = RunHarness.start(busExperiment(port, true), dir,
          Collections.synchronizedList(new ArrayList<>()));
      int heard = heard(outside, run);
      RunHarness.Ran ran = run.get(60, TimeUnit.SECONDS);
      assertEquals(6, ran.workload("a", 0).get("received").asLong());
      // every echo request and reply crosses the bus, and the bridge puts each on the group
      assertTrue(heard >= 12, "an outside member hears the VMs' frames: " + heard);
    }
  }

  @Test
  void aVmOnItsOwnSocketNetdevConnectsOut() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CompletableFuture<RunHarness.Ran> run = RunHarness.start("""
          name = own
          duration = 3s
          vms { a { netdev = "socket,id=n,connect=127.0.0.1:%d", ip = "10.0.0.1/24", workloads = ["ping 10.0.0.2 count=2"] } }
          """.formatted(server.getLocalPort()), dir, Collections.synchronizedList(new ArrayList<>()));
      server.setSoTimeout(30_000);
      try (FramedClient peer = FramedClient.wrap(server.accept())) {
        Optional<byte[]> frame = peer.receive(10_000);
        assertTrue(frame.isPresent(), "the VM's first frame arrives framed on the TCP connection");
        assertEquals(0x0806, ((frame.get()[12] & 0xFF) << 8) | (frame.get()[13] & 0xFF), "an ARP request");
        RunHarness.Ran ran = run.get(60, TimeUnit.SECONDS);
        JsonNode links = ran.results().get("links");
        assertEquals(0, links.size(), "no in-process link to account for");
      }
    }
  }

  @Test
  void aFrameFaultOnAVmOutsideTheFabricIsRefused() throws Exception {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(RunException.class, () -> RunHarness.run("""
        name = refused
        duration = 3s
        vms { a { netdev = "socket,id=n,connect=127.0.0.1:%d", ip = "10.0.0.1/24" } }
        faults = [ { at = 1s, kind = loss, target = a, probability = 0.5 } ]
        """.formatted(Ports.free()), dir));
    assertTrue(e.getMessage().contains("faults[0]: loss on a: its NIC is on its own QEMU netdev"), e.getMessage());
  }
}
