package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The segment parser on any bytes gives a segment or a counted drop, never an exception; the
 * stack fed arbitrary TCP bytes stays up and accounts for every frame; and any arrival order,
 * overlap and duplication of a stream's pieces delivers exactly the stream.
 */
class TcpProperties {
  private static final int US = TcpRawPeer.US;
  private static final int PEER = TcpRawPeer.PEER;

  @Property(tries = 2000)
  void theParserGivesASegmentOrACountedDrop(@ForAll @Size(max = 120) byte[] bytes,
      @ForAll boolean fixChecksum) {
    byte[] b = bytes.clone();
    if (fixChecksum && b.length >= 18) {
      // Most random bytes fail the checksum; repair it so the header checks run too.
      b[16] = 0;
      b[17] = 0;
      long pseudo = (PEER >>> 16) + (PEER & 0xFFFF) + (US >>> 16) + (US & 0xFFFF) + 6 + b.length;
      int c = Frames.sum(b, 0, b.length, pseudo);
      b[16] = (byte) (c >>> 8);
      b[17] = (byte) c;
    }
    try {
      TcpSegment s = TcpSegment.parse(b, 0, b.length, PEER, US);
      assertTrue(s.payloadOffset() >= 20 && s.payloadOffset() + s.payloadLength() == b.length);
      assertTrue(s.windowScale() <= 14);
    } catch (Malformed m) {
      assertNotNull(m.counter());
      assertTrue(m.counter().isRxDrop(), m.counter().key());
    }
  }

  @Property(tries = 200)
  void arbitraryTcpBytesNeverStopTheStack(@ForAll("seeds") long seed) {
    TcpRawPeer rig = new TcpRawPeer();
    TcpPeer server = new TcpPeer();
    rig.host.stack.tcpListen(80, server::accepted);
    TcpFrames.Seg synAck = rig.handshake(80, 40000, 1000, 65535, 1460, 2);
    Random r = new Random(seed);
    List<byte[]> valid = List.of(
        TcpRawPeer.frame(40000, 80, 1001, synAck.seq() + 1, TcpFrames.ACK, 100, -1, -1,
            new byte[30]),
        TcpRawPeer.frame(40001, 80, 5, 0, TcpFrames.SYN, 100, 536, 7, new byte[0]),
        TcpRawPeer.frame(40000, 80, 1001, 0, TcpFrames.RST, 0, -1, -1, new byte[0]),
        TcpRawPeer.frame(40000, 81, 1, 2, TcpFrames.ACK | TcpFrames.FIN, 0, -1, -1,
            new byte[3]));
    int frames = 40;
    for (int i = 0; i < frames; i++) {
      byte[] f = valid.get(r.nextInt(valid.size())).clone();
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = 34 + r.nextInt(f.length - 34);
        f[at] = (byte) r.nextInt(256);
      }
      if (r.nextBoolean()) {
        repairTcpChecksum(f);
      }
      rig.host.link.deliver(f);
      rig.clock.runForMillis(r.nextInt(3000));
    }
    rig.clock.runForMillis(200_000);
    StackCounters c = rig.host.counters();
    assertTrue(c.rxAccounted(), c.toString());
    assertEquals(frames + 2, c.get(StackCounter.RX_FRAMES));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Long> seeds() {
    return net.jqwik.api.Arbitraries.longs();
  }

  private static void repairTcpChecksum(byte[] f) {
    int total = ((f[16] & 0xFF) << 8) | (f[17] & 0xFF);
    int len = Math.min(total - 20, f.length - 34);
    if (len < 18) {
      return;
    }
    f[34 + 16] = 0;
    f[34 + 17] = 0;
    long pseudo = (PEER >>> 16) + (PEER & 0xFFFF) + (US >>> 16) + (US & 0xFFFF) + 6 + len;
    int c = Frames.sum(f, 34, len, pseudo);
    f[34 + 16] = (byte) (c >>> 8);
    f[34 + 17] = (byte) c;
  }

  /** A piece of the stream: [start, start + length). */
  private record Piece(int start, int length) {}

