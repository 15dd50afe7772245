package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.experiment.ExperimentLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.json's topology section, as COMMON's schema has it, from the file alone and from a run. */
class TopologySectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String FILE = """
      name = topo
      duration = 2s
      networks {
        a { type = switch, ports = ["socket,id=ext1,listen=127.0.0.1:0"] }
        b { type = hub }
        rack-1 { type = switch }
        rack-2 { type = switch }
      }
      links { ab { between = [a, b], latency = 40ms, jitter = 5ms, rate = 10Mbit, loss = 0.1% } }
      vms {
        hosts { count = 3, network = a, ip = "10.0.0.10/24" }
        leased { count = 2, network = b, dhcp = true }
        own { netdev = "socket,id=n,connect=127.0.0.1:9", ip = "10.0.0.5/24" }
        leaf { count = 2, router = true,
               nics = [ { network = "rack-{index}", ip = "10.{index}.0.1/24" }, { network = a, ip = "10.0.0.{index}/24" } ] }
      }
      """;

  @Test
  void networksFleetsAndLinksAsTheFileHasThem() throws Exception {
    JsonNode t = TopologySection.of(ExperimentLoader.parse(FILE, "topo.conf"));
    assertEquals(List.of("networks", "fleets", "links"), fieldNames(t));
    assertEquals(JSON.readTree("""
        [ { "name": "a", "type": "switch", "ports": ["ext1"] }, { "name": "b", "type": "hub", "ports": [] },
          { "name": "rack-1", "type": "switch", "ports": [] }, { "name": "rack-2", "type": "switch", "ports": [] } ]
        """), t.get("networks"));
    assertEquals(JSON.readTree("""
        [ { "name": "hosts", "count": 3, "router": false,
            "nics": [ { "network": "a", "ip": "10.0.0.10/24", "dhcp": false } ] },
          { "name": "leased", "count": 2, "router": false,
            "nics": [ { "network": "b", "ip": null, "dhcp": true } ] },
          { "name": "own", "count": 1, "router": false,
            "nics": [ { "network": "netdev:socket,id=n,connect=127.0.0.1:9", "ip": "10.0.0.5/24", "dhcp": false } ] },
          { "name": "leaf", "count": 2, "router": true,
            "nics": [ { "network": "rack-1", "ip": "10.1.0.1/24", "dhcp": false, "networks": ["rack-1", "rack-2"] },
                      { "network": "a", "ip": "10.0.0.1/24", "dhcp": false } ] } ]
        """), t.get("fleets"));
    assertEquals(JSON.readTree("""
        [ { "name": "ab", "between": ["a", "b"], "latencyMillis": 40.0, "jitterMillis": 5.0,
            "rateBitsPerSecond": 10000000, "lossPercent": 0.1 } ]
        """), t.get("links"));
  }

  /** A run writes the same section, right after {@code experiment}. */
  @Test
  void aRunWritesItAfterTheExperiment(@TempDir Path dir) throws Exception {
    String file = """
        name = topo-run
        duration = 2s
        networks { a { type = switch }, b { type = switch } }
        links { ab { between = [a, b], latency = 1ms } }
        vms {
          x { network = a, ip = "10.0.0.1/24", workloads = ["ping 10.0.0.2 count=1"] }
          y { network = b, ip = "10.0.0.2/24" }
        }
        """;
    RunHarness.Ran ran = RunHarness.runVirtual(file, dir);
    assertEquals(List.of("experiment", "topology"), fieldNames(ran.results()).subList(0, 2));
    assertEquals(TopologySection.of(ExperimentLoader.parse(file, "topo-run.conf")), ran.results().get("topology"));
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> i = n.fieldNames(); i.hasNext(); ) {
      out.add(i.next());
    }
    return out;
  }
}
