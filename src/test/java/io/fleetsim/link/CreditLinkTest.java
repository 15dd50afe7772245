package io.fleetsim.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The owner of a credit link hears every batch, one at a time under its acks, and exactly one
 * end per link, after the link's own end hook, also when batches are still being delivered.
 */
class CreditLinkTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Materializer mat = Materializer.createMaterializer(kit.system());

  record In(long generation, List<ByteString> frames, ActorRef<CreditLink.Ack> ack) {}

  record Ended(long generation, boolean hookRan) {}

  enum Marker { INSTANCE }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private static CreditLink.Protocol<Object> protocol(AtomicBoolean hookRan) {
    return new CreditLink.Protocol<>() {
      @Override
      public Object framesIn(long generation, List<ByteString> frames,
          ActorRef<CreditLink.Ack> ack) {
        return new In(generation, frames, ack);
      }

      @Override
      public Object linkEnded(long generation) {
        return new Ended(generation, hookRan.get());
      }
    };
  }

  private static List<ByteString> frames(int n) {
    List<ByteString> frames = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      frames.add(ByteString.fromArray(new byte[] {(byte) i}));
    }
    return frames;
  }

  @Test
  void aWireThatEndsWithBatchesUndeliveredGivesThemAllAndOneEnd() {
    TestProbe<Object> owner = kit.createTestProbe();
    AtomicBoolean hookRan = new AtomicBoolean();
    Source.from(frames(5))
        .via(CreditLink.of(owner.getRef(), protocol(hookRan), 7, 2, Source.<ByteString>never(),
            () -> hookRan.set(true)))
        .runWith(Sink.ignore(), mat);

    In first = owner.expectMessageClass(In.class); // the first credit needs no handshake
    assertEquals(7, first.generation());
    // the wire has ended; the link's end comes before the owner took the rest
    assertEquals(new Ended(7, true), owner.expectMessageClass(Ended.class));
    List<ByteString> got = new ArrayList<>(first.frames());
    In last = first;
    while (got.size() < 5) {
      last.ack().tell(CreditLink.Ack.INSTANCE);
      last = owner.expectMessageClass(In.class);
      assertTrue(last.frames().size() <= 2, "batches of at most 2 frames");
      got.addAll(last.frames());
    }
    assertEquals(frames(5), got);
    // anything the ingress sent on finishing with its last batch is queued before this marker
    owner.getRef().tell(Marker.INSTANCE);
    owner.expectMessage(Marker.INSTANCE);
  }

  @Test
  void aConsumerThatCancelsEndsTheLinkOnce() {
    TestProbe<Object> owner = kit.createTestProbe();
    AtomicBoolean hookRan = new AtomicBoolean();
    Source.<ByteString>maybe()
        .via(CreditLink.of(owner.getRef(), protocol(hookRan), 3, 64,
            Source.from(frames(2)), () -> hookRan.set(true)))
        .runWith(Sink.seq(), mat);

    assertEquals(new Ended(3, true), owner.expectMessageClass(Ended.class));
    owner.getRef().tell(Marker.INSTANCE);
    owner.expectMessage(Marker.INSTANCE);
  }
}
