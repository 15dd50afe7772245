package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM with two NICs in a run (virtual time): one e1000 and one link per NIC, each NIC reachable
 * on its own network, faults on the VM acting on both links, every frame accounted, and the
 * results' topology saying what the file built.
 */
class MultiNicRunTest {
  /** m on networks a and b; x on a pings m's eth0 address, y on b pings m's eth1 address. */
  private static String twoNetworks(String faults) {
    return """
        name = two-nics
        duration = 5s
        networks { a { type = switch }, b { type = switch } }
        vms {
          m { nics = [ { network = a, ip = "10.1.0.5/24" }, { network = b, ip = "10.2.0.5/24" } ] }
          x { network = a, ip = "10.1.0.10/24", workloads = ["ping 10.1.0.5 count=4 interval=500ms"] }
          y { network = b, ip = "10.2.0.10/24", workloads = ["ping 10.2.0.5 count=4 interval=500ms"] }
        }
        faults = [ %s ]
        report { html = false }
        """.formatted(faults);
  }

  @Test
  void aTwoNicVmAnswersOnBothNetworksWithOneLinkPerNic(@TempDir Path dir) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(twoNetworks(""), dir);
    assertEquals(4, ran.workload("x", 0).get("received").asInt(), ran.workload("x", 0).toString());
    assertEquals(4, ran.workload("y", 0).get("received").asInt(), ran.workload("y", 0).toString());
    // each NIC its own link, on its own network, carrying its own pings
    assertEquals("a", ran.link("m/eth0 in").get("network").asText());
    assertEquals("b", ran.link("m/eth1 in").get("network").asText());
    assertTrue(ran.link("m/eth0 out").get("sent").asLong() >= 4, ran.link("m/eth0 out").toString());
    assertTrue(ran.link("m/eth1 out").get("sent").asLong() >= 4, ran.link("m/eth1 out").toString());
    JsonNode m = vm(ran, "m");
    assertEquals(2, m.get("nics").size(), m.toString());
    assertEquals("eth1", m.at("/nics/1/nic").asText(), m.toString());
    assertEquals(2, m.at("/guest/interfaces").size(), m.toString());
    assertEquals("10.1.0.5/24", m.at("/guest/interfaces/0/address").asText().split(" ")[0]);
    assertEquals("10.2.0.5/24", m.at("/guest/interfaces/1/address").asText().split(" ")[0]);
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void aFaultOnAMultiNicVmActsOnEveryOneOfItsLinks(@TempDir Path dir) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(
        twoNetworks("{ at = 0s, kind = loss, target = m, probability = 1.0 }"), dir);
    assertEquals(0, ran.workload("x", 0).get("received").asInt(), ran.workload("x", 0).toString());
    assertEquals(0, ran.workload("y", 0).get("received").asInt(), ran.workload("y", 0).toString());
    long eth0 = ran.link("m/eth0 out").at("/dropped/fault-loss").asLong()
        + ran.link("m/eth0 in").at("/dropped/fault-loss").asLong();
    long eth1 = ran.link("m/eth1 out").at("/dropped/fault-loss").asLong()
        + ran.link("m/eth1 in").at("/dropped/fault-loss").asLong();
    assertTrue(eth0 >= 4 && eth1 >= 4, "both links dropped: " + ran.results().get("links"));
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void aLinkDownOnAMultiNicVmDownsEveryNic(@TempDir Path dir) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(
        twoNetworks("{ at = 1s, kind = link-down, target = m }"), dir);
    // the pings before 1 s are answered, none after
    assertTrue(ran.workload("x", 0).get("received").asInt() < 4, ran.workload("x", 0).toString());
    assertTrue(ran.workload("y", 0).get("received").asInt() < 4, ran.workload("y", 0).toString());
    // the guest's driver sees each NIC's carrier go
    for (String mac : new String[] {"52:54:00:00:00:01", "52:54:00:00:00:02"}) {
      assertTrue(ran.consoleOf("m").contains("e1000: " + mac + " link down"),
          mac + " lost its carrier: " + ran.consoleOf("m"));
    }
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }

  @Test
  void aCapturedMultiNicVmWritesOnePcapPerNic(@TempDir Path dir) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual(twoNetworks("").replace("report {",
        "capture = [m]\nreport {"), dir);
    Path eth0 = ran.outcome().folder().resolve("m.pcap");
    Path eth1 = ran.outcome().folder().resolve("m-eth1.pcap");
    // 24 bytes of header, then each NIC's own pings (4 requests, 4 replies at least)
    long header = 24;
    assertTrue(java.nio.file.Files.size(eth0) > header + 8 * 98, "m.pcap has eth0's frames");
    assertTrue(java.nio.file.Files.size(eth1) > header + 8 * 98, "m-eth1.pcap has eth1's frames");
    byte[] b = java.nio.file.Files.readAllBytes(eth1);
    assertTrue(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains(
        new String(new byte[] {10, 2, 0, 5}, java.nio.charset.StandardCharsets.ISO_8859_1)),
        "eth1's file holds 10.2.0.5's frames");
  }

  @Test
  void theTopologySectionListsNetworksAndFleetsWithEveryNic(@TempDir Path dir) throws Exception {
    RunHarness.Ran ran = RunHarness.runVirtual("""
        name = topo
        duration = 1s
        networks {
          a { type = switch }
          b { type = hub }
          "rack-1" { type = switch }
          "rack-2" { type = switch }
        }
        vms {
          r { router = true, nics = [ { network = a, ip = "10.1.0.1/24" }, { network = b, dhcp = true } ] }
          leaf { count = 2, router = true,
                 nics = [ { network = "rack-{index}", ip = "10.{index}.0.1/24" }, { network = a, ip = "10.1.0.11/24" } ] }
        }
        report { html = false }
        """, dir);
    JsonNode t = ran.results().get("topology");
    assertEquals(Results.JSON.readTree("""
        { "networks": [ { "name": "a", "type": "switch", "ports": [] },
                        { "name": "b", "type": "hub", "ports": [] },
                        { "name": "rack-1", "type": "switch", "ports": [] },
                        { "name": "rack-2", "type": "switch", "ports": [] } ],
          "fleets": [ { "name": "r", "count": 1, "router": true, "nics": [
                          { "network": "a", "ip": "10.1.0.1/24", "dhcp": false },
                          { "network": "b", "ip": null, "dhcp": true } ] },
                      { "name": "leaf", "count": 2, "router": true, "nics": [
                          { "network": "rack-1", "ip": "10.1.0.1/24", "dhcp": false,
                            "networks": ["rack-1", "rack-2"] },
                          { "network": "a", "ip": "10.1.0.11/24", "dhcp": false } ] } ],
          "links": [] }
        """), t);
    // written right after experiment
    var names = ran.results().fieldNames();
    assertEquals("experiment", names.next());
    assertEquals("topology", names.next());
  }

  private static JsonNode vm(RunHarness.Ran ran, String name) {
    for (JsonNode v : ran.results().get("vms")) {
      if (v.get("vm").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no vm " + name);
  }
}
