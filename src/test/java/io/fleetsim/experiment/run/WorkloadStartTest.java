package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An experiment's workloads start together once every VM is up and linked: a VM that booted
 * first does not send into a network where its peer is still booting (its frames were dropped
 * as no-peer at the peer's fabric port, and a fleet's first pings or datagrams were lost).
 */
class WorkloadStartTest {
  @TempDir
  Path dir;

  @Test
  void noVmSendsToAPeerStillBooting() throws Exception {
    // static ARP: the very first frame of each VM is its datagram, sent as soon as it may
    RunHarness.Ran ran = RunHarness.run("""
        name = together
        duration = 3s
        networks { lan { type = switch } }
        vms {
          n { count = 1000, network = lan, ip = "10.0.0.1/22", arp = static,
              workloads = ["udp-sink 9000", "udp-send {next}:9000 count=3 rate=100/s size=64B"] }
        }
        """, dir);
    List<String> noPeer = new ArrayList<>();
    for (JsonNode link : ran.results().get("links")) {
      if (link.path("dropped").path("no-peer").asLong() > 0) {
        noPeer.add(link.get("name").asText() + " " + link.get("dropped"));
      }
    }
    assertEquals(List.of(), noPeer, "frames sent to a peer that was not linked yet");
    for (int i = 1; i <= 1000; i++) {
      JsonNode out = ran.link("n-" + i + "/eth0 out");
      assertEquals(3, out.get("sent").asLong(), "n-" + i + " sent its datagrams: " + out);
      assertEquals(3, out.get("delivered").asLong(), "the switch took them: " + out);
    }
    assertTrue(ran.outcome().accountingOk(), ran.results().at("/accounting").toString());
  }
}
