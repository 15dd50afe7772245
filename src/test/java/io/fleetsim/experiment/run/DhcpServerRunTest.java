package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet with {@code dhcp = true} leasing from a simulated VM's dhcp-server, in virtual time:
 * every VM gets an address from the pool and its gateway from the router option, pings the
 * server, and the server's results list the leases.
 */
class DhcpServerRunTest {
  @TempDir
  Path dir;

  static final String FILE = """
      name = dhcpd
      duration = 30s
      networks { lan { type = switch } }
      vms {
        dhcpd { network = lan, ip = "10.1.0.2/24",
                workloads = ["dhcp-server 10.1.0.100-10.1.0.199 router=10.1.0.2 lease=10m"] }
        leased { count = 3, network = lan, dhcp = true,
                 workloads = ["ping 10.1.0.2 count=3 interval=200ms"] }
      }
      """;

  @Test
  void aDhcpFleetLeasesFromASimulatedServerAndPingsIt() throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(FILE, dir);
    assertTrue(ran.outcome().accountingOk(), ran.outcome().accountingErrors().toString());
    assertEquals(java.util.List.of(), ran.outcome().failedWorkloads(), "exit status 0");

    Map<String, String> leasedTo = new LinkedHashMap<>();
    for (int i = 1; i <= 3; i++) {
      JsonNode ping = ran.workload("leased-" + i, 0);
      assertEquals(3, ping.path("received").asLong(), ping.toString());
    }
    JsonNode server = ran.workload("dhcpd", 0);
    assertTrue(server.path("success").asBoolean(), server.toString());
    JsonNode result = server.path("result");
    assertEquals(3, result.path("acks").asLong(), result.toString());
    assertEquals(0, result.path("exhausted").asLong());
    assertEquals("10.1.0.2/24", result.path("server").asText());
    for (JsonNode lease : result.path("leases")) {
      leasedTo.put(lease.path("client").asText(), lease.path("address").asText());
      assertTrue(lease.path("expiresInSeconds").asLong() > 500, lease.toString());
    }
    assertEquals(3, leasedTo.size(), result.toString());
    assertEquals(new TreeSet<>(java.util.List.of("10.1.0.100", "10.1.0.101", "10.1.0.102")),
        new TreeSet<>(leasedTo.values()));
    // each client's interface in results.json has the leased address and the router as gateway
    for (JsonNode vm : ran.results().get("vms")) {
      if (!vm.path("name").asText().startsWith("leased")) {
        continue;
      }
      String text = vm.toString();
      String mac = vm.path("mac").asText();
      assertTrue(leasedTo.containsKey(mac), mac + " not among " + leasedTo.keySet());
      assertTrue(text.contains(leasedTo.get(mac)), text);
    }
    // the report's dhcp-server table lists the leases
    String html = java.nio.file.Files.readString(ran.outcome().folder().resolve("report.html"));
    int table = html.indexOf("id=\"dhcp-server\"");
    assertTrue(table > 0, "no dhcp-server table");
    String rows = html.substring(table, html.indexOf("</table>", table));
    assertTrue(rows.contains("3 of 100 leased"), rows);
    for (Map.Entry<String, String> e : leasedTo.entrySet()) {
      assertTrue(rows.contains(e.getValue() + "</span> " + e.getKey()), rows);
    }
    assertTrue(ran.console().contains("dhcp-server 10.1.0.100-10.1.0.199 on 10.1.0.2/24: 3 offers, 3 acks"),
        ran.console());
  }

  @Test
  void theSameSeedLeasesTheSameWay(@TempDir Path other) throws Exception {
    RunHarness.Ran a = RunHarness.runVirtual(FILE, dir);
    RunHarness.Ran b = RunHarness.runVirtual(FILE, other);
    assertEquals(a.results().get("workloads"), b.results().get("workloads"));
    assertEquals(a.results().get("vms"), b.results().get("vms"));
  }
}
