package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static ByteString frame(int length, int seed) {
    return ByteString.fromArray(WireClient.frame(length, seed));
  }

  static List<ByteString> decode(int maxFrame, ByteString... chunks) throws Exception {
    return Source.from(List.of(chunks))
        .via(FrameCodec.decoder(maxFrame))
        .runWith(Sink.seq(), kit.system())
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static Throwable decodeFailure(int maxFrame, ByteString... chunks) throws Exception {
    try {
      decode(maxFrame, chunks);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("decoding did not fail");
  }

  @Test
  void theWireFormatIsABigEndianLengthThenTheFrame() {
    ByteString wire = FrameCodec.encode(frame(0x0102, 1));
    assertEquals(4 + 0x0102, wire.length());
    assertEquals(ByteString.fromArray(new byte[] {0, 0, 1, 2}), wire.take(4));
    assertEquals(frame(0x0102, 1), wire.drop(4));
  }

  @Test
  void zeroLengthFramesAreEmptyFrames() throws Exception {
    ByteString wire = FrameCodec.encode(ByteString.emptyByteString())
        .concat(FrameCodec.encode(frame(3, 1)))
        .concat(FrameCodec.encode(ByteString.emptyByteString()));
    assertEquals(List.of(ByteString.emptyByteString(), frame(3, 1), ByteString.emptyByteString()),
        decode(100, wire));
  }

  @Test
  void theLimitIsInclusiveAndOneMoreByteIsOversize() throws Exception {
    int max = NetdevSettings.QEMU_MAX_FRAME;
    assertEquals(List.of(frame(max, 1)), decode(max, FrameCodec.encode(frame(max, 1))));
    Throwable failure = decodeFailure(max,
        FrameCodec.encode(frame(10, 2)), ByteString.fromArray(new byte[] {0, 1, 0x10, 0x01}));
    OversizeFrameException oversize = assertInstanceOf(OversizeFrameException.class, failure);
    assertEquals(max + 1, oversize.length());
    // Read as unsigned: a huge prefix is oversize, not negative.
    Throwable huge = decodeFailure(max, ByteString.fromArray(new byte[] {-1, -1, -1, -1}));
    assertEquals(0xffffffffL, assertInstanceOf(OversizeFrameException.class, huge).length());
  }

  @Test
  void completeFramesArriveBeforeATruncationIsReported() throws Exception {
    ByteString wire = FrameCodec.encode(frame(20, 1)).concat(FrameCodec.encode(frame(50, 2)));
    TestSubscriber.Probe<ByteString> probe = Source.single(wire.take(4 + 20 + 4 + 10))
        .via(FrameCodec.decoder(100))
        .runWith(TestSink.probe(kit.system().classicSystem()), kit.system());
    probe.request(5);
    probe.expectNext(frame(20, 1));
    TruncatedFrameException truncated =
        assertInstanceOf(TruncatedFrameException.class, probe.expectError());
    assertEquals(14, truncated.bufferedBytes());
  }

  @Test
  void theEncoderCoalescesFramesWhileDownstreamIsBusy() {
    List<ByteString> frames = new ArrayList<>();
    ByteString expected = ByteString.emptyByteString();
    for (int i = 0; i < 100; i++) {
      frames.add(frame(60 + i, i));
      expected = expected.concat(FrameCodec.encode(frame(60 + i, i)));
    }
    TestSubscriber.Probe<ByteString> probe = Source.from(frames)
        .via(FrameCodec.encoder(256 * 1024))
        .runWith(TestSink.probe(kit.system().classicSystem()), kit.system());
    probe.ensureSubscription();
    probe.expectNoMessage(java.time.Duration.ofMillis(50)); // nothing requested yet
    probe.request(10);
    assertEquals(expected, probe.expectNext(), "all 100 frames in one chunk");
    probe.expectComplete();
  }

  @Test
  void aBatchStopsGrowingAtTheBatchSize() throws Exception {
    List<ByteString> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      frames.add(frame(300, i));
    }
    TestSubscriber.Probe<ByteString> probe = Source.from(frames)
        .via(FrameCodec.encoder(1000))
        .runWith(TestSink.probe(kit.system().classicSystem()), kit.system());
    probe.ensureSubscription();
    probe.expectNoMessage(java.time.Duration.ofMillis(50));
    probe.request(100);
    ByteString all = ByteString.emptyByteString();
    int chunks = 0;
    while (all.length() < 50 * 304) {
      ByteString chunk = probe.expectNext();
      assertTrue(chunk.length() <= 1000 + 304, "chunk of " + chunk.length());
      all = all.concat(chunk);
      chunks++;
    }
    probe.expectComplete();
    assertTrue(chunks > 1);
    assertEquals(frames, decode(1000, all));
  }

  @Test
  void framesHeldWhenTheWireGoesAwayAreReported() {
    AtomicLong unsent = new AtomicLong();
    List<ByteString> frames = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      frames.add(frame(100, i));
    }
    TestSubscriber.Probe<ByteString> probe = Source.from(frames)
        .concat(Source.never())
        .via(FrameCodec.encoder(256 * 1024, unsent::addAndGet))
        .runWith(TestSink.probe(kit.system().classicSystem()), kit.system());
    probe.ensureSubscription();
    probe.expectNoMessage(java.time.Duration.ofMillis(50));
    probe.cancel();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (unsent.get() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(7, unsent.get());
  }

  @Test
  void severalFramesInOneChunkAreSplit() throws Exception {
    ByteBuffer wire = ByteBuffer.allocate(3 * 104);
    for (int i = 0; i < 3; i++) {
      wire.putInt(100).put(WireClient.frame(100, i));
    }
    List<ByteString> frames = decode(200, ByteString.fromArrayUnsafe(wire.array()));
    assertEquals(List.of(frame(100, 0), frame(100, 1), frame(100, 2)), frames);
  }
}
