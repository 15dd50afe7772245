package io.fleetsim.netdev;

import static io.fleetsim.netdev.NetdevHarness.listen;
import static io.fleetsim.netdev.NetdevHarness.start;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.netdev.NetdevHarness.Started;
import io.fleetsim.netdev.TestPorts.QueuePort;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real QEMU (skipped when qemu-system-x86_64 is not installed): QEMU's user-mode
 * network (slirp) on a hub with a stream netdev answers an ARP request for its gateway 10.0.2.2
 * that fleetsim sends through one of its own netdevs.
 */
class QemuInteropTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final String QEMU = "qemu-system-x86_64";
  static final byte[] MAC = {0x52, 0x54, 0, 0x12, 0x34, 0x56};

  @TempDir
  Path dir;

  @BeforeAll
  static void needsQemu() {
    boolean found = false;
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      found |= new File(entry, QEMU).canExecute();
    }
    Assumptions.assumeTrue(found, QEMU + " is not installed");
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static Process qemu(String netdev) throws Exception {
    List<String> command = new ArrayList<>(List.of(QEMU, "-M", "none", "-nodefaults",
        "-nographic", "-display", "none", "-netdev", netdev,
        "-netdev", "user,id=u0,restrict=on",
        "-netdev", "hubport,id=h0,hubid=0,netdev=s0",
        "-netdev", "hubport,id=h1,hubid=0,netdev=u0"));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
  }

  static ByteString arpRequestForGateway() {
    ByteBuffer frame = ByteBuffer.allocate(60);
    frame.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(MAC).putShort((short) 0x0806);
    frame.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4)
        .putShort((short) 1);
    frame.put(MAC).put(new byte[] {10, 0, 2, 15}).put(new byte[6]).put(new byte[] {10, 0, 2, 2});
    return ByteString.fromArray(frame.array());
  }

  static void assertArpReplyFromSlirp(QueuePort port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ByteString frame = port.take();
      if (frame.length() >= 42 && frame.apply(12) == 0x08 && frame.apply(13) == 0x06
          && frame.apply(21) == 2) {
        assertEquals(ByteString.fromArray(MAC), frame.slice(0, 6), "a reply to us");
        assertEquals(ByteString.fromArray(new byte[] {10, 0, 2, 2}), frame.slice(28, 32));
        return;
      }
    }
    throw new AssertionError("no ARP reply from QEMU's slirp");
  }

  @Test
  void qemuConnectsToOurListenNetdev() throws Exception {
    QueuePort port = new QueuePort("p");
    Started netdev = start(kit, listen("q1", 0), port);
    Process qemu = qemu("socket,id=s0,connect=127.0.0.1:" + netdev.boundPort());
    try {
      port.send(arpRequestForGateway());
      assertArpReplyFromSlirp(port);
    } finally {
      qemu.destroy();
      qemu.waitFor(10, TimeUnit.SECONDS);
    }
    port.awaitRunning(0); // QEMU gone: the peer is gone
  }

  @Test
  void ourUnixClientReachesAQemuStreamServer() throws Exception {
    Path path = dir.resolve("qemu.sock");
    Process qemu = qemu("stream,id=s0,server=on,addr.type=unix,addr.path=" + path);
    try {
      QueuePort port = new QueuePort("p");
      // QEMU needs a moment to create its socket: reconnect covers it (Ready then says
      // "connecting to ..." and the connection follows).
      Started netdev = start(kit,
          NetdevHarness.unix("q2", false, path.toString(), Duration.ofMillis(50)), port);
      String description = netdev.ready().description();
      org.junit.jupiter.api.Assertions.assertTrue(
          description.equals("connected to unix:" + path)
              || description.startsWith("connecting to unix:" + path), description);
      port.send(arpRequestForGateway());
      assertArpReplyFromSlirp(port);
    } finally {
      qemu.destroy();
      qemu.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
