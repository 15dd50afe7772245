package io.fleetsim.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.time.ManualClock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.testkit.CallingThreadDispatcher;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The wire on a manual clock, its stream on the test's own thread (the calling-thread
 * dispatcher): once the stream has started, running a clock task runs everything it causes
 * before it returns, so each frame is stamped with the exact time the wire took it from upstream
 * and the exact time it came out. Expected times are worked out here from the frame sizes: at
 * 1 Gbit/s a byte is 8 ns, and each frame costs 24 bytes more (preamble, SFD, FCS, gap).
 */
class WireTest {
  private static final ActorTestKit kit = ActorTestKit.create();
  private static final long GBIT = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Sequence numbers and clock times of what the wire took and what it let out. */
  private static final class Log {
    final List<long[]> taken = new ArrayList<>();
    final List<long[]> delivered = new ArrayList<>();

    List<Long> takenAt() {
      return taken.stream().map(t -> t[1]).collect(Collectors.toList());
    }

    List<Long> deliveredAt() {
      return delivered.stream().map(t -> t[1]).collect(Collectors.toList());
    }

    List<Long> deliveredSeqs() {
      return delivered.stream().map(t -> t[0]).collect(Collectors.toList());
    }
  }

  private static ByteString frame(int seq, int size) {
    byte[] b = new byte[size];
    b[0] = (byte) seq;
    return ByteString.fromArray(b);
  }

