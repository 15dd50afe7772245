package io.fleetsim.fabric;

import io.fleetsim.link.Port;
import io.fleetsim.link.PortStats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.time.RealClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.javadsl.Source;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FabricTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final FiniteDurationHolder SHORT = new FiniteDurationHolder(300);

  private record FiniteDurationHolder(long millis) {
    scala.concurrent.duration.FiniteDuration d() {
      return scala.concurrent.duration.FiniteDuration.create(millis, TimeUnit.MILLISECONDS);
    }
  }

  /** A peer on a port: what it sends in, what it receives out. */
  private record Peer(TestPublisher.Probe<ByteString> in, TestSubscriber.Probe<ByteString> out) {}

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static FabricPort port(ActorRef<Fabric.Command> fabric, FabricSettings settings, String name)
      throws Exception {
    return FabricPort.attach(fabric, settings, name)
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Peer connect(Port port) {
    Pair<TestPublisher.Probe<ByteString>, TestSubscriber.Probe<ByteString>> p =
        TestSource.<ByteString>create(testKit.system())
            .via(port.link())
            .toMat(TestSink.create(testKit.system()), Keep.both())
            .run(testKit.system());
    return new Peer(p.first(), p.second());
  }

  static ByteString frame(long dst, long src, int seq) {
    byte[] b = new byte[60];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) (dst >>> (8 * (5 - i)));
      b[6 + i] = (byte) (src >>> (8 * (5 - i)));
    }
    b[12] = (byte) 0x88;
    b[13] = (byte) 0xB5;
    b[14] = (byte) (seq >>> 24);
    b[15] = (byte) (seq >>> 16);
    b[16] = (byte) (seq >>> 8);
    b[17] = (byte) seq;
    return ByteString.fromArray(b);
  }

  static final long BCAST = 0xFFFF_FFFF_FFFFL;
  static final long MAC_A = 0x5254_0000_000AL;
  static final long MAC_B = 0x5254_0000_000BL;
  static final long MAC_C = 0x5254_0000_000CL;

  @Test
  void hubSendsEveryFrameToEveryOtherPortAndNeverBack() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> hub = testKit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort a = port(hub, settings, "a");
    FabricPort b = port(hub, settings, "b");
    FabricPort c = port(hub, settings, "c");
    Peer pa = connect(a);
    Peer pb = connect(b);
    Peer pc = connect(c);
    pa.out.request(10);
    pb.out.request(10);
    pc.out.request(10);

    ByteString f = frame(MAC_B, MAC_A, 1); // unicast: a hub floods it anyway
    pa.in.sendNext(f);
    assertEquals(f, pb.out.expectNext());
    assertEquals(f, pc.out.expectNext());
    pa.out.expectNoMessage(SHORT.d());

    assertEquals(1, a.counters().snapshot("a").framesIn());
    assertEquals(1, b.counters().snapshot("b").framesOut());
    assertEquals(60, c.counters().snapshot("c").bytesOut());
  }

  @Test
  void framesForAPortWithoutPeerAreDroppedAndCounted() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> hub = testKit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort a = port(hub, settings, "a");
    FabricPort b = port(hub, settings, "b");
    FabricPort idle = port(hub, settings, "idle");
    Peer pa = connect(a);
    Peer pb = connect(b);
    pb.out.request(5);
    for (int i = 0; i < 3; i++) {
      pa.in.sendNext(frame(BCAST, MAC_A, i));
    }
    for (int i = 0; i < 3; i++) {
      pb.out.expectNext();
    }
    awaitCount(() -> idle.counters().snapshot("idle").drops().get("no-peer"), 3);
    assertEquals(0, idle.counters().snapshot("idle").framesOut());
    assertEquals(0, b.counters().snapshot("b").dropped());
  }

  @Test
  void switchLearnsAddressesAndForwardsKnownUnicastOutOfOnePort() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> sw = testKit.spawn(Fabric.learningSwitch(settings,
        RealClock.system()));
    Peer pa = connect(port(sw, settings, "a"));
    Peer pb = connect(port(sw, settings, "b"));
    Peer pc = connect(port(sw, settings, "c"));
    for (Peer p : List.of(pa, pb, pc)) {
      p.out.request(10);
    }
    // unknown destination: flooded, and the switch learns where MAC_A lives
    ByteString hello = frame(MAC_B, MAC_A, 1);
    pa.in.sendNext(hello);
    assertEquals(hello, pb.out.expectNext());
    assertEquals(hello, pc.out.expectNext());
    // the reply to MAC_A goes to a only
    ByteString reply = frame(MAC_A, MAC_B, 2);
    pb.in.sendNext(reply);
    assertEquals(reply, pa.out.expectNext());
    pc.out.expectNoMessage(SHORT.d());
    // MAC_B is now known too: a to b reaches b only
    ByteString again = frame(MAC_B, MAC_A, 3);
    pa.in.sendNext(again);
    assertEquals(again, pb.out.expectNext());
    pc.out.expectNoMessage(SHORT.d());
    // broadcast still floods
    ByteString bcast = frame(BCAST, MAC_C, 4);
    pc.in.sendNext(bcast);
    assertEquals(bcast, pa.out.expectNext());
    assertEquals(bcast, pb.out.expectNext());
    pc.out.expectNoMessage(SHORT.d());
  }

  @Test
  void aStaticAddressIsForwardedToItsPortBeforeTheSwitchHearsFromIt() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> sw = testKit.spawn(Fabric.learningSwitch(settings,
        RealClock.system()));
    FabricPort b = port(sw, settings, "b");
    Peer pa = connect(port(sw, settings, "a"));
    Peer pb = connect(b);
    Peer pc = connect(port(sw, settings, "c"));
    for (Peer p : List.of(pa, pb, pc)) {
      p.out.request(10);
    }
    b.addStaticAddress(new io.fleetsim.addr.MacAddress(MAC_B));
    // b has sent nothing, yet a frame for it is not flooded
    ByteString first = frame(MAC_B, MAC_A, 1);
    pa.in.sendNext(first);
    assertEquals(first, pb.out.expectNext());
    pc.out.expectNoMessage(SHORT.d());
  }

  @Test
  void switchNeverSendsAFrameBackOutOfItsIngressPortAndCountsRunts() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> sw = testKit.spawn(Fabric.learningSwitch(settings,
        RealClock.system()));
    FabricPort a = port(sw, settings, "a");
    Peer pa = connect(a);
    Peer pb = connect(port(sw, settings, "b"));
    pa.out.request(10);
    pb.out.request(10);
    pa.in.sendNext(frame(BCAST, MAC_A, 1));
    pb.out.expectNext();
    pa.in.sendNext(frame(MAC_A, MAC_C, 2)); // MAC_A is behind a: filtered
    pa.in.sendNext(ByteString.fromArray(new byte[5]));
    pb.out.expectNoMessage(SHORT.d());
    pa.out.expectNoMessage(SHORT.d());
    assertEquals(1, a.counters().snapshot("a").drops().get("runt"));
  }

  @Test
  void learnedAddressesAgeOut() throws Exception {
    FabricSettings settings = new FabricSettings(64, 64, Duration.ofMillis(100));
    ActorRef<Fabric.Command> sw = testKit.spawn(Fabric.learningSwitch(settings,
        RealClock.system()));
    Peer pa = connect(port(sw, settings, "a"));
    Peer pb = connect(port(sw, settings, "b"));
    Peer pc = connect(port(sw, settings, "c"));
    for (Peer p : List.of(pa, pb, pc)) {
      p.out.request(10);
    }
    pa.in.sendNext(frame(BCAST, MAC_A, 1));
    pb.out.expectNext();
    pc.out.expectNext();
    // b sends to MAC_A, then a broadcast marker: c sees the marker first while the switch
    // still knows MAC_A, and the frame for MAC_A first once it has forgotten it (flooded again).
    // Frames from one port reach c in order, so each round tells without waiting on the clock.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int seq = 2; ; seq += 2) {
      ByteString toA = frame(MAC_A, MAC_B, seq);
      ByteString marker = frame(BCAST, MAC_B, seq + 1);
      pb.in.sendNext(toA);
      pb.in.sendNext(marker);
      assertEquals(toA, pa.out.expectNext());
      assertEquals(marker, pa.out.expectNext());
      if (pc.out.expectNext().equals(toA)) {
        assertEquals(marker, pc.out.expectNext());
        break; // MAC_A forgotten: flooded again
      }
      assertTrue(System.nanoTime() < deadline, "MAC_A never aged out");
      pc.out.request(2);
      pa.out.request(2);
    }
  }

  @Test
  void anAddressIsForgottenOnceItIsOlderThanTheAgeing() {
    // the forwarding decides by the times it is given: the ageing's edge, without a clock
    LearningSwitchForwarding sw = new LearningSwitchForwarding(Duration.ofNanos(1_000));
    int[] out = new int[3];
    assertEquals(2, sw.route(0, frame(BCAST, MAC_A, 1), 0, 3, out), "a broadcast floods");
    assertEquals(1, sw.route(1, frame(MAC_A, MAC_B, 2), 1_000, 3, out), "known at the ageing");
    assertEquals(0, out[0], "to a's port");
    assertEquals(2, sw.route(1, frame(MAC_A, MAC_B, 3), 1_001, 3, out), "forgotten after it");
    sw.expire(2_000);
    assertEquals(1, sw.learnedAddresses(), "expiry removes MAC_A, keeps MAC_B (seen at 1_001)");
    sw.expire(2_002);
    assertEquals(0, sw.learnedAddresses());
  }

  /** A sender that hands the link frames as fast as it asks, and counts what it took. */
  private static final class CountingSender {
    final AtomicInteger taken = new AtomicInteger();
    final TestSubscriber.Probe<ByteString> out;
    final org.apache.pekko.stream.UniqueKillSwitch kill;

    CountingSender(Port port, int limit) {
      Pair<org.apache.pekko.stream.UniqueKillSwitch, TestSubscriber.Probe<ByteString>> p =
          Source.fromIterator(() -> new Iterator<ByteString>() {
                @Override
                public boolean hasNext() {
                  return taken.get() < limit;
                }

                @Override
                public ByteString next() {
                  return frame(BCAST, MAC_A, taken.getAndIncrement());
                }
              })
              .concat(Source.never())
              .viaMat(KillSwitches.single(), Keep.right())
              .via(port.link())
              .toMat(TestSink.create(testKit.system()), Keep.both())
              .run(testKit.system());
      kill = p.first();
      out = p.second();
    }

    /**
     * Waits until the link has stopped taking frames for one and a half seconds (three quiet
     * half-seconds in a row: under a full test run one quiet half-second was a slow sender, not a
     * paused one). Still a heuristic; a sender that reports its own waiting would end it.
     */
    int awaitStall() throws InterruptedException {
      int now = taken.get();
      for (int quiet = 0; quiet < 3; ) {
        Thread.sleep(500);
        int later = taken.get();
        quiet = later == now ? quiet + 1 : 0;
        now = later;
      }
      return now;
    }
  }

  @Test
  void aSlowPortPausesItsSendersInsteadOfDroppingAndTheyResume() throws Exception {
    FabricSettings settings = new FabricSettings(8, 32, Duration.ofSeconds(300));
    ActorRef<Fabric.Command> hub = testKit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort a = port(hub, settings, "a");
    FabricPort b = port(hub, settings, "b");
    // b first: its link is registered with the hub as it materialises, so none of a's frames
    // can find b without a peer (they would be dropped as no-peer, not paused)
    Peer pb = connect(b); // b takes nothing yet
    CountingSender sender = new CountingSender(a, 1_000_000);
    int taken = sender.awaitStall();
    assertTrue(taken < 5_000, "the sender was never paused: " + taken + " frames taken");
    assertTrue(taken > 32, "the sender was paused too early: " + taken);
    // now b reads: every frame a was allowed to send arrives in order, none dropped,
    // and a is released to send more
    pb.out.request(taken + 100);
    for (int i = 0; i < taken + 100; i++) {
      assertEquals(frame(BCAST, MAC_A, i), pb.out.expectNext());
    }
    assertEquals(0, b.counters().snapshot("b").dropped());
    sender.kill.shutdown();
  }

  @Test
  void aSenderPausedOnTwoSlowPortsResumesOnlyOnceBothHaveDrained() throws Exception {
    FabricSettings settings = new FabricSettings(8, 32, Duration.ofSeconds(300));
    ActorRef<Fabric.Command> hub = testKit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort a = port(hub, settings, "a");
    FabricPort b = port(hub, settings, "b");
    FabricPort c = port(hub, settings, "c");
    Peer pb = connect(b); // neither b nor c takes anything yet
    Peer pc = connect(c);
    CountingSender sender = new CountingSender(a, 1_000_000);
    int taken = sender.awaitStall();
    assertTrue(taken < 5_000, "the sender was never paused: " + taken + " frames taken");
    long intoHub = a.counters().snapshot("a").framesIn();
    // b reads all that reaches it, then nothing more comes although a has frames ready:
    // a stays paused while c, which reads nothing, is over its limit
    pb.out.request(1_000_000);
    int bGot = drainUntilQuiet(pb.out, 0);
    assertEquals(intoHub, bGot, "b gets what was in the hub");
    assertEquals(intoHub, a.counters().snapshot("a").framesIn(), "a was released too early");
    assertTrue(bGot > 32 && bGot < sender.taken.get(), "b got " + bGot + " of "
        + sender.taken.get() + " frames taken from a");
    // now c reads too: a resumes, and both get every frame in order
    pc.out.request(1_000_000);
    for (int i = 0; i < bGot + 100; i++) {
      assertEquals(frame(BCAST, MAC_A, i), pc.out.expectNext());
    }
    for (int i = bGot; i < bGot + 100; i++) {
      assertEquals(frame(BCAST, MAC_A, i), pb.out.expectNext());
    }
    assertEquals(0, b.counters().snapshot("b").dropped());
    assertEquals(0, c.counters().snapshot("c").dropped());
    sender.kill.shutdown();
  }

  @Test
  void aPeerThatLeavesCountsItsQueuedFramesAndReleasesItsSenders() throws Exception {
    FabricSettings settings = new FabricSettings(8, 16, Duration.ofSeconds(300));
    ActorRef<Fabric.Command> hub = testKit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort a = port(hub, settings, "a");
    FabricPort b = port(hub, settings, "b");
    Peer pb = connect(b);
    CountingSender sender = new CountingSender(a, 1_000);
    int taken = sender.awaitStall();
    assertTrue(taken < 1_000, "a was never paused");
    pb.out.cancel();
    pb.in.sendComplete();
    // a is released: it sends the rest, which now count as no-peer
    PortStats stats = awaitStats(b, s -> s.drops().get("no-peer") >= 1);
    assertTrue(stats.drops().get("peer-lost") > 0, "queued frames must be counted: " + stats);
    awaitCount(sender.taken::get, 1_000);
    sender.kill.shutdown();
  }

  /** Takes frames a sent, in order from {@code firstSeq}, until none came for a while. */
  private static int drainUntilQuiet(TestSubscriber.Probe<ByteString> out, int firstSeq) {
    int n = 0;
    while (true) {
      ByteString f;
      try {
        f = out.expectNext(SHORT.d());
      } catch (AssertionError quiet) {
        return n;
      }
      assertEquals(frame(BCAST, MAC_A, firstSeq + n), f);
      n++;
    }
  }

  private static PortStats awaitStats(FabricPort p, java.util.function.Predicate<PortStats> ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    PortStats s = p.counters().snapshot(p.name());
    while (!ok.test(s) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      s = p.counters().snapshot(p.name());
    }
    assertTrue(ok.test(s), "condition never met: " + s);
    return s;
  }

  private static void awaitCount(java.util.function.LongSupplier value, long expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (value.getAsLong() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(expected, value.getAsLong());
  }
}
