package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** Properties of {@link FrameCodec}: exact round trips and total, hang-free decoding. */
class FrameCodecPropertyTest {
  private static ActorSystem system;

  @BeforeContainer
  static void start() {
    system = ActorSystem.create("FrameCodecPropertyTest");
  }

  @AfterContainer
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Provide
  Arbitrary<List<byte[]>> frames() {
    Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(1600);
    Arbitrary<byte[]> big = Arbitraries.bytes().array(byte[].class)
        .ofMinSize(60_000).ofMaxSize(NetdevSettings.QEMU_MAX_FRAME);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(20, small), net.jqwik.api.Tuple.of(1, big))
        .list().ofMaxSize(30);
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(1, 9000).list().ofMinSize(1).ofMaxSize(40);
  }

  /** Splits {@code bytes} into chunks whose sizes cycle through {@code cuts}. */
  static List<ByteString> chop(ByteString bytes, List<Integer> cuts) {
    List<ByteString> chunks = new ArrayList<>();
    int at = 0;
    for (int i = 0; at < bytes.length(); i++) {
      int size = Math.min(cuts.get(i % cuts.size()), bytes.length() - at);
      chunks.add(bytes.slice(at, at + size));
      at += size;
    }
    return chunks;
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS); // a hang fails the property
  }

  @Property(tries = 300)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void encodeThenDecodeAtAnyChunkingGivesTheFramesBack(
      @ForAll("frames") List<byte[]> frames, @ForAll("cuts") List<Integer> cuts,
      @ForAll("batch") int batchBytes) throws Exception {
    List<ByteString> in = frames.stream().map(ByteString::fromArray).toList();
    ByteString wire = await(Source.from(in)
        .via(FrameCodec.encoder(batchBytes))
        .runFold(ByteString.emptyByteString(), ByteString::concat, system));

    ByteString expectedWire = ByteString.emptyByteString();
    for (ByteString frame : in) {
      expectedWire = expectedWire.concat(FrameCodec.encode(frame));
    }
    assertEquals(expectedWire, wire);

    List<ByteString> out = await(Source.from(chop(wire, cuts))
        .via(FrameCodec.decoder(NetdevSettings.QEMU_MAX_FRAME))
        .runWith(Sink.seq(), system));
    assertEquals(in, out);

    // the generator reaches what the property is about: several frames, big ones, and frames
    // cut across chunks
    Statistics.label("several frames").collect(in.size() > 1);
    Statistics.label("a big frame").collect(in.stream().anyMatch(f -> f.size() >= 60_000));
    Statistics.label("a frame split across chunks").collect(!in.isEmpty() && cuts.stream()
        .anyMatch(c -> c < wire.size()));
    Statistics.label("several frames").coverage(c -> c.check(true).percentage(p -> p >= 40));
    Statistics.label("a big frame").coverage(c -> c.check(true).percentage(p -> p >= 10));
    Statistics.label("a frame split across chunks").coverage(c -> c.check(true).percentage(p -> p >= 50));
  }

  @Provide
  Arbitrary<Integer> batch() {
    return Arbitraries.integers().between(5, 300_000);
  }

  @Provide
  Arbitrary<byte[]> noise() {
    // Mostly small lengths so that frames do get through: the first byte of a prefix is 0 often.
    Arbitrary<Byte> sparse = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just((byte) 0)),
        net.jqwik.api.Tuple.of(4, Arbitraries.bytes()));
    return sparse.array(byte[].class).ofMaxSize(400);
  }

  /** What a straightforward reading of the bytes says should come out. */
  record Expected(List<ByteString> frames, Class<? extends Throwable> failure) {}

  static Expected reference(byte[] bytes, int maxFrame) {
    List<ByteString> frames = new ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      if (bytes.length - at < 4) {
        return new Expected(frames, TruncatedFrameException.class);
      }
      long length = ((bytes[at] & 0xffL) << 24) | ((bytes[at + 1] & 0xffL) << 16)
          | ((bytes[at + 2] & 0xffL) << 8) | (bytes[at + 3] & 0xffL);
      if (length > maxFrame) {
        return new Expected(frames, OversizeFrameException.class);
      }
      if (bytes.length - at - 4 < length) {
        return new Expected(frames, TruncatedFrameException.class);
      }
      frames.add(ByteString.fromArray(bytes, at + 4, (int) length));
      at += 4 + (int) length;
    }
    return new Expected(frames, null);
  }

  @Property(tries = 500)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void anyBytesGiveFramesThenACleanEndOrAFramingFailure(
      @ForAll("noise") byte[] bytes, @ForAll("cuts") List<Integer> cuts) throws Exception {
    int maxFrame = 100;
    Expected expected = reference(bytes, maxFrame);
    List<ByteString> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletionStage<org.apache.pekko.Done> done = Source.from(chop(ByteString.fromArray(bytes),
            cuts.stream().map(c -> 1 + c % 50).toList()))
        .via(FrameCodec.decoder(maxFrame))
        .runWith(Sink.foreach(seen::add), system);
    Throwable failure = null;
    try {
      await(done);
    } catch (ExecutionException e) {
      failure = e.getCause();
    }
    assertEquals(expected.frames(), seen);
    if (expected.failure() == null) {
      assertNull(failure);
    } else {
      assertInstanceOf(expected.failure(), failure);
    }

    // noise that only ever failed at once would check nothing: frames must get through, and
    // every ending must be reached
    Statistics.label("ending").collect(expected.failure() == null ? "clean"
        : expected.failure().getSimpleName());
    Statistics.label("frames before the end").collect(!expected.frames().isEmpty());
    Statistics.label("ending").coverage(c -> {
      c.check("clean").percentage(p -> p >= 2);
      c.check("TruncatedFrameException").percentage(p -> p >= 10);
      c.check("OversizeFrameException").percentage(p -> p >= 30);
    });
    Statistics.label("frames before the end").coverage(c -> c.check(true).percentage(p -> p >= 3));
  }
}
