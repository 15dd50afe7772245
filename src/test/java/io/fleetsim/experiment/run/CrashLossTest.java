package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.time.RealClock;
import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.fault.Direction;
import io.fleetsim.fault.FaultyPort;
import io.fleetsim.fault.LatencyFault;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortStats;
import io.fleetsim.link.TappedPort;
import io.fleetsim.link.WiredPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A VM's link whose NIC goes away while frames are on their way to it, wired as an experiment
 * wires it (NIC, tap, the VM's port, faults, fabric port), with the test as the NIC and as a
 * peer on the same switch. Only what the NIC's end of the link counted as lost is booked as
 * {@code vm-crash}: the in books balance, and a shortfall of another origin still shows.
 */
class CrashLossTest {
  private static final int OFFERED = 40;
  private static final int TAKEN = 3;
  private final ActorTestKit kit = ActorTestKit.create();

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  /** One VM's link, built as {@link Wiring} builds it, and the peer beside it. */
  private final class Rig {
    final FabricSettings settings = FabricSettings.defaults();
    final ActorRef<Fabric.Command> fabric = kit.spawn(Fabric.learningSwitch(settings, RealClock.system()));
    final FabricPort vmPort = attach("a");
    final FabricPort peerPort = attach("peer");
    final NicTap tap = new NicTap();
    final FaultyPort faults = new FaultyPort(vmPort, RealClock.system());
    final WiredPort wire;
    final CrashLoss nicEnd;
    final Link link;

    Rig() {
      this(Duration.ZERO);
    }

    /** With a cable of {@code latency} between the NIC's end and the faults, as a network's. */
    Rig(Duration latency) {
      wire = WiredPort.of(faults, latency.toNanos(), 1_000_000_000L, false, RealClock.system());
      nicEnd = new CrashLoss(wire, tap::received);
      link = new Link("a/eth0", "lan", new FleetVm("a", "a", null, () -> null,
          line -> { }, RealClock.system()), tap, vmPort, faults, wire, nicEnd);
    }
    TestPublisher.Probe<ByteString> nicOut;
    TestSubscriber.Probe<ByteString> nicIn;
    CompletionStage<Void> linkDone;

    FabricPort attach(String name) {
      try {
        return FabricPort.attach(fabric, settings, name).toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    /** The test as the VM's NIC: what it sends, and what it takes, through its tap. */
    void linkNic() {
      TestPublisher.Probe<ByteString>[] out = new TestPublisher.Probe[1];
      TestSubscriber.Probe<ByteString>[] in = new TestSubscriber.Probe[1];
      Port nic = new Port() {
        final io.fleetsim.link.PortCounters counters = new io.fleetsim.link.PortCounters();

        @Override
        public String name() {
          return "nic a";
        }

        @Override
        public io.fleetsim.link.PortCounters counters() {
          return counters;
        }

        @Override
        public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
          // as the e1000's link: its sink's end completes its source
          return Flow.fromSinkAndSourceCoupledMat(TestSink.<ByteString>create(kit.system()),
              TestSource.<ByteString>create(kit.system()), (sink, source) -> {
                in[0] = sink;
                out[0] = source;
                return NotUsed.getInstance();
              });
        }
      };
      TappedPort.of(nic, List.of(tap)).link().join(nicEnd.link()).run(kit.system());
      linkDone = nicEnd.linkEnded();
      nicOut = out[0];
      nicIn = in[0];
    }

    /** The peer sends {@code n} broadcasts; the NIC takes {@code taken} and then crashes. */
    void offerThenCrash(int n, int taken) throws Exception {
      offerThenCrash(n, taken, () -> { });
    }

    /** As above, with {@code beforeCrash} waited for after the NIC took its frames. */
    void offerThenCrash(int n, int taken, Await beforeCrash) throws Exception {
      Pair<TestPublisher.Probe<ByteString>, TestSubscriber.Probe<ByteString>> peer =
          TestSource.<ByteString>create(kit.system()).via(peerPort.link())
              .toMat(TestSink.create(kit.system()), Keep.both()).run(kit.system());
      peer.second().request(1_000);
      for (int i = 0; i < n; i++) {
        peer.first().sendNext(frame(i));
      }
      if (taken > 0) {
        nicIn.request(taken);
      }
      for (int i = 0; i < taken; i++) {
        assertEquals(frame(i), nicIn.expectNext());
      }
      // every frame reached the switch before the crash: the books below are of all of them
      awaitCount(() -> peerPort.counters().snapshot("peer").framesIn(), n);
      beforeCrash.run();
      nicIn.cancel(); // the VM is gone: its NIC takes nothing more
      linkDone.toCompletableFuture().get(20, TimeUnit.SECONDS); // the link has ended at both ends
    }

    PortStats vmPortStats() {
      return vmPort.counters().snapshot("a");
    }
  }

  @Test
  void framesOnTheirWayToACrashedVmAreBookedAsVmCrashAndTheBooksBalance() throws Exception {
    Rig rig = new Rig();
    rig.linkNic();
    rig.offerThenCrash(OFFERED, TAKEN);

    // what the peer offered: sent out of a's fabric port, or lost there with a's link (the
    // switch counts what it still queued for a once it hears the link ended)
    awaitCount(() -> {
      PortStats s = rig.vmPortStats();
      return s.framesOut() + s.drops().get("peer-lost") + s.drops().get("no-peer");
    }, OFFERED);
    FrameBooks in = rig.link.in();
    PortStats port = rig.vmPortStats();
    assertEquals(TAKEN, rig.tap.received(), "the NIC's tap counted what the NIC took");
    // how many were past the port when the NIC went is a race; each of them is the crash's
    assertEquals(port.framesOut() - TAKEN, rig.nicEnd.lost(), in + " " + port);
    assertEquals(rig.nicEnd.lost(), in.droppedByCause().getOrDefault(Link.CRASH, 0L), in.toString());
    assertEquals(0, in.imbalance(), in.toString());
    assertEquals(0, rig.link.out().imbalance(), rig.link.out().toString());
  }

  @Test
  void framesAFaultHeldForACrashedVmAreTheCrashsWhenTheyComeDue() throws Exception {
    Rig rig = new Rig();
    // a's incoming frames wait in a latency fault: all of them are there when the NIC goes
    rig.faults.add(new LatencyFault(Duration.ofSeconds(2), Duration.ZERO, LatencyFault.Distribution.NORMAL),
        Direction.IN, 1);
    rig.linkNic();
    rig.offerThenCrash(OFFERED, 0, () -> awaitCount(rig.faults.toWire()::held, OFFERED));

    FrameBooks in = rig.link.in();
    assertEquals(OFFERED, in.sent(), in.toString());
    assertEquals(0, in.delivered(), in.toString());
    assertEquals(Map.of(Link.CRASH, (long) OFFERED), in.droppedByCause(),
        "lost at a's end as they came due, not dropped by the fault: " + in);
    assertEquals(0, in.held(), in.toString());
    assertEquals(0, in.imbalance(), in.toString());
  }

  @Test
  void framesOnTheWireToACrashedVmAreTheCrashsWhenTheyArrive() throws Exception {
    Rig rig = new Rig(Duration.ofSeconds(2));
    // a's incoming frames propagate for 2 s: all of them are on the wire when the NIC goes
    rig.linkNic();
    rig.offerThenCrash(OFFERED, 0, () -> awaitCount(rig.wire.toWire()::held, OFFERED));

    FrameBooks in = rig.link.in();
    assertEquals(OFFERED, in.sent(), in.toString());
    assertEquals(0, in.delivered(), in.toString());
    assertEquals(Map.of(Link.CRASH, (long) OFFERED), in.droppedByCause(),
        "lost at a's end as they arrived there: " + in);
    assertEquals(0, in.held(), in.toString());
    assertEquals(0, rig.wire.toWire().lost(), "the wire delivered them all to a's end");
    assertEquals(0, in.imbalance(), in.toString());
    assertEquals(0, rig.link.out().imbalance(), rig.link.out().toString());
  }

  @Test
  void framesOnTheWireAreHeldInTheBooks() throws Exception {
    Rig rig = new Rig(Duration.ofSeconds(2));
    rig.linkNic();
    Pair<TestPublisher.Probe<ByteString>, TestSubscriber.Probe<ByteString>> peer =
        TestSource.<ByteString>create(kit.system()).via(rig.peerPort.link())
            .toMat(TestSink.create(kit.system()), Keep.both()).run(kit.system());
    peer.second().request(1_000);
    for (int i = 0; i < OFFERED; i++) {
      peer.first().sendNext(frame(i));
    }
    awaitCount(rig.wire.toWire()::held, OFFERED);
    FrameBooks in = rig.link.in();
    assertEquals(OFFERED, in.held(), "on the wire, not yet at a: " + in);
    assertEquals(0, in.imbalance(), in.toString());
    rig.nicIn.request(OFFERED);
    for (int i = 0; i < OFFERED; i++) {
      assertEquals(frame(i), rig.nicIn.expectNext(java.time.Duration.ofSeconds(20)), "in order");
    }
    assertEquals(0, rig.link.in().held(), rig.link.in().toString());
    assertEquals(0, rig.link.in().imbalance(), rig.link.in().toString());
  }

  @Test
  void aShortfallBesideACrashIsNotBookedAsTheCrashs() throws Exception {
    Rig rig = new Rig();
    rig.linkNic();
    rig.offerThenCrash(OFFERED, TAKEN);
    long crash = rig.nicEnd.lost();

    // a bug elsewhere: a's port counts five frames out that never left it
    for (int i = 0; i < 5; i++) {
      rig.vmPort.counters().frameOut(60);
    }
    FrameBooks in = rig.link.in();
    assertEquals(crash, in.droppedByCause().getOrDefault(Link.CRASH, 0L), "the crash books what it lost, no more");
    assertEquals(in.droppedByCause().containsKey(Link.CRASH) ? 1 : 0, in.droppedByCause().size(), in.toString());
    assertEquals(5, in.imbalance(), "the shortfall shows: " + in);
  }

  /** Something to wait for that may throw. */
  private interface Await {
    void run() throws Exception;
  }

  private static ByteString frame(int seq) {
    byte[] b = new byte[60];
    java.util.Arrays.fill(b, 0, 6, (byte) 0xff);
    b[6] = 0x52;
    b[7] = 0x54;
    b[11] = 0x09;
    b[12] = (byte) 0x88;
    b[13] = (byte) 0xB5;
    b[14] = (byte) (seq >>> 8);
    b[15] = (byte) seq;
    return ByteString.fromArray(b);
  }

  /** Waits, with a generous deadline, for a counter to reach exactly {@code expected}. */
  private static void awaitCount(java.util.function.LongSupplier value, long expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (value.getAsLong() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(expected, value.getAsLong());
  }
}
