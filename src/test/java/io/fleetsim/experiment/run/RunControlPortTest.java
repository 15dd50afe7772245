package io.fleetsim.experiment.run;

import static io.fleetsim.experiment.run.RunControlTest.PATIENCE;
import static io.fleetsim.experiment.run.RunControlTest.await;
import static io.fleetsim.experiment.run.RunControlTest.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.control.Control;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Readings;
import io.fleetsim.control.Reply;
import io.fleetsim.control.VmAction;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * link-down posted on a network's QEMU port: every frame the peer behind it sends is dropped as
 * link-down while it is on, counted in the port's books (which balance), and the fault ends when
 * the API ends it.
 */
class RunControlPortTest {
  private static final int FRAMES = 20;

  @TempDir
  Path dir;

  @Test
  void linkDownOnAQemuPortDropsWhatItsPeerSends() throws Exception {
    int port = Ports.free();
    List<String> said = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Control> made = new AtomicReference<>();
    CompletableFuture<RunHarness.Ran> run = RunHarness.start("""
        name = port-down
        duration = 5s
        networks { lan { type = switch, ports = ["socket,id=ext,listen=127.0.0.1:%d"] } }
        vms { a { network = lan, ip = "10.0.0.1/24", arp = static } }
        """.formatted(port), dir, said, r -> made.set(r.control()));
    RunHarness.awaitSaid(run, said, "netdev ext (lan): listening on 127.0.0.1:" + port, PATIENCE);
    Control control = made.get();
    try (FramedClient peer = FramedClient.connect("127.0.0.1", port)) {
      await(() -> control.status().state().equals("running"), run);
      Reply<FaultView> on = reply(control.addFault("{\"kind\":\"link-down\",\"target\":\"ext\"}"));
      assertInstanceOf(Reply.Done.class, on, "" + on);
      assertEquals("active", ((Reply.Done<FaultView>) on).value().state());
      assertInstanceOf(Reply.NotFound.class, reply(control.vmAction("ext", VmAction.LINK_UP)),
          "a port is not a VM");
      byte[] broadcast = new byte[60];
      java.util.Arrays.fill(broadcast, 0, 6, (byte) 0xff); // to everyone
      broadcast[6] = 0x52; // from 52:54:00:00:00:09, a QEMU MAC
      broadcast[7] = 0x54;
      broadcast[11] = 0x09;
      broadcast[12] = 0x08; // IPv4, not that it matters to a dead wire
      for (int i = 0; i < FRAMES; i++) {
        peer.send(broadcast);
      }
      await(() -> linkDownDrops(control.readings()) >= FRAMES, run);
      Reply<FaultView> off = reply(control.endFault("a1"));
      assertEquals("ended", ((Reply.Done<FaultView>) off).value().state(), "" + off);
      RunHarness.Ran ran = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertTrue(ran.outcome().accountingOk(), ran.outcome().accountingErrors().toString());
      long dropped = 0;
      for (JsonNode l : ran.results().get("links")) {
        if (l.path("port").asText().equals("ext")) {
          dropped += l.at("/dropped/link-down").asLong();
        }
      }
      assertEquals(FRAMES, dropped, ran.results().get("links").toString());
    }
  }

  private static long linkDownDrops(Readings r) {
    long n = 0;
    for (Readings.PortReading p : r.ports()) {
      if (p.port().equals("ext")) {
        n += p.drops().getOrDefault("link-down", 0L);
      }
    }
    return n;
  }
}