  /** Frames offered back to back: the next is there whenever the wire pulls. */
  private static Source<ByteString, NotUsed> offered(ManualClock clock, Log log,
      List<ByteString> frames) {
    Iterator<ByteString> it = frames.iterator();
    return Source.fromIterator(() -> new Iterator<ByteString>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ByteString next() {
        ByteString f = it.next();
        log.taken.add(new long[] {f.apply(0), clock.nanos()});
        return f;
      }
    });
  }

  private static Flow<ByteString, ByteString, NotUsed> stamped(ManualClock clock, Log log) {
    return Flow.<ByteString>create().map(f -> {
      log.delivered.add(new long[] {f.apply(0), clock.nanos()});
      return f;
    });
  }

  /**
   * Runs {@code frames} through {@code wire} into a sink that always wants more; the wire takes
   * {@code takenAtStart} of them at time 0.
   */
  private static CompletionStage<Done> run(Wire wire, ManualClock clock, Log log,
      List<ByteString> frames, int takenAtStart) {
    CompletionStage<Done> done = offered(clock, log, frames).via(wire.flow())
        .via(stamped(clock, log))
        .toMat(Sink.ignore(), Keep.right())
        .withAttributes(ActorAttributes.dispatcher(CallingThreadDispatcher.Id()))
        .run(kit.system());
    started(clock, wire, takenAtStart);
    return done;
  }

  /**
   * The stream starts on another thread: wait until it has taken the {@code takenAtStart} frames
   * it takes at time 0 and armed its timer. Only then may the clock move (from then on, everything
   * runs on this thread).
   */
  private static void started(ManualClock clock, Wire wire, int takenAtStart) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!(clock.pending() == 1 && wire.framesIn() == takenAtStart)
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, clock.pending(), "the wire armed its timer");
    assertEquals(takenAtStart, wire.framesIn(), "frames taken at time 0");
  }

  /** Runs every clock task, checking the wire never keeps more than one timer. */
  private static void runAll(ManualClock clock) {
    while (clock.runNext()) {
      assertTrue(clock.pending() <= 1, "one timer at a time, not " + clock.pending());
    }
  }

  @Test
  void aFrameArrivesAtItsStartPlusSerialisationPlusLatencyAndTheNextStartsWhenTheWireIsFree()
      throws Exception {
    ManualClock clock = new ManualClock();
    Wire wire = new Wire(MS, GBIT, 100, clock);
    Log log = new Log();
    // 1000 B: (1000 + 24) x 8 = 8192 ns; 100 B: 992 ns; 40 B, padded to 60: 672 ns; 1500 B: 12192 ns
    CompletionStage<Done> done = run(wire, clock, log,
        List.of(frame(0, 1000), frame(1, 100), frame(2, 40), frame(3, 1500)), 1);
    runAll(clock);

    assertEquals(List.of(0L, 8192L, 9184L, 9856L), log.takenAt(),
        "each frame taken when the one before has left the wire, not earlier");
    assertEquals(List.of(8192 + MS, 9184 + MS, 9856 + MS, 22048 + MS), log.deliveredAt());
    assertEquals(List.of(0L, 1L, 2L, 3L), log.deliveredSeqs(), "in order");
    done.toCompletableFuture().get();
    assertEquals(4, wire.framesIn());
    assertEquals(4, wire.framesOut());
    assertEquals(0, wire.held());
    assertEquals(0, wire.lost());
  }

  @Test
  void aSlowerRateTakesLongerPerFrame() throws Exception {
    ManualClock clock = new ManualClock();
    Wire wire = new Wire(0, 100_000_000L, 100, clock); // 100 Mbit/s: 80 ns a byte
    Log log = new Log();
    run(wire, clock, log, List.of(frame(0, 1000), frame(1, 1000)), 1);
    runAll(clock);

    assertEquals(List.of(0L, 81_920L), log.takenAt());
    assertEquals(List.of(81_920L, 163_840L), log.deliveredAt());
  }

  @Test
  void withoutARateFramesOnlyPropagateAndFollowEachOtherAtOnce() throws Exception {
    ManualClock clock = new ManualClock();
    Wire wire = new Wire(20 * MS, 0, 100, clock); // real time: latency only
    Log log = new Log();
    run(wire, clock, log, List.of(frame(0, 1000), frame(1, 1500), frame(2, 60)), 3);
    runAll(clock);

    assertEquals(List.of(0L, 0L, 0L), log.takenAt());
    assertEquals(List.of(20 * MS, 20 * MS, 20 * MS), log.deliveredAt());
    assertEquals(List.of(0L, 1L, 2L), log.deliveredSeqs());
  }

  @Test
  void aFullWireTakesTheNextFrameOnlyWhenItsHeadArrives() throws Exception {
    ManualClock clock = new ManualClock();
    Wire wire = new Wire(MS, GBIT, 2, clock); // room for two frames on their way
    Log log = new Log();
    run(wire, clock, log, List.of(frame(0, 1000), frame(1, 1000), frame(2, 1000), frame(3, 1000)),
        1);
    runAll(clock);

    // frame 1 has left the serialiser at 16384, but two are on the wire until frame 0 arrives
    assertEquals(List.of(0L, 8192L, 8192 + MS, 16384 + MS), log.takenAt());
    assertEquals(List.of(8192 + MS, 16384 + MS, 16384 + 2 * MS, 24576 + 2 * MS),
        log.deliveredAt());
  }

  @Test
  void aReceiverThatTakesNothingStopsTheWire() {
    ManualClock clock = new ManualClock();
    Wire wire = new Wire(0, GBIT, 100, clock);
    Log log = new Log();
    TestSubscriber.Probe<ByteString> receiver = offered(clock, log,
            List.of(frame(0, 1000), frame(1, 1000), frame(2, 1000)))
        .via(wire.flow()).via(stamped(clock, log))
        .toMat(TestSink.create(kit.system()), Keep.right())
        .withAttributes(ActorAttributes.dispatcher(CallingThreadDispatcher.Id()))
        .run(kit.system());
    started(clock, wire, 1);
    receiver.request(1);
    runAll(clock);
    assertEquals(0, receiver.expectNext().apply(0));
    // frame 1 arrived at 16384 and waits for the receiver: frame 2 stays with the sender
    assertEquals(16_384L, clock.nanos());
    assertEquals(List.of(0L, 8192L), log.takenAt());
    assertEquals(1, wire.held());

    receiver.request(2);
    runAll(clock);
    assertEquals(1, receiver.expectNext().apply(0));
    assertEquals(2, receiver.expectNext().apply(0));
    assertEquals(List.of(0L, 8192L, 16_384L), log.takenAt());
    assertEquals(List.of(8192L, 16_384L, 24_576L), log.deliveredAt());
    receiver.expectComplete();
    assertEquals(0, wire.held());
  }

  @Test
  void framesOnTheWireStillArriveAfterTheSenderHasFinished() throws Exception {
    ManualClock clock = new ManualClock();
    Wire wire = new Wire(5 * MS, 0, 100, clock);
    Log log = new Log();
    // both taken at once and the sender done: the stream ends only once they have arrived
    CompletionStage<Done> done = run(wire, clock, log, List.of(frame(0, 100), frame(1, 100)), 2);
    assertFalse(done.toCompletableFuture().isDone(), "the frames are still on the wire");
    runAll(clock);
    done.toCompletableFuture().get();
    assertEquals(List.of(5 * MS, 5 * MS), log.deliveredAt());
    assertEquals(0, wire.lost());
  }

  @Test
  void framesOnTheWireWhenTheReceiverGoesAreCountedLost() {
    ManualClock clock = new ManualClock();
    Wire wire = new Wire(5 * MS, 0, 100, clock);
    Log log = new Log();
    TestSubscriber.Probe<ByteString> receiver = offered(clock, log,
            List.of(frame(0, 100), frame(1, 100), frame(2, 100)))
        .via(wire.flow()).via(stamped(clock, log))
        .toMat(TestSink.create(kit.system()), Keep.right())
        .withAttributes(ActorAttributes.dispatcher(CallingThreadDispatcher.Id()))
        .run(kit.system());
    started(clock, wire, 3);
    receiver.cancel();
    assertEquals(3, wire.framesIn());
    assertEquals(0, wire.framesOut());
    assertEquals(3, wire.lost());
    assertEquals(0, wire.held());
    assertEquals(0, clock.pending(), "its timer cancelled");
  }

  @Test
  void theWiresAreInTheLinkOnlyWhenTheyChangeSomethingOnTheClock() {
    ManualClock clock = new ManualClock();
    Port port = new Port() {
      final PortCounters counters = new PortCounters();

      @Override
      public String name() {
        return "p";
      }

      @Override
      public PortCounters counters() {
        return counters;
      }

      @Override
      public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
        return Flow.create();
      }
    };
    assertFalse(WiredPort.of(port, 0, GBIT, false, clock).inLink(), "real time, no latency");
    assertTrue(WiredPort.of(port, MS, GBIT, false, clock).inLink(), "a latency");
    assertTrue(WiredPort.of(port, 0, GBIT, true, clock).inLink(), "virtual time: the rate");
    assertSame(port.counters(), WiredPort.of(port, MS, GBIT, true, clock).counters());
  }
}
