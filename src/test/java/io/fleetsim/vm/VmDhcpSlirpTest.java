package io.fleetsim.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.Ports;
import io.fleetsim.testing.Qemu;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleetsim vm --dhcp} against a real QEMU's slirp (a QEMU without a guest). */
@Timeout(120)
class VmDhcpSlirpTest {
  private static final Duration START = Duration.ofSeconds(60);

  @Test
  void aVmLeasesFromSlirpPingsTheGatewayAndWritesItsStats(@TempDir Path dir) throws Exception {
    Qemu.require();
    int port = Ports.free();
    Path stats = dir.resolve("stats.json");
    try (Qemu qemu = Qemu.withSlirp("socket,id=s0,listen=127.0.0.1:" + port)) {
      awaitListening(port, qemu);
      try (Fleetsim vm = Fleetsim.start("vm", "--name", "dhcp-vm",
          "-device", "e1000,netdev=n1", "-netdev", "socket,id=n1,connect=127.0.0.1:" + port,
          "--dhcp", "--run", "ping 10.0.2.2 count=3 interval=0.2s", "--stats", stats.toString())) {
        assertEquals(0, vm.awaitExit(START), vm.output());
        String out = vm.output();
        assertTrue(out.contains("netdev n1: connected to 127.0.0.1:" + port), out);
        // restrict=on: slirp offers no router option
        assertTrue(out.contains("lease 10.0.2.15/24 from 10.0.2.2 (no router)"), out);
        assertTrue(out.contains("3 packets transmitted, 3 packets received, 0% packet loss"), out);
        assertFalse(out.contains("Exception"), out);
      }
    }

    JsonNode json = new ObjectMapper().readTree(stats.toFile());
    assertEquals("dhcp-vm", json.get("vm").asText(), json.toPrettyString());
    JsonNode nic = json.get("nics").get(0);
    assertEquals("52:54:00:12:34:56", nic.get("mac").asText(), nic.toPrettyString());
    JsonNode e1000 = nic.get("e1000");
    // DHCP OFFER + ACK, ARP reply and three echo replies at least, all good frames
    assertTrue(e1000.get("GPRC").asLong() >= 6, e1000.toPrettyString());
    assertTrue(e1000.get("GPTC").asLong() >= 6, e1000.toPrettyString());
    assertEquals(0, e1000.get("MPC").asLong(), e1000.toPrettyString());
    assertEquals(0, e1000.get("CRCERRS").asLong(), e1000.toPrettyString());

    JsonNode guest = json.get("guest");
    JsonNode iface = guest.get("interfaces").get(0);
    assertTrue(iface.get("address").asText().startsWith("10.0.2.15/24"), iface.toPrettyString());
    assertEquals(1, iface.get("counters").get("dhcpAcksReceived").asLong(), iface.toPrettyString());
    assertEquals(3, iface.get("counters").get("icmpEchoRepliesReceived").asLong(),
        iface.toPrettyString());
    JsonNode ping = guest.get("workloads").get(0);
    assertTrue(ping.get("workload").asText().startsWith("ping 10.0.2.2"), ping.toPrettyString());
    assertTrue(ping.get("success").asBoolean(), ping.toPrettyString());
    JsonNode result = ping.get("result");
    assertEquals("10.0.2.2", result.get("host").asText(), ping.toPrettyString());
    assertEquals(3, result.get("transmitted").asLong(), ping.toPrettyString());
    assertEquals(3, result.get("received").asLong(), ping.toPrettyString());
    assertEquals(0, result.get("lossPercent").asLong(), ping.toPrettyString());
  }

  /** QEMU's listen port accepts; the probe becomes its peer, and once closed QEMU listens again. */
  private static void awaitListening(int port, Qemu qemu) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(qemu.process().isAlive(), "qemu exited:\n" + qemu.output());
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
        Thread.sleep(200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("qemu never listened on " + port + ":\n" + qemu.output());
  }
}
