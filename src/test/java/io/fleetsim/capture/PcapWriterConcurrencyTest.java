package io.fleetsim.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.link.FrameTap.Direction;
import io.fleetsim.time.RealClock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two threads (a port's two stream threads) writing at once must leave a valid, complete file. */
class PcapWriterConcurrencyTest {
  private static final int PER_THREAD = 20_000;
  private static final int MAXLEN = 1000;

  @TempDir Path dir;

  @Test
  @Timeout(60)
  void twoThreadsWritingGiveAValidFileWithEveryFrameWhole() throws Exception {
    Path file = dir.resolve("both.pcap");
    PcapWriter writer = PcapWriter.open("f1", file, MAXLEN, RealClock.system());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (Direction direction : Direction.values()) {
      done.add(pool.submit(() -> {
        start.await();
        for (int seq = 0; seq < PER_THREAD; seq++) {
          writer.frame(direction, frame(direction, seq));
          if (seq % 5000 == 0) {
            writer.flush();
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    writer.close();

    PcapFile pcap = PcapFile.read(file);
    assertEquals(2 * PER_THREAD, pcap.packets().size());
    int[] next = new int[Direction.values().length];
    for (PcapFile.Packet p : pcap.packets()) {
      ByteBuffer data = ByteBuffer.wrap(p.data());
      int direction = data.get(14);
      int seq = data.getInt(15);
      assertEquals(next[direction], seq, "frames of one thread stay in order, none lost");
      next[direction]++;
      ByteString expected = frame(Direction.values()[direction], seq);
      assertEquals(expected.size(), p.length());
      assertEquals(expected.take(MAXLEN), ByteString.fromArray(p.data()), "record " + seq);
    }
    assertEquals(PER_THREAD, next[0]);
    assertEquals(PER_THREAD, next[1]);
  }

  /** Sizes 60..1513 with a direction byte and sequence number after the Ethernet header. */
  private static ByteString frame(Direction direction, int seq) {
    int length = 60 + (seq * 37) % 1454;
    ByteBuffer b = ByteBuffer.allocate(length);
    for (int i = 0; i < 6; i++) {
      b.put((byte) 0xff);
    }
    b.put(new byte[] {0x52, 0x54, 0, 0x12, 0x34, (byte) (0x56 + direction.ordinal())});
    b.putShort((short) 0x88B5);
    b.put((byte) direction.ordinal());
    b.putInt(seq);
    while (b.hasRemaining()) {
      b.put((byte) (b.position() ^ seq));
    }
    return ByteString.fromArray(b.array());
  }
}
