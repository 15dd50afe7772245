package io.fleetsim.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import io.fleetsim.time.RealClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A network port's chains, counted at their edges: the books balance, link closed or not. */
class NetworkPortBooksTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ActorSystem<?> system = testKit.system();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A port whose link is {@code link}: frames from the wire go in, what it emits goes back. */
  private static Port port(Supplier<Flow<ByteString, ByteString, NotUsed>> link) {
    PortCounters counters = new PortCounters();
    return new Port() {
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
        return link.get();
      }
    };
  }

  private static List<ByteString> frames(int n) {
    return IntStream.range(0, n).mapToObj(Pipe::frame).collect(Collectors.toList());
  }

  private static void assertBalanced(FaultyPort.Crossing c, FaultChain chain) {
    assertEquals(c.entered() + chain.framesAdded(), c.left() + chain.dropped() + c.linkClosed() + chain.held(),
        c + " " + chain.drops());
  }

  @Test
  void eachChainIsCountedAtItsEdges() throws Exception {
    FaultyPort port = FaultyPort.networkPort(port(Flow::create),
        RealClock.system()); // the port echoes
    port.add(LossFault.random(0.5), Direction.OUT, 1);
    port.add(new DuplicateFault(0.2), Direction.IN, 2);
    List<ByteString> back = Source.from(frames(1000)).via(port.link()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    FaultyPort.Crossing in = port.fromWireCrossing();
    FaultyPort.Crossing out = port.toWireCrossing();
    assertEquals(1000, in.entered());
    assertEquals(1000 - port.fromWire().drops().get(LossFault.CAUSE), in.left());
    assertEquals(in.left(), out.entered(), "the port echoed what it got");
    assertEquals(back.size(), out.left(), "what left the chain reached the wire");
    assertTrue(port.toWire().framesAdded() > 0, "copies were made");
    assertEquals(0, in.linkClosed() + out.linkClosed());
    assertBalanced(in, port.fromWire());
    assertBalanced(out, port.toWire());
  }

  @Test
  void framesStillComingWhenThePortSideClosesAreBookedAsLinkClosed() throws Exception {
    // the port's side takes ten frames and ends: the rest reach a closed link
    FaultyPort port = FaultyPort.networkPort(port(() -> Flow.<ByteString>create().take(10)),
        RealClock.system());
    port.add(LatencyFault.of(Duration.ofMillis(20)), Direction.OUT, 1);
    List<ByteString> back = Source.from(frames(100)).via(port.link()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(10, back.size());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (port.fromWireCrossing().left() + port.fromWireCrossing().linkClosed() < 100
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    FaultyPort.Crossing in = port.fromWireCrossing();
    assertEquals(100, in.entered(), "the wire side went on until it ended");
    assertEquals(10, in.left());
    assertEquals(90, in.linkClosed(), "the rest came to the closed link and were booked there");
    assertEquals(90, port.linkClosed());
    assertBalanced(in, port.fromWire());
    assertBalanced(port.toWireCrossing(), port.toWire());
  }

  @Test
  void afterTheBooksCloseFramesFromTheWireAreIgnoredAndCounted() throws Exception {
    FaultyPort port = FaultyPort.networkPort(port(Flow::create), RealClock.system());
    port.closeBooks();
    List<ByteString> back = Source.from(frames(50)).via(port.link()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(0, back.size());
    assertEquals(50, port.framesAfterClose());
    assertEquals(0, port.fromWireCrossing().entered(), "not in the books: they came after the run");
  }

  @Test
  void aVmsPortHasNoEdgesToAskFor() {
    FaultyPort port = new FaultyPort(port(Flow::create), RealClock.system());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, port::fromWireCrossing);
    assertEquals(0, port.linkClosed());
  }
}
