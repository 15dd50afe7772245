package io.fleetsim.netdev;

import static io.fleetsim.netdev.NetdevHarness.listen;
import static io.fleetsim.netdev.NetdevHarness.start;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.fleetsim.netdev.NetdevHarness.Started;
import io.fleetsim.netdev.TestPorts.EchoPort;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.ActorIdentity;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Fault (c): a thousand peers come and go on one listen netdev; afterwards no socket, thread or
 * actor is left behind.
 */
class ChurnTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final int CYCLES = 1000;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** Actors below {@code path} (recursively), found by asking each level to identify itself. */
  static int actorsUnder(String path) {
    TestProbe<Object> probe = kit.createTestProbe();
    ActorSelection children = kit.system().classicSystem().actorSelection(path + "/*");
    children.tell(new Identify("count"), Adapter.toClassic(probe.getRef()));
    java.util.List<String> found = new java.util.ArrayList<>();
    while (true) {
      try {
        ActorIdentity id = probe.expectMessageClass(ActorIdentity.class, Duration.ofMillis(100));
        id.getActorRef().ifPresent(ref -> found.add(ref.path().toStringWithoutAddress()));
      } catch (AssertionError quiet) {
        break;
      }
    }
    int count = found.size();
    for (String child : found) {
      count += actorsUnder(child);
    }
    return count;
  }

  static void awaitAtMost(String what, IntSupplier current, int limit) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    int now = current.getAsInt();
    while (now > limit) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": " + now + " > " + limit);
      }
      Thread.sleep(50);
      now = current.getAsInt();
    }
  }

  static void cycle(int port, int i) throws Exception {
    try (WireClient client = WireClient.connect(port)) {
      byte[] frame = WireClient.frame(64, i);
      client.writeFrame(frame);
      assertArrayEquals(frame, client.readFrame());
    }
  }

  @Test
  void aThousandPeersLeaveNoSocketsThreadsOrActorsBehind() throws Exception {
    Logger netdevLog = (Logger) LoggerFactory.getLogger("io.fleetsim.netdev");
    Level before = netdevLog.getLevel();
    netdevLog.setLevel(Level.WARN); // 2000 connect/disconnect lines say nothing here
    try {
      EchoPort port = new EchoPort("churn");
      Started netdev = start(kit, listen("churn", 0), port);
      String netdevPath = netdev.ref().path().toStringWithoutAddress();
      int idleActors = actorsUnder(netdevPath); // a netdev that never had a peer
      for (int i = 0; i < 20; i++) {
        cycle(netdev.boundPort(), i);
      }
      port.awaitRunning(0);
      // the warm-up's peers are gone once their streams' actors are: the baseline is a netdev
      // without peers, not one still closing the last of them
      awaitAtMost("actors under the netdev after the warm-up", () -> actorsUnder(netdevPath), idleActors);
      int fds = openFds();
      int threads = threads();
      int netdevActors = actorsUnder(netdevPath);

      // The counts do see a live peer (its stream and its socket).
      try (WireClient live = WireClient.connect(netdev.boundPort())) {
        live.writeFrame(new byte[60]);
        live.readFrame();
        assertTrue(actorsUnder(netdevPath) > netdevActors, "a peer's stream is an actor");
        assertTrue(openFds() > fds, "a peer's socket is an fd");
      }

      long began = System.nanoTime();
      for (int i = 0; i < CYCLES; i++) {
        cycle(netdev.boundPort(), i);
      }
      System.out.printf("%d cycles in %d ms%n", CYCLES, (System.nanoTime() - began) / 1_000_000);
      port.awaitRunning(0);
      assertEquals(CYCLES + 21, port.materialized.get(), "one link per peer");

      awaitAtMost("open fds", ChurnTest::openFds, fds + 2);
      awaitAtMost("threads", ChurnTest::threads, threads + 4);
      awaitAtMost("actors under the netdev", () -> actorsUnder(netdevPath), netdevActors);
      System.out.printf("after %d cycles: fds %d -> %d, threads %d -> %d, netdev actors %d%n",
          CYCLES, fds, openFds(), threads, threads(), netdevActors);
    } finally {
      netdevLog.setLevel(before);
    }
  }
}
