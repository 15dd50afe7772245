package io.fleetsim.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetsim.link.FrameTap.Direction;
import io.fleetsim.qemu.FilterDumpSpec;
import io.fleetsim.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
  private static final HexFormat HEX = HexFormat.of();
  // 2024-01-02T03:04:05.678901Z: 0x65937D25 seconds, 678901 = 0x000A5BF5 microseconds.
  private static final Clock FIXED =
      new StoppedClock(Instant.parse("2024-01-02T03:04:05.678901234Z"));

  /** A clock that shows one instant, and whose monotonic time moves only when a test moves it. */
  private static final class StoppedClock implements Clock {
    @Override
    public boolean await(java.util.function.BooleanSupplier done, long deadlineNanos) {
      throw new UnsupportedOperationException("not a run's clock");
    }

    private final Instant instant;
    final AtomicLong nanos = new AtomicLong();

    StoppedClock(Instant instant) {
      this.instant = instant;
    }

    @Override
    public long nanos() {
      return nanos.get();
    }

    @Override
    public Instant instant() {
      return instant;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
      throw new UnsupportedOperationException("a pcap writer sets no timers");
    }
  }

  @TempDir Path dir;

  @BeforeAll
  static void littleEndianHost() {
    // QEMU writes host order; the literal bytes below are what an x86 (little-endian) host writes.
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "literal bytes assume x86");
  }

  @Test
  void headerIsQemusExactBytes() throws IOException {
    Path file = dir.resolve("h.pcap");
    PcapWriter.open("f1", file, 65536, FIXED).close();
    assertEquals("d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000100" + "01000000",
        HEX.formatHex(Files.readAllBytes(file)));
  }

  @Test
  void headerIsOnDiskBeforeAnyFrameOrFlush() throws IOException {
    Path file = dir.resolve("early.pcap");
    try (PcapWriter w = PcapWriter.open("f1", file, 1514, FIXED)) {
      assertEquals(24, Files.size(file));
      assertEquals("ea050000", HEX.formatHex(Files.readAllBytes(file), 16, 20), "snaplen 1514");
    }
  }

  @Test
  void recordsAreExactBytesAndTruncatedAtMaxlen() throws IOException {
    Path file = dir.resolve("r.pcap");
    byte[] small = frame(60, (byte) 0x11);
    byte[] big = frame(120, (byte) 0x22);
    try (PcapWriter w = PcapWriter.open("f1", file, 100, FIXED)) {
      w.frame(Direction.FROM_WIRE, ByteString.fromArray(small));
      w.frame(Direction.TO_WIRE, ByteString.fromArray(big));
    }
    String expected = "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "64000000"
        + "01000000"
        + "257d9365" + "f55b0a00" + "3c000000" + "3c000000" + HEX.formatHex(small)
        + "257d9365" + "f55b0a00" + "64000000" + "78000000"
        + HEX.formatHex(Arrays.copyOf(big, 100));
    assertEquals(expected, HEX.formatHex(Files.readAllBytes(file)));
  }

  @Test
  void emptyFrameIsARecordOfLengthZero() throws IOException {
    Path file = dir.resolve("empty.pcap");
    try (PcapWriter w = PcapWriter.open("f1", file, 65536, FIXED)) {
      w.frame(Direction.FROM_WIRE, ByteString.emptyByteString());
    }
    PcapFile pcap = PcapFile.read(file);
    assertEquals(1, pcap.packets().size());
    assertEquals(0, pcap.packets().get(0).length());
    assertEquals(0, pcap.packets().get(0).caplen());
  }

  /**
   * The reference file was written by QEMU 7.2.22 itself: {@code -netdev socket,id=s,listen=...}
   * on hub 0 with a second socket netdev, {@code -object filter-dump,id=f,netdev=s,file=..,maxlen=100};
   * a 60-byte frame arrived on s, then a 214-byte frame arrived on the other netdev and went out
   * of s. Ours must be identical except for the timestamps.
   */
  @Test
  void matchesAFileWrittenByQemu() throws IOException {
    byte[] qemu = resource("qemu-7.2-filter-dump-maxlen100.pcap");
    PcapFile reference = PcapFile.parse(qemu);
    Path file = dir.resolve("ours.pcap");
    try (PcapWriter w = PcapWriter.open("f", file, 100, FIXED)) {
      w.frame(Direction.FROM_WIRE, frameOfLength(reference.packets().get(0)));
      w.frame(Direction.TO_WIRE, frameOfLength(reference.packets().get(1)));
    }
    byte[] ours = Files.readAllBytes(file);
    assertEquals(qemu.length, ours.length);
    assertEquals(HEX.formatHex(qemu, 0, 24), HEX.formatHex(ours, 0, 24), "file header");
    byte[] oursMasked = maskTimestamps(ours);
    byte[] qemuMasked = maskTimestamps(qemu);
    assertEquals(HEX.formatHex(qemuMasked), HEX.formatHex(oursMasked));
  }

  @Test
  void frameLargerThanTheBufferIsWrittenWhole() throws IOException {
    Path file = dir.resolve("jumbo.pcap");
    byte[] huge = frame(69632, (byte) 0x5a);
    try (PcapWriter w = PcapWriter.open("f1", file, 65536, FIXED)) {
      w.frame(Direction.FROM_WIRE, ByteString.fromArray(frame(64, (byte) 1)));
      w.frame(Direction.FROM_WIRE, ByteString.fromArray(huge));
      w.frame(Direction.FROM_WIRE, ByteString.fromArray(frame(64, (byte) 2)));
    }
    List<PcapFile.Packet> packets = PcapFile.read(file).packets();
    assertEquals(3, packets.size());
    assertEquals(65536, packets.get(1).caplen());
    assertEquals(69632, packets.get(1).length());
    assertArrayEquals(Arrays.copyOf(huge, 65536), packets.get(1).data());
    assertArrayEquals(frame(64, (byte) 2), packets.get(2).data());
  }

  @Test
  void compositeByteStringsAreWrittenInOrder() throws IOException {
    Path file = dir.resolve("concat.pcap");
    byte[] whole = frame(200, (byte) 7);
    ByteString joined = ByteString.fromArray(whole, 0, 50)
        .concat(ByteString.fromArray(whole, 50, 150));
    try (PcapWriter w = PcapWriter.open("f1", file, 120, FIXED)) {
      w.frame(Direction.FROM_WIRE, joined);
    }
    PcapFile.Packet p = PcapFile.read(file).packets().get(0);
    assertArrayEquals(Arrays.copyOf(whole, 120), p.data());
    assertEquals(200, p.length());
  }

  @Test
  void flushWritesBufferedRecords() throws IOException {
    Path file = dir.resolve("flush.pcap");
    try (PcapWriter w = PcapWriter.open("f1", file, 65536, FIXED)) {
      w.frame(Direction.FROM_WIRE, ByteString.fromArray(frame(64, (byte) 3)));
      assertEquals(24, Files.size(file), "buffered, not yet written");
      w.flush();
      assertEquals(24 + 16 + 64, Files.size(file));
      assertEquals(1, w.frames());
    }
  }

  @Test
  void aFrameLongAfterTheLastWriteFlushesTheBuffer() throws IOException {
    StoppedClock clock = new StoppedClock(Instant.EPOCH);
    Path file = dir.resolve("ticker.pcap");
    try (PcapWriter w = PcapWriter.open("f1", file, 65536, clock)) {
      w.frame(Direction.FROM_WIRE, ByteString.fromArray(frame(64, (byte) 1)));
      assertEquals(24, Files.size(file));
      clock.nanos.addAndGet(PcapWriter.WRITE_AFTER_NANOS);
      w.frame(Direction.FROM_WIRE, ByteString.fromArray(frame(64, (byte) 2)));
      assertEquals(24 + 2 * (16 + 64), Files.size(file));
    }
  }

  @Test
  void closeIsIdempotentAndLaterFramesAreIgnored() throws IOException {
    Path file = dir.resolve("closed.pcap");
    PcapWriter w = PcapWriter.open("f1", file, 65536, FIXED);
    w.frame(Direction.FROM_WIRE, ByteString.fromArray(frame(64, (byte) 1)));
    w.close();
    w.close();
    w.frame(Direction.FROM_WIRE, ByteString.fromArray(frame(64, (byte) 2)));
    w.flush();
    w.close();
    assertEquals(1, PcapFile.read(file).packets().size());
    assertEquals(1, w.frames());
  }

  @Test
  void existingFileIsTruncated() throws IOException {
    Path file = dir.resolve("old.pcap");
    Files.write(file, new byte[1000]);
    PcapWriter.open("f1", file, 65536, FIXED).close();
    assertEquals(24, Files.size(file));
  }

  @Test
  void missingFolderIsAClearError() {
    Path file = dir.resolve("no/such/dir/x.pcap");
    CaptureException e = assertThrows(CaptureException.class,
        () -> PcapWriter.open("f1", file, 65536, FIXED));
    assertEquals("filter-dump f1: can't open file '" + file + "': No such file or directory",
        e.getMessage());
  }

  @Test
  void aFolderIsNotAFile() {
    CaptureException e = assertThrows(CaptureException.class,
        () -> PcapWriter.open("f2", dir, 65536, FIXED));
    assertEquals("filter-dump f2: can't open file '" + dir + "': Is a directory", e.getMessage());
  }

  @Test
  void aFileThatCannotBeWrittenIsAClearError() {
    assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full");
    CaptureException e = assertThrows(CaptureException.class,
        () -> PcapWriter.open("f3", Path.of("/dev/full"), 65536, FIXED));
    assertEquals("filter-dump f3: can't write file '/dev/full': No space left on device",
        e.getMessage());
  }

  @Test
  void maxlenBelowOneIsRefused() {
    CaptureException e = assertThrows(CaptureException.class,
        () -> PcapWriter.open("f1", dir.resolve("m.pcap"), 0, FIXED));
    assertEquals("filter-dump f1: maxlen must be at least 1, got 0", e.getMessage());
  }

  @Test
  void opensFromAFilterDumpSpec() throws IOException {
    Path file = dir.resolve("spec.pcap");
    FilterDumpSpec spec = new FilterDumpSpec("f9", "n1", file.toString(), 256,
        "filter-dump,id=f9,netdev=n1,file=" + file + ",maxlen=256");
    try (PcapWriter w = PcapWriter.open(spec, FIXED)) {
      assertEquals("f9", w.id());
      assertEquals(256, w.maxlen());
      assertEquals(file, w.file());
    }
    assertEquals(256, PcapFile.read(file).snaplen());
  }

  @Test
  void timestampsComeFromTheClock() throws IOException {
    Path file = dir.resolve("ts.pcap");
    Clock clock = new StoppedClock(Instant.ofEpochSecond(1_700_000_000L, 999_999_999L));
    try (PcapWriter w = PcapWriter.open("f1", file, 65536, clock)) {
      w.frame(Direction.FROM_WIRE, ByteString.fromArray(frame(64, (byte) 1)));
    }
    PcapFile.Packet p = PcapFile.read(file).packets().get(0);
    assertEquals(1_700_000_000L, p.seconds());
    assertEquals(999_999L, p.micros());
  }

  static byte[] frame(int length, byte fill) {
    byte[] f = new byte[length];
    Arrays.fill(f, fill);
    for (int i = 0; i < Math.min(6, length); i++) {
      f[i] = (byte) 0xff;
    }
    for (int i = 0; i < length; i++) {
      if (i >= 14) {
        f[i] = (byte) (fill + i);
      }
    }
    return f;
  }

  /** The reference's captured bytes padded with zeros to its original length. */
  private static ByteString frameOfLength(PcapFile.Packet p) {
    return ByteString.fromArray(Arrays.copyOf(p.data(), p.length()));
  }

  private static byte[] maskTimestamps(byte[] pcap) {
    byte[] copy = pcap.clone();
    ByteBuffer in = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    int at = 24;
    while (at < copy.length) {
      Arrays.fill(copy, at, at + 8, (byte) 0);
      at += 16 + in.getInt(at + 8);
    }
    return copy;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = PcapWriterTest.class.getResourceAsStream(name)) {
      assertTrue(in != null, "missing test resource " + name);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
