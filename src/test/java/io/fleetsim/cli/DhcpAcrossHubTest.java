package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slirp-free DHCP set-up across real processes: a {@code fleetsim hub} process with two
 * listening ports, and a {@code fleetsim run} process whose dhcp-server VM and DHCP client VM
 * each connect their own netdev to one of them. Every DHCP and ICMP frame crosses the hub's TCP
 * sockets in QEMU's framing.
 */
@Timeout(180)
class DhcpAcrossHubTest {
  private static final Duration START = Duration.ofSeconds(60);

  @Test
  void aSimulatedVmLeasesFromASimulatedServerAcrossAHubProcess(@TempDir Path dir) throws Exception {
    int pa = Ports.free();
    int pb = Ports.free();
    Path file = dir.resolve("dhcp-hub.conf");
    Files.writeString(file, """
        name = dhcp-hub
        duration = 20s
        vms {
          dhcpd { netdev = "socket,id=srv,connect=127.0.0.1:%d", ip = "10.1.0.2/24",
                  workloads = ["dhcp-server 10.1.0.100-10.1.0.199 router=10.1.0.2 lease=10m"] }
          leased { netdev = "socket,id=cli,connect=127.0.0.1:%d", dhcp = true,
                   workloads = ["ping 10.1.0.2 count=5 interval=200ms"] }
        }
        report { html = false }
        """.formatted(pa, pb));
    Path results = dir.resolve("results");
    try (Fleetsim hub = Fleetsim.start("hub", "-netdev", "socket,id=a,listen=127.0.0.1:" + pa,
        "-netdev", "socket,id=b,listen=127.0.0.1:" + pb)) {
      hub.awaitLine(l -> l.startsWith("hub ready: 2 ports"), START);
      try (Fleetsim run = Fleetsim.start("run", file.toString(), "--results", results.toString())) {
        assertEquals(0, run.awaitExit(Duration.ofSeconds(120)), run.output());
      }
      assertEquals(0, hub.terminate(START), hub.output());
    }
    Path folder;
    try (Stream<Path> s = Files.list(results)) {
      folder = s.toList().get(0);
    }
    JsonNode r = new ObjectMapper().readTree(folder.resolve("results.json").toFile());
    JsonNode server = null;
    JsonNode ping = null;
    for (JsonNode w : r.get("workloads")) {
      if (w.path("vm").asText().equals("dhcpd")) {
        server = w;
      } else {
        ping = w;
      }
    }
    assertTrue(server != null && ping != null, r.get("workloads").toString());
    JsonNode leases = server.path("result").path("leases");
    assertEquals(1, leases.size(), server.toString());
    assertEquals("10.1.0.100", leases.get(0).path("address").asText());
    assertEquals(1, server.path("result").path("acks").asLong(), server.toString());
    assertTrue(server.path("result").path("offers").asLong() >= 1, server.toString());
    assertEquals(5, ping.path("received").asLong(), ping.toString());
    assertTrue(ping.path("success").asBoolean(), ping.toString());
  }
}
