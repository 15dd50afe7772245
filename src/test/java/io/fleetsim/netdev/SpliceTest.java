package io.fleetsim.netdev;

import static io.fleetsim.netdev.NetdevHarness.connect;
import static io.fleetsim.netdev.NetdevHarness.listen;
import static io.fleetsim.netdev.NetdevHarness.unix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortStats;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.time.RealClock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-port hub of stream netdevs, spliced and through the fabric: every scenario runs both
 * ways and must give the same frames in the same order and the same counters.
 */
@Timeout(300)
class SpliceTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final int MAX = NetdevSettings.QEMU_MAX_FRAME;
  static final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "splice-test");
    t.setDaemon(true);
    return t;
  });

  @AfterAll
  static void shutdown() {
    threads.shutdownNow();
    kit.shutdownTestKit();
  }

  /** A hub with ports a and b, their netdevs started from the specs, spliced or not. */
  static final class Hub implements AutoCloseable {
    final FabricPort a;
    final FabricPort b;
    final ActorRef<Fabric.Command> fabric;
    final List<NetdevHarness.Started> netdevs = new ArrayList<>();

    Hub(boolean splice, NetdevSpec specA, NetdevSpec specB) throws Exception {
      FabricSettings settings = FabricSettings.defaults();
      fabric = kit.spawn(Fabric.hub(settings, RealClock.system()));
      a = FabricPort.attach(fabric, settings, "a").toCompletableFuture().get();
      b = FabricPort.attach(fabric, settings, "b").toCompletableFuture().get();
      List<Port> ports = splice ? Splice.pair(a, b, NetdevSettings.defaults()) : List.of(a, b);
      netdevs.add(NetdevHarness.start(kit, specA, ports.get(0)));
      netdevs.add(NetdevHarness.start(kit, specB, ports.get(1)));
      netdevs.forEach(NetdevHarness.Started::ready);
    }

    List<PortStats> stats() {
      return List.of(a.counters().snapshot("a"), b.counters().snapshot("b"));
    }

    @Override
    public void close() {
      netdevs.forEach(n -> kit.stop(n.ref()));
      kit.stop(fabric);
    }
  }

  /**
   * The hub's stats (a's, b's) once they reach the state a scenario expects, which it knows from
   * what it sent; fails with the stats if they do not within a generous deadline.
   */
  static List<PortStats> awaitStats(Hub hub, java.util.function.Predicate<List<PortStats>> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<PortStats> now = hub.stats();
    while (!expected.test(now)) {
      assertTrue(System.nanoTime() < deadline, "the counters never reached the expected state: " + now);
      Thread.sleep(10);
      now = hub.stats();
    }
    return now;
  }

  private static long drops(PortStats s, String cause) {
    return s.drops().get(cause);
  }

  // --- frames ----------------------------------------------------------------------------------

  /** Frame {@code seq} of a stream seeded {@code seed}: its size and every byte follow from both. */
  static byte[] frame(long seed, long seq) {
    long h = mix(seed * 1_000_003 + seq);
    int size;
    if (seq % 97 == 0) {
      size = 0; // zero-length frames are valid and pass
    } else if ((h & 15) == 0) {
      size = (int) ((h >>> 8) % (MAX + 1)); // one in 16 anywhere up to the limit
    } else {
      size = (int) ((h >>> 8) % 1600);
    }
    byte[] f = new byte[size];
    for (int i = 0; i < size; i++) {
      f[i] = i < 8 ? (byte) (seq >>> (56 - 8 * i)) : (byte) (h + i * 31L);
    }
    return f;
  }

  static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    return x ^ (x >>> 33);
  }

  /** Sends frames 0..count-1 of stream {@code seed}; returns the payload bytes sent. */
  static Callable<Long> sender(Socket socket, long seed, long count) {
    return () -> {
      DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
      long bytes = 0;
      for (long seq = 0; seq < count; seq++) {
        byte[] f = frame(seed, seq);
        out.writeInt(f.length);
        out.write(f);
        bytes += f.length;
      }
      out.flush();
      return bytes;
    };
  }

  /** Reads {@code count} frames and checks each is the next of stream {@code seed}. */
  static Callable<Long> receiver(Socket socket, long seed, long count) {
    return () -> {
      DataInputStream in = new DataInputStream(
          new BufferedInputStream(socket.getInputStream(), 64 * 1024));
      for (long seq = 0; seq < count; seq++) {
        int length = in.readInt();
        byte[] got = new byte[length];
        in.readFully(got);
        byte[] want = frame(seed, seq);
        if (!java.util.Arrays.equals(want, got)) {
          throw new AssertionError("frame " + seq + " differs: " + length + " bytes, expected "
              + want.length);
        }
      }
      return count;
    };
  }

  // --- scenarios -------------------------------------------------------------------------------

  /** The hub's netdevs connect to two sockets of ours, so both peers are there once Ready. */
  static List<PortStats> bothWays(boolean splice, long frames) throws Exception {
    try (ServerSocket ta = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket tb = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Hub hub = new Hub(splice, connect("a", ta.getLocalPort(), Duration.ZERO),
             connect("b", tb.getLocalPort(), Duration.ZERO));
         Socket a = ta.accept();
         Socket b = tb.accept()) {
      Future<Long> aSent = threads.submit(sender(a, 1, frames));
      Future<Long> bSent = threads.submit(sender(b, 2, frames));
      Future<Long> bGot = threads.submit(receiver(b, 1, frames));
      Future<Long> aGot = threads.submit(receiver(a, 2, frames));
      assertEquals(frames, bGot.get(200, TimeUnit.SECONDS));
      assertEquals(frames, aGot.get(200, TimeUnit.SECONDS));
      // every frame each side sent is in and out of the hub
      List<PortStats> stats = awaitStats(hub, s -> s.get(0).framesIn() == frames
          && s.get(1).framesIn() == frames && s.get(0).framesOut() == frames
          && s.get(1).framesOut() == frames);
      assertEquals(aSent.get(), stats.get(0).bytesIn());
      assertEquals(bSent.get(), stats.get(0).bytesOut());
      assertEquals(aSent.get(), stats.get(1).bytesOut());
      assertEquals(0, stats.get(0).dropped() + stats.get(1).dropped());
      return stats;
    }
  }

  @Test
  void framesOfEverySizeArriveIntactAndInOrderBothWaysWithTheFabricsCounters() throws Exception {
    long frames = 100_000;
    List<PortStats> spliced = bothWays(true, frames);
    List<PortStats> fabric = bothWays(false, frames);
    assertEquals(fabric, spliced);
  }

  @Test
  void unixSocketsAreSplicedToo(@TempDir Path dir) throws Exception {
    Path pa = dir.resolve("a.sock");
    Path pb = dir.resolve("b.sock");
    try (ServerSocketChannel tb = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      tb.bind(UnixDomainSocketAddress.of(pb));
      try (Hub hub = new Hub(true, unix("a", true, pa.toString(), Duration.ZERO),
              unix("b", false, pb.toString(), Duration.ZERO));
           SocketChannel b = tb.accept();
           SocketChannel a = SocketChannel.open(UnixDomainSocketAddress.of(pa))) {
        DataOutputStream toA = new DataOutputStream(Channels.newOutputStream(a));
        DataInputStream fromA = new DataInputStream(Channels.newInputStream(a));
        DataOutputStream toB = new DataOutputStream(Channels.newOutputStream(b));
        DataInputStream fromB = new DataInputStream(Channels.newInputStream(b));
        // b is attached (its netdev connected before Ready); a's accept may still be under way
        byte[] probe = new byte[] {1, 2, 3};
        toB.writeInt(probe.length);
        toB.write(probe);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hub.a.counters().snapshot("a").framesOut() == 0) {
          assertTrue(System.nanoTime() < deadline, "a never got its peer");
          toB.writeInt(probe.length);
          toB.write(probe);
          Thread.sleep(20);
        }
        assertEquals(probe.length, fromA.readInt());
        byte[] got = new byte[probe.length];
        fromA.readFully(got);
        assertArrayEquals(probe, got);
        byte[] frame = frame(3, 5);
        toA.writeInt(frame.length);
        toA.write(frame);
        assertEquals(frame.length, fromB.readInt());
        got = new byte[frame.length];
        fromB.readFully(got);
        assertArrayEquals(frame, got);
      }
    }
  }

  static void awaitFramesIn(FabricPort port, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (port.counters().snapshot(port.name()).framesIn() < atLeast) {
      assertTrue(System.nanoTime() < deadline, "port " + port.name() + " got too few frames");
      Thread.sleep(10);
    }
  }

  /** {@code stats} with peer-lost counted as no-peer: which one a frame gets can be a race. */
  private static PortStats peerDropsMerged(PortStats stats) {
    java.util.Map<String, Long> drops = new java.util.TreeMap<>(stats.drops());
    drops.merge("no-peer", drops.getOrDefault("peer-lost", 0L), Long::sum);
    drops.put("peer-lost", 0L);
    return new PortStats(stats.port(), stats.framesIn(), stats.bytesIn(), stats.framesOut(),
        stats.bytesOut(), drops);
  }

  /** Three good frames, then a length above the limit: only that connection closes. */
  static List<PortStats> oversize(boolean splice) throws Exception {
    try (ServerSocket ta = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket tb = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Hub hub = new Hub(splice, connect("a", ta.getLocalPort(), Duration.ZERO),
             connect("b", tb.getLocalPort(), Duration.ZERO));
         Socket a = ta.accept();
         Socket b = tb.accept()) {
      DataOutputStream toA = new DataOutputStream(a.getOutputStream());
      ByteBuffer wire = ByteBuffer.allocate(3 * 104 + 4 + 16);
      for (int i = 0; i < 3; i++) {
        wire.putInt(100).put(new byte[100]);
      }
      wire.putInt(MAX + 1).put(new byte[16]);
      toA.write(wire.array(), 0, wire.position());
      toA.flush();
      DataInputStream fromB = new DataInputStream(b.getInputStream());
      for (int i = 0; i < 3; i++) {
        assertEquals(100, fromB.readInt());
        fromB.readFully(new byte[100]);
      }
      a.setSoTimeout(10_000);
      try {
        assertEquals(-1, a.getInputStream().read(), "the hub closed a's connection");
      } catch (java.net.SocketException reset) {
        // closed with our bytes unread: a reset is a close too
      }
      // b is still connected: its frame is read and dropped, a has no peer any more
      DataOutputStream toB = new DataOutputStream(b.getOutputStream());
      toB.writeInt(10);
      toB.write(new byte[10]);
      toB.flush();
      // b's frame found a without a peer: no-peer, or peer-lost when the fabric queued it for a
      // just before it learnt that a's connection had ended (the test saw the close first)
      List<PortStats> stats = awaitStats(hub, s -> s.get(1).framesIn() == 1
          && drops(s.get(0), "no-peer") + drops(s.get(0), "peer-lost") == 1);
      assertEquals(1, stats.get(0).drops().get("oversize"));
      assertEquals(3, stats.get(0).framesIn());
      assertEquals(3, stats.get(1).framesOut());
      return stats.stream().map(SpliceTest::peerDropsMerged).toList();
    }
  }

  @Test
  void anOversizeLengthClosesOnlyThatConnectionAndIsCounted() throws Exception {
    assertEquals(oversize(false), oversize(true));
  }

  /** b's peer stops reading: a's sender is blocked after bounded memory, and nothing is lost. */
  static void backPressure(boolean splice) throws Exception {
    try (ServerSocket ta = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket tb = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Hub hub = new Hub(splice, connect("a", ta.getLocalPort(), Duration.ZERO),
             connect("b", tb.getLocalPort(), Duration.ZERO));
         Socket a = ta.accept();
         Socket b = tb.accept()) {
      BackPressureTest.Writer writer = new BackPressureTest.Writer(a.getOutputStream());
      writer.start();
      long written = BackPressureTest.awaitPlateau(writer.bytesWritten);
      assertTrue(writer.isAlive() && writer.failure == null, "the writer is blocked, not failed");
      assertTrue(written < BackPressureTest.BOUND, "the sender was stopped after " + written);

      writer.stop.set(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(b.getInputStream()));
      byte[] body = new byte[BackPressureTest.FRAME];
      long expected = 0;
      while (writer.isAlive() || expected < writer.framesWritten.get()) {
        assertEquals(BackPressureTest.FRAME, in.readInt());
        in.readFully(body);
        assertEquals(expected, ByteBuffer.wrap(body).getLong(), "frames in order, none lost");
        expected++;
      }
      assertEquals(writer.framesWritten.get(), expected);
      long read = expected;
      List<PortStats> stats = awaitStats(hub, s -> s.get(0).framesIn() == read
          && s.get(1).framesOut() == read);
      assertEquals(0, stats.get(0).dropped() + stats.get(1).dropped());
    }
  }

  @Test
  void aPeerThatStopsReadingBlocksTheSenderWithBoundedMemoryAndNothingIsLost() throws Exception {
    backPressure(true);
    backPressure(false);
  }

  /**
   * a's peer sends numbered frames throughout; b's first peer leaves and a second one comes.
   * Each gets an unbroken run of numbers, the second's after the first's; what came while b had
   * no peer is counted no-peer; nothing is reordered or duplicated.
   */
  static void peerChange(boolean splice) throws Exception {
    try (ServerSocket ta = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int bPort = NetdevHarness.freePort();
      NetdevSpec.Stream bSpec = listen("b", bPort);
      try (Hub hub = new Hub(splice, connect("a", ta.getLocalPort(), Duration.ZERO), bSpec);
           Socket a = ta.accept()) {
        AtomicLong sent = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Future<Void> sender = threads.submit(() -> {
          DataOutputStream out = new DataOutputStream(a.getOutputStream());
          byte[] f = new byte[64];
          while (!stop.get()) {
            ByteBuffer.wrap(f).putLong(sent.get());
            out.writeInt(f.length);
            out.write(f);
            out.flush();
            sent.incrementAndGet();
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
          }
          return null;
        });
        long noPeerBefore = drops(hub.b.counters().snapshot("b"), "no-peer");
        List<Long> first = readSome(bPort, 2000);
        // b has no peer: a's frames are dropped; wait for many more than the 100 of slack below,
        // so that frames queued for the next peer instead would show
        long gapDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (drops(hub.b.counters().snapshot("b"), "no-peer") < noPeerBefore + 500) {
          assertTrue(System.nanoTime() < gapDeadline, "frames for b without a peer were never dropped");
          Thread.sleep(5);
        }
        long beforeSecond = sent.get();
        List<Long> second = readSome(bPort, 2000);
        stop.set(true);
        sender.get(10, TimeUnit.SECONDS);
        long stoppedAt = sent.get();
        assertRun(first);
        assertRun(second);
        assertTrue(first.get(first.size() - 1) < second.get(0), "the second peer's frames come later");
        assertTrue(second.get(0) >= beforeSecond - 100,
            "the gap was dropped, not queued for later: " + second.get(0) + " < " + beforeSecond);
        // every frame a's peer sent is in, and out to b or dropped
        List<PortStats> stats = awaitStats(hub, s -> s.get(0).framesIn() == stoppedAt
            && s.get(1).framesOut() + drops(s.get(1), "no-peer") + drops(s.get(1), "peer-lost")
                >= stoppedAt);
        long noPeer = stats.get(1).drops().get("no-peer");
        long lost = stats.get(1).drops().get("peer-lost");
        assertTrue(noPeer > 0, "frames while b had no peer are counted: " + stats);
        assertEquals(stoppedAt, stats.get(0).framesIn(), stats.toString());
        long in = stats.get(0).framesIn();
        long out = stats.get(1).framesOut();
        assertEquals(in, out + noPeer + lost,
            "every frame from a went out to b or was dropped, once: " + stats);
        assertTrue(out >= first.size() + second.size(), stats.toString());
      }
    }
  }

  /** Connects to b, reads {@code count} numbered frames, leaves. */
  static List<Long> readSome(int port, int count) throws IOException {
    List<Long> seqs = new ArrayList<>();
    try (Socket b = new Socket()) {
      b.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      b.setSoTimeout(20_000);
      DataInputStream in = new DataInputStream(new BufferedInputStream(b.getInputStream()));
      byte[] f = new byte[64];
      while (seqs.size() < count) {
        int length;
        try {
          length = in.readInt();
        } catch (EOFException e) {
          throw new AssertionError("b's connection closed after " + seqs.size() + " frames");
        }
        assertEquals(64, length);
        in.readFully(f);
        seqs.add(ByteBuffer.wrap(f).getLong());
      }
    }
    return seqs;
  }

  static void assertRun(List<Long> seqs) {
    for (int i = 1; i < seqs.size(); i++) {
      assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "an unbroken run of frames: " + i);
    }
  }

  @Test
  void aListenPeerLeavingAndANewOneArrivingDropsTheGapAndKeepsOrder() throws Exception {
    peerChange(true);
    peerChange(false);
  }

  /** a's peer starts a frame and leaves: the half frame is counted peer-lost on a. */
  static List<PortStats> cutShort(boolean splice) throws Exception {
    try (ServerSocket ta = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket tb = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Hub hub = new Hub(splice, connect("a", ta.getLocalPort(), Duration.ZERO),
             connect("b", tb.getLocalPort(), Duration.ZERO));
         Socket b = tb.accept()) {
      try (Socket a = ta.accept()) {
        DataOutputStream toA = new DataOutputStream(a.getOutputStream());
        toA.writeInt(5);
        toA.write(new byte[5]);
        toA.writeInt(1000);
        toA.write(new byte[10]);
        toA.flush();
        DataInputStream fromB = new DataInputStream(b.getInputStream());
        assertEquals(5, fromB.readInt());
        fromB.readFully(new byte[5]);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (hub.a.counters().snapshot("a").drops().get("peer-lost") == 0) {
        assertTrue(System.nanoTime() < deadline, "the half frame was never counted");
        Thread.sleep(10);
      }
      List<PortStats> stats = awaitStats(hub, s -> s.get(0).framesIn() == 1
          && s.get(1).framesOut() == 1);
      assertEquals(1, stats.get(0).drops().get("peer-lost"));
      return stats;
    }
  }

  @Test
  void aFrameCutShortByItsPeerIsCountedPeerLost() throws Exception {
    assertEquals(cutShort(false), cutShort(true));
  }

  /** A connect netdev with reconnect-ms gets its next connection spliced too. */
  @Test
  void aReconnectingClientIsSplicedAgain() throws Exception {
    try (ServerSocket ta = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket tb = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Hub hub = new Hub(true, connect("a", ta.getLocalPort(), Duration.ofMillis(100)),
             connect("b", tb.getLocalPort(), Duration.ZERO));
         Socket b = tb.accept()) {
      ta.accept().close(); // the first peer leaves at once
      try (Socket a = ta.accept()) { // the netdev reconnects
        DataOutputStream toB = new DataOutputStream(b.getOutputStream());
        DataInputStream fromA = new DataInputStream(a.getInputStream());
        a.setSoTimeout(200);
        byte[] frame = frame(4, 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) { // until the new connection is attached, b's frames find no peer
          assertTrue(System.nanoTime() < deadline, "the reconnected peer never got a frame");
          toB.writeInt(frame.length);
          toB.write(frame);
          toB.flush();
          try {
            assertEquals(frame.length, fromA.readInt());
            break;
          } catch (java.net.SocketTimeoutException notYet) {
            // try again
          }
        }
        byte[] got = new byte[frame.length];
        a.setSoTimeout(10_000);
        fromA.readFully(got);
        assertArrayEquals(frame, got);
      }
    }
  }
}
