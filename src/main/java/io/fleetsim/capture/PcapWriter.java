package io.fleetsim.capture;

import io.fleetsim.link.FrameTap;
import io.fleetsim.qemu.FilterDumpSpec;
import io.fleetsim.time.Clock;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU's {@code -object filter-dump}: a classic pcap file of every frame a port passes, in both
 * directions. The layout is QEMU's: a 24-byte header (magic 0xA1B2C3D4, microsecond timestamps,
 * version 2.4, zone 0, sigfigs 0, snaplen = maxlen, link type 1 = Ethernet), then per frame a
 * 16-byte record header (seconds, microseconds, captured length = min(length, maxlen), length) and
 * the captured bytes. Like QEMU, every field is written in the host's byte order (little-endian on
 * x86); pcap readers detect the order from the magic.
 *
 * <p>Thread-safe: the two stream threads of a port may call {@link #frame} at once; records never
 * interleave. Records are gathered in a buffer and written when it fills, when {@link #flush()}
 * or {@link #close()} is called, or on the first frame more than a second (on its clock) after
 * the last write, so a file being watched does not lag far behind. A write error is logged once
 * and stops the capture (QEMU does the same); the port keeps running.
 */
public final class PcapWriter implements FrameTap, Flushable, Closeable {
  public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
  public static final short VERSION_MAJOR = 2;
  public static final short VERSION_MINOR = 4;
  public static final int LINKTYPE_ETHERNET = 1;
  public static final int FILE_HEADER_BYTES = 24;
  public static final int RECORD_HEADER_BYTES = 16;

  static final int BUFFER_BYTES = 64 * 1024;
  static final long WRITE_AFTER_NANOS = 1_000_000_000L;

  private static final Logger log = LoggerFactory.getLogger(PcapWriter.class);

  private final String id;
  private final Path file;
  private final int maxlen;
  private final Clock clock;
  private final Object lock = new Object();
  // Guarded by lock.
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private boolean closed;
  private boolean failed;
  private long lastWriteNanos;
  private long frames;

  private PcapWriter(String id, Path file, int maxlen, Clock clock, FileChannel channel) {
    this.id = id;
    this.file = file;
    this.maxlen = maxlen;
    this.clock = clock;
    this.channel = channel;
    this.buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.nativeOrder());
    this.lastWriteNanos = clock.nanos();
  }

  /** Opens {@code spec.file()} with the spec's id and maxlen, timestamps from {@code clock}. */
  public static PcapWriter open(FilterDumpSpec spec, Clock clock) {
    Path path;
    try {
      path = Path.of(spec.file());
    } catch (InvalidPathException e) {
      throw new CaptureException("filter-dump " + spec.id() + ": can't open file '" + spec.file()
          + "': " + e.getReason(), e);
    }
    return open(spec.id(), path, spec.maxlen(), clock);
  }

  /**
   * Creates or truncates {@code file} (mode 0644 under the usual umask, parent folders are not
   * made, as in QEMU) and writes the pcap header at once, so even a capture that sees no frame is a
   * valid file.
   *
   * @param id the filter's id, used in messages
   * @param maxlen bytes kept of each frame, at least 1 (QEMU's default is 65536)
   * @param clock the source of record timestamps ({@link Clock#instant()}) and of the time since
   *     the last write ({@link Clock#nanos()})
   * @throws CaptureException naming the filter and the file when it cannot be opened or written
   */
  public static PcapWriter open(String id, Path file, int maxlen, Clock clock) {
    if (maxlen < 1) {
      throw new CaptureException("filter-dump " + id + ": maxlen must be at least 1, got " + maxlen,
          null);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      throw new CaptureException(
          "filter-dump " + id + ": can't open file '" + file + "': " + reason(e), e);
    }
    PcapWriter writer = new PcapWriter(id, file, maxlen, clock, channel);
    try {
      writer.writeFileHeader();
    } catch (IOException e) {
      closeQuietly(channel);
      throw new CaptureException(
          "filter-dump " + id + ": can't write file '" + file + "': " + reason(e), e);
    }
    return writer;
  }

  public String id() {
    return id;
  }

  public Path file() {
    return file;
  }

  public int maxlen() {
    return maxlen;
  }

  /** Records accepted so far (buffered or written). */
  public long frames() {
    synchronized (lock) {
      return frames;
    }
  }

  /** Appends one record; the direction is not recorded (classic pcap has no field for it). */
  @Override
  public void frame(Direction direction, ByteString frame) {
    synchronized (lock) {
      if (closed || failed) {
        return;
      }
      try {
        append(frame);
        frames++;
        if (clock.nanos() - lastWriteNanos >= WRITE_AFTER_NANOS) {
          drain();
        }
      } catch (IOException e) {
        fail("write error", e);
      }
    }
  }

  /** Writes buffered records to the file. Does nothing after close or a write error. */
  @Override
  public void flush() {
    synchronized (lock) {
      if (closed || failed) {
        return;
      }
      try {
        drain();
      } catch (IOException e) {
        fail("write error", e);
      }
    }
  }

  /** Writes what is buffered and closes the file. Idempotent; later frames are ignored. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      flush();
      closed = true;
      closeQuietly(channel);
    }
  }

  private void writeFileHeader() throws IOException {
    synchronized (lock) {
      buffer.putInt(MAGIC_MICROSECONDS)
          .putShort(VERSION_MAJOR)
          .putShort(VERSION_MINOR)
          .putInt(0) // thiszone: timestamps are UTC
          .putInt(0) // sigfigs
          .putInt(maxlen) // snaplen
          .putInt(LINKTYPE_ETHERNET);
      drain();
    }
  }

  private void append(ByteString frame) throws IOException {
    int length = frame.size();
    int caplen = Math.min(length, maxlen);
    Instant stamp = clock.instant();
    if (buffer.remaining() < RECORD_HEADER_BYTES + caplen) {
      drain();
    }
    // QEMU's record fields are 32 bits; seconds wrap like its int32 tv_sec does.
    buffer.putInt((int) stamp.getEpochSecond())
        .putInt(stamp.getNano() / 1000)
        .putInt(caplen)
        .putInt(length);
    ByteString captured = caplen == length ? frame : frame.take(caplen);
    if (buffer.remaining() >= caplen) {
      captured.copyToBuffer(buffer);
    } else {
      // Bigger than the whole buffer: write the header, then the bytes straight from the frame.
      drain();
      for (ByteBuffer part : captured.getByteBuffers()) {
        writeFully(part);
      }
    }
  }

  private void drain() throws IOException {
    buffer.flip();
    try {
      writeFully(buffer);
    } finally {
      buffer.clear();
    }
    lastWriteNanos = clock.nanos();
  }

  private void writeFully(ByteBuffer source) throws IOException {
    while (source.hasRemaining()) {
      channel.write(source);
    }
  }

  private void fail(String what, IOException e) {
    failed = true;
    closeQuietly(channel);
    log.warn("filter-dump {}: {} on file '{}': {}; capture stopped", id, what, file, reason(e));
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing more to save: the capture is over either way.
    }
  }

  /** The errno-style reason, e.g. "No such file or directory", without Java's decoration. */
  static String reason(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
