package io.fleetsim.fault;

import static io.fleetsim.fault.Pipe.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import io.fleetsim.time.RealClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Chains inside real streams; time bounds are generous, each checks an effect on the frames. */
class FaultChainStreamTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ActorSystem<?> system = testKit.system();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static List<ByteString> frames(int n) {
    return IntStream.range(0, n).mapToObj(Pipe::frame).collect(Collectors.toList());
  }

  private static List<Integer> seqs(List<ByteString> frames) {
    return frames.stream().map(Pipe::seq).collect(Collectors.toList());
  }

  private static void assertAccounted(FaultChain c) {
    long drops = c.drops().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(c.framesIn() + c.framesAdded(), c.framesOut() + drops + c.held(), c.drops().toString());
  }

  @Test
  void anEmptyChainPassesEverythingInOrder() throws Exception {
    FaultChain chain = new FaultChain(RealClock.system());
    List<ByteString> out = Source.from(frames(10_000)).via(chain.flow()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(seqs(frames(10_000)), seqs(out));
    assertEquals(10_000, chain.framesOut());
    assertEquals(0, chain.held());
  }

  @Test
  void latencyDelaysFramesInARealStream() throws Exception {
    FaultChain chain = new FaultChain(RealClock.system());
    chain.add(LatencyFault.of(Duration.ofMillis(200)), 1);
    long start = System.nanoTime();
    List<ByteString> out = Source.from(frames(100)).via(chain.flow()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    assertEquals(seqs(frames(100)), seqs(out));
    assertTrue(elapsed >= 200_000_000L, "took " + elapsed + " ns");
    assertEquals(100, chain.delayed(), "each frame counted once as delayed");
    assertAccounted(chain);
  }

  @Test
  void lossIsCountedInARealStream() throws Exception {
    FaultChain chain = new FaultChain(RealClock.system());
    chain.add(LossFault.random(0.5), 1);
    List<ByteString> out = Source.from(frames(1000)).via(chain.flow()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(1000 - out.size(), chain.drops().get(LossFault.CAUSE));
    assertEquals(0, chain.delayed(), "loss delays nothing");
    assertAccounted(chain);
  }

  @Test
  void faultsComeAndGoOnARunningLinkAndRemovalReleasesHeldFrames() {
    FaultChain chain = new FaultChain(RealClock.system());
    var probes = TestSource.<ByteString>probe(system.classicSystem()).via(chain.flow())
        .toMat(TestSink.probe(system.classicSystem()), Keep.both()).run(system);
    TestPublisher.Probe<ByteString> in = probes.first();
    TestSubscriber.Probe<ByteString> out = probes.second();
    out.request(100);
    in.sendNext(frame(0));
    assertEquals(0, Pipe.seq(out.expectNext(Duration.ofSeconds(5))));

    String slow = chain.add(LatencyFault.of(Duration.ofSeconds(60)), 1);
    awaitActive(chain, 1);
    in.sendNext(frame(1));
    in.sendNext(frame(2));
    out.expectNoMessage(Duration.ofMillis(300));
    awaitHeld(chain, 2);

    long start = System.nanoTime();
    chain.remove(slow);
    assertEquals(1, Pipe.seq(out.expectNext(Duration.ofSeconds(5))));
    assertEquals(2, Pipe.seq(out.expectNext(Duration.ofSeconds(5))));
    assertTrue(System.nanoTime() - start < 5_000_000_000L);

    chain.add(LossFault.random(1), 2);
    in.sendNext(frame(3));
    out.expectNoMessage(Duration.ofMillis(200));
    assertEquals(1L, chain.drops().get(LossFault.CAUSE));
    in.sendComplete();
    out.expectComplete();
    assertAccounted(chain);
  }

  @Test
  void aLinkMaterialisedLaterStartsWithTheCurrentFaults() throws Exception {
    FaultChain chain = new FaultChain(RealClock.system());
    chain.add(new PartitionFault(java.util.Set.of(new io.fleetsim.addr.MacAddress(0x525400000001L))), 1);
    List<ByteString> out = Source.from(frames(10)).via(chain.flow()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertTrue(out.isEmpty());
    assertEquals(10L, chain.drops().get(PartitionFault.CAUSE));
  }

  @Test
  void aFullChainStopsPullingAndALostLinkCountsWhatItHeld() {
    FaultChain chain = new FaultChain(10, RealClock.system());
    chain.add(LatencyFault.of(Duration.ofSeconds(60)), 1);
    TestSubscriber.Probe<ByteString> out = Source.repeat(frame(0)).take(1000).via(chain.flow())
        .runWith(TestSink.probe(system.classicSystem()), system);
    out.request(1);
    awaitHeld(chain, 10);
    out.expectNoMessage(Duration.ofMillis(200));
    assertEquals(10, chain.held());
    assertEquals(10, chain.framesIn());
    out.cancel();
    awaitHeld(chain, 0);
    assertEquals(10L, chain.drops().get(FaultChain.CAUSE_LINK_CLOSED));
    assertAccounted(chain);
  }

  @Test
  void aFaultyPortPutsAChainOnEachDirection() throws Exception {
    // an inner port that echoes: frames from the wire come straight back to it
    Port echo = new Port() {
      final PortCounters counters = new PortCounters();

      @Override
      public String name() {
        return "echo";
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
    FaultyPort port = new FaultyPort(echo, RealClock.system());
    String dup = port.add(new DuplicateFault(1), Direction.OUT, 1);
    port.add(new CorruptFault(1, 1), Direction.IN, 2);
    // frames at least 4 bits apart, so a 1-bit flip cannot turn one into another
    List<ByteString> sent = IntStream.range(0, 50).mapToObj(i -> frame(i * 0x01010101))
        .collect(Collectors.toList());
    List<ByteString> out = Source.from(sent).via(port.link()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(100, out.size());
    assertTrue(out.stream().noneMatch(sent::contains), "every frame corrupted on the way back");
    assertEquals(50, port.fromWire().framesAdded());
    assertEquals(100, port.toWire().framesIn());
    assertEquals(List.of(dup), port.fromWire().active());
    assertEquals(1, port.toWire().active().size());
    port.remove(dup);
    assertEquals(List.of(), port.fromWire().active());
    assertAccounted(port.fromWire());
    assertAccounted(port.toWire());
  }

  private static void awaitHeld(FaultChain chain, long n) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (chain.held() != n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(n, chain.held());
  }

  private static void awaitActive(FaultChain chain, int n) {
    assertEquals(n, chain.active().size());
  }
}
