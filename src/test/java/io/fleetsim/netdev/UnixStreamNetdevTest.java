package io.fleetsim.netdev;

import static io.fleetsim.netdev.NetdevHarness.start;
import static io.fleetsim.netdev.NetdevHarness.unix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.link.DropCause;
import io.fleetsim.netdev.NetdevHarness.Started;
import io.fleetsim.netdev.TestPorts.EchoPort;
import io.fleetsim.netdev.TestPorts.QueuePort;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixStreamNetdevTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @TempDir
  Path dir;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void serverRoundTripOnePeerAtATimeAndPartialFrames() throws Exception {
    Path path = dir.resolve("n.sock");
    EchoPort port = new EchoPort("p");
    Started netdev = start(kit, unix("u1", true, path.toString(), Duration.ZERO), port);
    assertEquals("listening on unix:" + path, netdev.ready().description());

    try (WireClient first = WireClient.connectUnix(path)) {
      first.writeFrame(WireClient.frame(1514, 1));
      assertArrayEquals(WireClient.frame(1514, 1), first.readFrame());
      first.writeFrame(new byte[0]);
      assertEquals(0, first.readFrame().length);

      WireClient second = WireClient.connectUnix(path); // waits in the backlog
      second.writeFrame(WireClient.frame(60, 2));
      CompletableFuture<byte[]> secondEcho = CompletableFuture.supplyAsync(() -> {
        try {
          return second.readFrame();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      first.writeFrame(WireClient.frame(70, 3));
      assertArrayEquals(WireClient.frame(70, 3), first.readFrame());
      assertFalse(secondEcho.isDone(), "the second peer is not served while the first is");
      assertEquals(1, port.materialized.get());
      first.writeRaw(new byte[] {0, 0, 1, 0, 9, 9}); // a partial frame, then close
      first.close();
      assertArrayEquals(WireClient.frame(60, 2), secondEcho.get(10, TimeUnit.SECONDS));
      second.close();
    }
    StreamServerNetdevTest.awaitDrop(port, DropCause.PEER_LOST, 1);
    kit.stop(netdev.ref(), Duration.ofSeconds(10));
    awaitGone(path);
  }

  @Test
  void aStaleSocketFileIsReplacedButOtherFilesAreLeftAlone() throws Exception {
    Path stale = dir.resolve("stale.sock");
    try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      old.bind(UnixDomainSocketAddress.of(stale));
    } // closed: the file stays behind, as after a crash
    assertTrue(Files.exists(stale));
    Started netdev = start(kit, unix("u2", true, stale.toString(), Duration.ZERO),
        new EchoPort("p"));
    assertEquals("listening on unix:" + stale, netdev.ready().description());
    try (WireClient client = WireClient.connectUnix(stale)) {
      client.writeFrame(WireClient.frame(64, 1));
      assertArrayEquals(WireClient.frame(64, 1), client.readFrame());
    }

    Path regular = dir.resolve("notes.txt");
    Files.writeString(regular, "keep me");
    Started refused = start(kit, unix("u3", true, regular.toString(), Duration.ZERO),
        new EchoPort("q"));
    assertEquals(new NetdevStatus.Failed("u3", "can't bind unix socket " + regular
        + ": the path exists and is not a socket (left untouched)"), refused.status());
    assertEquals("keep me", Files.readString(regular));
  }

  @Test
  void clientRoundTripAndMissingSocket() throws Exception {
    Path path = dir.resolve("server.sock");
    QueuePort port = new QueuePort("p");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      Started netdev = start(kit, unix("u4", false, path.toString(), Duration.ZERO), port);
      assertEquals("connected to unix:" + path, netdev.ready().description());
      try (WireClient peer = new WireClient(server.accept())) {
        peer.writeFrame(WireClient.frame(1000, 1));
        assertArrayEquals(WireClient.frame(1000, 1), port.take().toArray());
        port.send(WireClient.bytes(WireClient.frame(90, 2)));
        assertArrayEquals(WireClient.frame(90, 2), peer.readFrame());
      }
      port.awaitRunning(0);
    }

    Started missing = start(kit,
        unix("u5", false, dir.resolve("nobody.sock").toString(), Duration.ZERO),
        new QueuePort("q"));
    assertTrue(missing.status() instanceof NetdevStatus.Failed failed
            && failed.reason().startsWith("can't connect socket: "),
        missing.status().toString());
  }

  @Test
  void stoppingTheNetdevClosesItsPeerAndRemovesTheSocketFile() throws Exception {
    Path path = dir.resolve("stop.sock");
    EchoPort port = new EchoPort("p");
    Started netdev = start(kit, unix("u6", true, path.toString(), Duration.ZERO), port);
    try (WireClient client = WireClient.connectUnix(path)) {
      client.writeFrame(WireClient.frame(60, 1));
      assertArrayEquals(WireClient.frame(60, 1), client.readFrame());
      kit.stop(netdev.ref(), Duration.ofSeconds(10)); // a read is parked on the peer's socket
      assertEquals(-1, client.read(), "the peer sees the connection closed");
    }
    port.awaitRunning(0);
    awaitGone(path);
  }

  static void awaitGone(Path path) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.exists(path)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " still exists after the netdev stopped");
      }
      Thread.sleep(5);
    }
  }
}
