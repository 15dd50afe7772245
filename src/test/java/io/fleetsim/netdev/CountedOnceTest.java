package io.fleetsim.netdev;

import static io.fleetsim.netdev.NetdevHarness.connect;
import static io.fleetsim.netdev.NetdevHarness.listen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortStats;
import io.fleetsim.time.RealClock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every frame a hub port is given is counted once: for each port, the frames the other ports took
 * in equal its frames out plus its drops, whatever the cause. Frames out are those written to the
 * port's socket (sent, for a datagram socket); what was still held for a peer that left is
 * peer-lost. The stalled reader: a port's peer stops reading, so frames pile up for it in the
 * kernel, the netdev and the fabric, and then it disconnects.
 */
@Timeout(180)
class CountedOnceTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final int SIZE = 1000;
  static final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "counted-once-test");
    t.setDaemon(true);
    return t;
  });

  @AfterAll
  static void shutdown() {
    threads.shutdownNow();
    kit.shutdownTestKit();
  }

  @Test
  void aThreePortHubCountsEveryFrameOnceWhenItsStalledReaderDisconnects() throws Exception {
    hubWithAStalledReader(false, 3);
  }

  @Test
  void aSplicedHubCountsEveryFrameOnceWhenItsStalledReaderDisconnects() throws Exception {
    hubWithAStalledReader(true, 2);
  }

  /**
   * Datagram ports count what their socket sent: a send the kernel refuses (no SO_BROADCAST for
   * lo's broadcast address) is send-failed, an empty frame zero-length, neither is also out.
   */
  @Test
  void aDatagramPortCountsSentFramesOutAndRefusedOnesOnlyAsDrops() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> fabric = kit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort s = FabricPort.attach(fabric, settings, "s").toCompletableFuture().get();
    FabricPort refused = FabricPort.attach(fabric, settings, "refused")
        .toCompletableFuture().get();
    FabricPort sent = FabricPort.attach(fabric, settings, "sent")
        .toCompletableFuture().get();
    List<NetdevHarness.Started> netdevs = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         java.net.DatagramSocket remote = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      netdevs.add(NetdevHarness.start(kit, new io.fleetsim.qemu.NetdevSpec.Udp("refused",
          new io.fleetsim.qemu.SocketAddr.Inet("127.0.0.1", 0),
          new io.fleetsim.qemu.SocketAddr.Inet("127.255.255.255", 9), "socket,id=refused,udp=..."),
          refused));
      netdevs.add(NetdevHarness.start(kit, new io.fleetsim.qemu.NetdevSpec.Udp("sent",
          new io.fleetsim.qemu.SocketAddr.Inet("127.0.0.1", 0),
          new io.fleetsim.qemu.SocketAddr.Inet("127.0.0.1", remote.getLocalPort()),
          "socket,id=sent,udp=..."), sent));
      netdevs.add(NetdevHarness.start(kit, connect("s", server.getLocalPort(), Duration.ZERO), s));
      netdevs.forEach(NetdevHarness.Started::ready);
      try (Socket peer = server.accept()) {
        DataOutputStream out = new DataOutputStream(peer.getOutputStream());
        remote.setSoTimeout(200);
        java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[2048], 2048);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int probes = 0;
        boolean received = false;
        while (!received || refused.counters().snapshot("refused").drops().get("send-failed") == 0) {
          // until both datagram ports have their socket, frames find no peer
          assertTrue(System.nanoTime() < deadline, "a datagram port never tried to send");
          writeFrame(out, probes++);
          out.flush();
          try {
            remote.receive(packet);
            received = true;
          } catch (SocketTimeoutException notYet) {
            // send another
          }
        }
        out.writeInt(0); // an empty frame: never sent as a datagram
        for (int i = 0; i < 3; i++) {
          writeFrame(out, probes + i);
        }
        out.flush();
        remote.setSoTimeout(10_000);
        long last = -1;
        while (last != probes + 2) { // later probes, then the three
          remote.receive(packet);
          assertEquals(SIZE, packet.getLength(), "no empty datagram");
          last = ByteBuffer.wrap(packet.getData(), 0, 8).getLong();
        }
        long towards = probes + 4;
        awaitFramesIn(s, towards);
        for (FabricPort p : List.of(refused, sent)) {
          PortStats stats = awaitAccounted(p, towards);
          assertEquals(towards, stats.framesOut() + stats.dropped(), "port " + p.name() + ": " + stats);
          assertEquals(1, stats.drops().get("zero-length"), stats.toString());
        }
        PortStats r = refused.counters().snapshot("refused");
        assertEquals(0, r.framesOut(), "nothing went out: " + r);
        PortStats v = sent.counters().snapshot("sent");
        assertTrue(v.framesOut() >= 4, "the datagrams that were sent: " + v);
      }
    } finally {
      netdevs.forEach(n -> kit.stop(n.ref()));
      kit.stop(fabric);
    }
  }

  /**
   * Port a's peer sends numbered frames without end; port b's (when there are three) reads them
   * all; port c's reads one and then nothing. Once the hub has stopped taking a's frames (c's
   * backlog holds it up) c's peer closes; a's peer stops later and the counts must balance.
   */
  private static void hubWithAStalledReader(boolean splice, int portCount) throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> fabric = kit.spawn(Fabric.hub(settings, RealClock.system()));
    List<FabricPort> ports = new ArrayList<>();
    for (String name : portCount == 3 ? List.of("a", "b", "c") : List.of("a", "c")) {
      ports.add(FabricPort.attach(fabric, settings, name).toCompletableFuture().get());
    }
    FabricPort a = ports.get(0);
    FabricPort c = ports.get(portCount - 1);
    List<Port> given = splice ? Splice.pair(a, c, NetdevSettings.defaults()) : List.copyOf(ports);
    List<NetdevHarness.Started> netdevs = new ArrayList<>();
    List<ServerSocket> servers = new ArrayList<>();
    List<Socket> peers = new ArrayList<>();
    try {
      // a (and b) connect to sockets of ours; c listens, so its peer can come and go
      for (int i = 0; i < portCount - 1; i++) {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        servers.add(server);
        netdevs.add(NetdevHarness.start(kit,
            connect(ports.get(i).name(), server.getLocalPort(), Duration.ZERO), given.get(i)));
        netdevs.get(i).ready();
        peers.add(server.accept());
      }
      int cPort = NetdevHarness.freePort();
      netdevs.add(NetdevHarness.start(kit, listen("c", cPort), given.get(portCount - 1)));
      netdevs.get(portCount - 1).ready();

      Socket toA = peers.get(0);
      DataOutputStream aOut = new DataOutputStream(new BufferedOutputStream(toA.getOutputStream(), 64 * 1024));
      AtomicLong sent = new AtomicLong();
      AtomicLong bLast = new AtomicLong(-1);
      Future<Void> bReader = portCount == 3 ? threads.submit(() -> {
        readInOrder(peers.get(1), bLast);
        return null;
      }) : null;

      Socket stalled = new Socket();
      stalled.setReceiveBufferSize(8 * 1024); // a small window: the backlog builds up in fleetsim
      stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), cPort), 5000);
      stalled.setSoTimeout(100);
      DataInputStream cIn = new DataInputStream(stalled.getInputStream());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) { // until c's peer is attached, frames for it find no peer (and are counted so)
        assertTrue(System.nanoTime() < deadline, "c's peer never got a frame");
        writeFrame(aOut, sent.getAndIncrement());
        aOut.flush();
        try {
          assertEquals(SIZE, cIn.readInt());
          cIn.readFully(new byte[SIZE]);
          break;
        } catch (SocketTimeoutException notYet) {
          // send another
        }
      }

      AtomicBoolean stop = new AtomicBoolean();
      Future<Void> writer = threads.submit(() -> {
        while (!stop.get()) {
          writeFrame(aOut, sent.getAndIncrement());
        }
        aOut.flush();
        return null;
      });
      awaitHubStopsTaking(a);
      stalled.close(); // with unread bytes: the kernel resets the connection

      // the hub goes on without c's peer; a's peer sends a little more, then stops
      long resumedAt = a.counters().snapshot("a").framesIn();
      awaitFramesIn(a, resumedAt + 1000);
      stop.set(true);
      writer.get(30, TimeUnit.SECONDS);
      long total = sent.get();
      awaitFramesIn(a, total);
      if (bReader != null) {
        long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bLast.get() != total - 1) {
          if (bReader.isDone()) {
            bReader.get(); // its failure, if it failed
          }
          assertTrue(System.nanoTime() < wait, "b read up to " + bLast.get() + " of " + total);
          Thread.sleep(5);
        }
      }

      List<PortStats> stats = new ArrayList<>();
      for (FabricPort p : ports) {
        stats.add(p.counters().snapshot(p.name()));
      }
      for (int i = 0; i < portCount; i++) {
        long towards = 0;
        for (int j = 0; j < portCount; j++) {
          towards += j == i ? 0 : stats.get(j).framesIn();
        }
        PortStats s = awaitAccounted(ports.get(i), towards);
        assertEquals(towards, s.framesOut() + s.dropped(),
            "port " + s.port() + ": frames in on the other ports = its frames out + drops: " + s);
      }
      PortStats cStats = c.counters().snapshot("c");
      assertTrue(cStats.drops().get("peer-lost") > 0,
          "frames were held for c's peer when it left: " + cStats);
      assertTrue(cStats.drops().get("no-peer") > 0, "and later ones found no peer: " + cStats);
      assertEquals(total, stats.get(0).framesIn());
    } finally {
      netdevs.forEach(n -> kit.stop(n.ref()));
      kit.stop(fabric);
      for (Socket s : peers) {
        s.close();
      }
      for (ServerSocket s : servers) {
        s.close();
      }
    }
  }

  private static void writeFrame(DataOutputStream out, long seq) throws java.io.IOException {
    byte[] frame = new byte[SIZE];
    ByteBuffer.wrap(frame).putLong(seq);
    out.writeInt(SIZE);
    out.write(frame);
  }

  /** Reads frames whose numbers rise by one (the first may be any), recording the last. */
  private static void readInOrder(Socket socket, AtomicLong last) throws Exception {
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    byte[] frame = new byte[SIZE];
    while (true) {
      assertEquals(SIZE, in.readInt());
      in.readFully(frame);
      long seq = ByteBuffer.wrap(frame).getLong();
      if (last.get() >= 0) {
        assertEquals(last.get() + 1, seq, "frames in order, none lost on the way to b");
      }
      last.set(seq);
    }
  }

  /**
   * Waits until the hub stops taking a's frames: c's backlog holds the hub back (a fabric hub
   * withholds its acks, a splice stops reading). Only when to cut c's peer depends on this; the
   * counts must balance whenever it happens.
   */
  private static void awaitHubStopsTaking(FabricPort a) throws InterruptedException {
    long last = -1;
    int stable = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (stable < 10) {
      assertTrue(System.nanoTime() < deadline, "the hub never held a's peer back");
      Thread.sleep(50);
      long now = a.counters().snapshot("a").framesIn();
      stable = now == last ? stable + 1 : 0;
      last = now;
    }
  }

  private static void awaitFramesIn(FabricPort port, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (port.counters().snapshot(port.name()).framesIn() < atLeast) {
      assertTrue(System.nanoTime() < deadline, "port " + port.name() + " took too few frames");
      Thread.sleep(5);
    }
  }

  /**
   * The port's stats once its frames out plus drops reach {@code towards}: a write is counted
   * just after the peer may have read it. More than {@code towards} is a frame counted twice.
   */
  private static PortStats awaitAccounted(FabricPort port, long towards) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      PortStats s = port.counters().snapshot(port.name());
      if (s.framesOut() + s.dropped() >= towards || System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(5);
    }
  }
}