  private static List<Piece> pieces(int streamLength, long seed) {
    Random r = new Random(seed);
    List<Piece> out = new ArrayList<>();
    for (int at = 0; at < streamLength; ) {
      int len = Math.min(streamLength - at, 1 + r.nextInt(300));
      out.add(new Piece(at, len));
      at += len;
    }
    int extra = r.nextInt(20);
    for (int i = 0; i < extra; i++) {
      int start = r.nextInt(streamLength);
      out.add(new Piece(start, 1 + r.nextInt(Math.min(600, streamLength - start))));
    }
    int dups = r.nextInt(5);
    for (int i = 0; i < dups && !out.isEmpty(); i++) {
      out.add(out.get(r.nextInt(out.size())));
    }
    Collections.shuffle(out, r);
    return out;
  }

  @Property(tries = 500)
  void anyArrivalOrderOverlapAndDuplicationDeliversExactlyTheStream(
      @ForAll @IntRange(min = 1, max = 5000) int length, @ForAll long seed) {
    byte[] stream = TcpTransferTest.random(length, seed);
    TcpReassembly q = new TcpReassembly();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long next = 0;
    for (Piece p : pieces(length, seed)) {
      long end = p.start() + p.length();
      if (end <= next) {
        continue;
      }
      if (p.start() <= next) {
        out.write(stream, (int) next, (int) (end - next));
        next = q.take(end, out::writeBytes);
      } else {
        q.add(p.start(), stream, p.start(), p.length());
        assertTrue(q.bytes() <= length);
      }
    }
    assertArrayEquals(stream, out.toByteArray());
    assertTrue(q.isEmpty());
    assertEquals(0, q.bytes());
  }

  @Property(tries = 100)
  void aConnectionDeliversExactlyTheStreamWhateverTheArrivalOrder(
      @ForAll @IntRange(min = 1, max = 20_000) int length, @ForAll long seed) {
    TcpRawPeer rig = new TcpRawPeer();
    TcpPeer server = new TcpPeer();
    rig.host.stack.tcpListen(80, server::accepted);
    int iss = (int) seed;
    TcpFrames.Seg synAck = rig.handshake(80, 40000, iss, 65535, 1460, 2);
    byte[] stream = TcpTransferTest.random(length, seed);
    for (Piece p : pieces(length, seed)) {
      byte[] data = java.util.Arrays.copyOfRange(stream, p.start(), p.start() + p.length());
      rig.inject(40000, 80, iss + 1 + p.start(), synAck.seq() + 1, TcpFrames.ACK, 65535, -1, -1,
          data);
    }
    rig.clock.runForMillis(100);
    assertArrayEquals(stream, server.bytes());
    assertEquals(iss + 1 + length, rig.last().ack());
  }

  @Property(tries = 500)
  void aWrittenSegmentParsesBackToItsFields(@ForAll @IntRange(max = 0xFFFF) int srcPort,
      @ForAll @IntRange(max = 0xFFFF) int dstPort, @ForAll int seq, @ForAll int ack,
      @ForAll @IntRange(max = 0x3F) int flags, @ForAll @IntRange(max = 0xFFFF) int window,
      @ForAll @IntRange(min = -1, max = 0xFFFF) int mss,
      @ForAll @IntRange(min = -1, max = 14) int scale, @ForAll @Size(max = 1460) byte[] payload)
      throws Malformed {
    int header = TcpSegment.headerLength(mss >= 0, scale >= 0);
    byte[] b = new byte[header + payload.length];
    System.arraycopy(payload, 0, b, header, payload.length);
    TcpSegment.write(b, 0, srcPort, dstPort, seq, ack, flags, window, mss, scale,
        payload.length, PEER, US);
    TcpSegment s = TcpSegment.parse(b, 0, b.length, PEER, US);
    assertEquals(new TcpSegment(srcPort, dstPort, seq, ack, flags, window, mss, scale, header,
        payload.length), s);
    // and the test's own reader agrees with the stack's writer
    byte[] frame = Frames.ipv4(1, 2, PEER, US, 6, 64, b);
    TcpFrames.Seg seen = TcpFrames.parse(frame, 0);
    assertEquals(seq, seen.seq());
    assertEquals(mss, seen.mss());
    assertEquals(scale, seen.scale());
    assertArrayEquals(payload, seen.payload());
  }
}
