package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.TestHost;
import io.fleetsim.guest.VirtualClock;
import io.fleetsim.guest.Wire;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** tcp-stream, tcp-sink, tcp-rr and tcp-echo between two stacks on a wire, in virtual time. */
class TcpWorkloadsTest {
  private static final long SECOND = 1_000_000_000L;
  /** The wire's round trip: 100 us each way. */
  private static final long RTT = 2 * TestHost.MICROS_100;

  private final VirtualClock clock = new VirtualClock();
  private final TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
  private final TestHost b = new TestHost(clock, 2).configured("10.0.0.2", 24);
  private final Wire wire = Wire.connect(clock, a.link, b.link, TestHost.MICROS_100);

  static WorkloadResult await(VirtualClock clock, WorkloadRun run, long maxNanos) {
    CompletableFuture<WorkloadResult> f = run.result().toCompletableFuture();
    assertTrue(clock.runUntil(f::isDone, maxNanos), "run did not finish: " + run.snapshot());
    return f.join();
  }

  private WorkloadRun start(TestHost on, String spec) {
    return Workloads.parse(spec).start(on.stack.sockets());
  }

  private static String lastLine(TestHost h, String prefix) {
    List<String> lines = h.env.lines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(prefix)) {
        return lines.get(i);
      }
    }
    throw new AssertionError("no line starting " + prefix + " in " + lines);
  }

  @Test
  void tenMegabytesArriveByteExactWithTheSameSha256AtBothEnds() {
    WorkloadRun sink = start(b, "tcp-sink 5001");
    TcpStreamResult s = (TcpStreamResult) await(clock,
        start(a, "tcp-stream 10.0.0.2:5001 bytes=10MB"), 600 * SECOND);
    clock.runForMillis(10);
    sink.stop();
    TcpSinkResult k = (TcpSinkResult) await(clock, sink, SECOND);

    assertEquals(10_000_000, s.bytesSent());
    assertEquals(10_000_000, s.bytesAcked());
    assertTrue(s.completed(), s.toString());
    assertTrue(s.error().isEmpty());
    assertTrue(s.elapsedNanos() > 0 && s.goodputBitsPerSecond() > 0, s.toString());
    assertEquals(s.bytesAcked() * 8e9 / s.elapsedNanos(), s.goodputBitsPerSecond(), 1e-6);
    assertTrue(s.success());
    assertEquals(1, k.connections().size());
    TcpSinkConnection c = k.connections().get(0);
    assertEquals(10_000_000, c.bytes());
    assertEquals(s.sha256(), c.sha256(), "what arrived is what was sent");
    assertEquals(64, c.sha256().length());
    assertTrue(c.intact() && c.complete(), c.toString());
    assertEquals(0, c.corruptBytes());
    assertTrue(c.error().isEmpty());
    assertTrue(c.peer().startsWith("10.0.0.1:"));
    assertEquals(10_000_000, c.stats().bytesReceived());
    assertTrue(k.success());
    assertTrue(lastLine(a, "tcp-stream").startsWith("tcp-stream 10.0.0.2:5001: 10000000 bytes sent,"
        + " 10000000 acked in "), lastLine(a, "tcp-stream"));
    assertTrue(lastLine(a, "tcp-stream").contains("sha256=" + s.sha256()));
    assertTrue(lastLine(b, c.peer()).endsWith(": 10000000 bytes, sha256=" + s.sha256()),
        lastLine(b, c.peer()));
    assertTrue(lastLine(b, "tcp-sink 5001:").startsWith("tcp-sink 5001: 10000000 bytes in 1 connection ("));
  }

  @Test
  void aSinkKeepsEachOfTwoStreamsApart() {
    WorkloadRun sink = start(b, "tcp-sink 5001");
    WorkloadRun one = start(a, "tcp-stream 10.0.0.2:5001 bytes=1MB");
    WorkloadRun two = start(a, "tcp-stream 10.0.0.2:5001 bytes=300001B");
    TcpStreamResult r1 = (TcpStreamResult) await(clock, one, 600 * SECOND);
    TcpStreamResult r2 = (TcpStreamResult) await(clock, two, 600 * SECOND);
    sink.stop();
    TcpSinkResult k = (TcpSinkResult) await(clock, sink, SECOND);
    assertEquals(2, k.connections().size());
    assertEquals(1_300_001, k.bytesReceived());
    TcpSinkConnection c1 = k.connections().get(0);
    TcpSinkConnection c2 = k.connections().get(1);
    assertEquals(List.of(1_000_000L, 300_001L), List.of(c1.bytes(), c2.bytes()));
    assertEquals(List.of(r1.sha256(), r2.sha256()), List.of(c1.sha256(), c2.sha256()));
    assertFalse(c1.sha256().equals(c2.sha256()));
    assertFalse(c1.peer().equals(c2.peer()), "two ephemeral ports");
    assertTrue(c1.intact() && c2.intact() && c1.complete() && c2.complete());
    assertEquals(2.0, Expectation.parse("complete == 2").check(k).value().getAsDouble());
  }

  /** A client that sends its own bytes, not tcp-stream's, then closes. */
  private static void sendRaw(Sockets on, int port, byte[] data) {
    on.tcpConnect(Ipv4Address.parse("10.0.0.2"), port, new TcpHandler() {
      @Override
      public void connected(TcpSocket s) {
        assertEquals(data.length, s.send(data));
        s.close();
      }

      @Override
      public void received(TcpSocket s, byte[] d) {}
    });
  }

  @Test
  void aSinkCountsBytesThatAreNotTheStreamPattern() {
    WorkloadRun sink = start(b, "tcp-sink 5001");
    byte[] data = new byte[4096];
    StreamPattern.fill(0, data, 0, data.length);
    data[100] ^= 1;
    data[4000] ^= (byte) 0x80;
    sendRaw(a.stack.sockets(), 5001, data);
    clock.runForMillis(100);
    sink.stop();
    TcpSinkConnection c = ((TcpSinkResult) await(clock, sink, SECOND)).connections().get(0);
    assertEquals(4096, c.bytes());
    assertEquals(2, c.corruptBytes());
    assertFalse(c.intact());
    assertTrue(c.complete());
  }

  @Test
  void aRefusedStreamIsAnErrorInTheResult() {
    TcpStreamResult s = (TcpStreamResult) await(clock,
        start(a, "tcp-stream 10.0.0.2:5001 bytes=1MB"), 10 * SECOND);
    assertEquals(TcpError.Kind.REFUSED, s.error().orElseThrow().kind());
    assertEquals(0, s.bytesSent());
    assertFalse(s.completed());
    assertFalse(s.success());
    assertTrue(lastLine(a, "tcp-stream").endsWith(", error REFUSED: connection to 10.0.0.2:5001 refused"),
        lastLine(a, "tcp-stream"));
    TcpRrResult r = (TcpRrResult) await(clock, start(a, "tcp-rr 10.0.0.2:7 count=5"), 10 * SECOND);
    assertEquals(TcpError.Kind.REFUSED, r.error().orElseThrow().kind());
    assertEquals(0, r.transactions());
    assertTrue(r.latency().isEmpty());
    assertFalse(r.success());
  }

  @Test
  void aPartitionLongerThanTheUserTimeoutAbortsTheStream() {
    WorkloadRun sink = start(b, "tcp-sink 5001");
    WorkloadRun stream = start(a, "tcp-stream 10.0.0.2:5001 bytes=100MB user-timeout=2s");
    clock.runForMillis(5);
    long before = ((TcpStreamResult) stream.snapshot()).bytesAcked();
    assertTrue(before > 0, "data flowed before the partition");
    wire.dropAtoB(f -> true).dropBtoA(f -> true);
    TcpStreamResult s = (TcpStreamResult) await(clock, stream, 60 * SECOND);
    assertEquals(TcpError.Kind.TIMED_OUT, s.error().orElseThrow().kind());
    assertTrue(s.bytesAcked() < s.bytesSent());
    assertFalse(s.completed());
    assertFalse(s.success());
    assertTrue(Expectation.parse("errors == 1").check(s).pass());
    sink.stop();
  }

  @Test
  void durationEndsTheStreamAndTheSinkStillGetsItAll() {
    WorkloadRun sink = start(b, "tcp-sink 5001");
    TcpStreamResult s = (TcpStreamResult) await(clock,
        start(a, "tcp-stream 10.0.0.2:5001 duration=20ms"), 60 * SECOND);
    sink.stop();
    TcpSinkConnection c = ((TcpSinkResult) await(clock, sink, SECOND)).connections().get(0);
    assertTrue(s.completed() && s.success(), s.toString());
    assertTrue(s.elapsedNanos() >= 20_000_000L, "ran its duration: " + s.elapsedNanos());
    assertTrue(s.bytesSent() > 0);
    assertEquals(s.bytesSent(), c.bytes());
    assertEquals(s.sha256(), c.sha256());
  }

  @Test
  void requestResponseOverEcho() {
    WorkloadRun echo = start(b, "tcp-echo 7");
    TcpRrResult r = (TcpRrResult) await(clock,
        start(a, "tcp-rr 10.0.0.2:7 size=100B count=50"), 60 * SECOND);
    clock.runForMillis(10);
    echo.stop();
    TcpEchoResult e = (TcpEchoResult) await(clock, echo, SECOND);
    assertEquals(50, r.transactions());
    assertTrue(r.error().isEmpty() && !r.serverClosed());
    RttStats l = r.latency().orElseThrow();
    assertEquals(50, l.count());
    assertTrue(l.minNanos() >= RTT, "a transaction takes at least the wire's round trip: " + l);
    assertTrue(l.p50Nanos() >= l.minNanos() && l.p99Nanos() <= l.maxNanos());
    assertTrue(r.transactionsPerSecond() > 0 && r.transactionsPerSecond() <= 1e9 / RTT, r.toString());
    assertTrue(r.success());
    assertEquals(5000, e.bytesEchoed());
    assertEquals(1, e.connections().size());
    assertEquals(5000, e.connections().get(0).bytesEchoed());
    assertTrue(e.connections().get(0).error().isEmpty());
    assertTrue(e.success());
    assertTrue(lastLine(a, "tcp-rr").startsWith("tcp-rr 10.0.0.2:7: 50 transactions of 100 bytes in "),
        lastLine(a, "tcp-rr"));
    assertEquals("tcp-echo 7: 5000 bytes echoed on 1 connection, 0 with errors", lastLine(b, "tcp-echo"));
  }

  @Test
  void rateSpacesTheTransactions() {
    start(b, "tcp-echo 7");
    TcpRrResult r = (TcpRrResult) await(clock,
        start(a, "tcp-rr 10.0.0.2:7 rate=100/s count=10"), 60 * SECOND);
    assertEquals(10, r.transactions());
    // transaction i starts at i x 10 ms: the tenth ends after 90 ms and a round trip
    assertTrue(r.elapsedNanos() >= 90_000_000L + RTT, "paced: " + r.elapsedNanos());
    assertTrue(r.transactionsPerSecond() <= 100 * 10 / 9.0, r.toString());
  }

  @Test
  void durationEndsTheTransactions() {
    start(b, "tcp-echo 7");
    TcpRrResult r = (TcpRrResult) await(clock,
        start(a, "tcp-rr 10.0.0.2:7 duration=100ms"), 60 * SECOND);
    assertTrue(r.transactions() > 10, r.toString());
    assertTrue(r.elapsedNanos() >= 100_000_000L && r.elapsedNanos() < 101_000_000L, r.toString());
  }

  @Test
  void largeRequestsGoThroughTheEchosBackPressure() {
    WorkloadRun echo = start(b, "tcp-echo 7");
    TcpRrResult r = (TcpRrResult) await(clock,
        start(a, "tcp-rr 10.0.0.2:7 size=1MiB count=3"), 600 * SECOND);
    assertEquals(3, r.transactions(), r.toString());
    assertEquals(3L << 20, r.stats().bytesReceived());
    assertEquals(3L << 20, ((TcpEchoResult) echo.snapshot()).bytesEchoed());
  }

  @Test
  void echoSendsBackExactlyWhatCameAndClosesAfterThePeer() {
    start(b, "tcp-echo 7");
    byte[] data = "hello, echo".getBytes(StandardCharsets.US_ASCII);
    StringBuilder back = new StringBuilder();
    boolean[] closed = {false};
    a.stack.sockets().tcpConnect(Ipv4Address.parse("10.0.0.2"), 7, new TcpHandler() {
      @Override
      public void connected(TcpSocket s) {
        s.send(data);
        s.shutdownOutput();
      }

      @Override
      public void received(TcpSocket s, byte[] d) {
        back.append(new String(d, StandardCharsets.US_ASCII));
      }

      @Override
      public void closed(TcpSocket s, java.util.Optional<TcpError> error) {
        closed[0] = error.isEmpty();
      }
    });
    assertTrue(clock.runUntil(() -> closed[0], 10 * SECOND));
    assertEquals("hello, echo", back.toString());
  }

  /**
   * A client that stops reading: the echo's send buffer fills, so the echo must hold what it
   * could not send and stop reading too; once the client reads again every byte comes back.
   */
  @Test
  void anEchoWhosePeerStopsReadingLosesNothing() {
    WorkloadRun echo = start(b, "tcp-echo 7");
    int total = 4 << 20;
    byte[] data = new byte[total];
    StreamPattern.fill(0, data, 0, total);
    long[] sent = {0};
    java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
    boolean[] closed = {false};
    a.stack.sockets().tcpConnect(Ipv4Address.parse("10.0.0.2"), 7, new TcpHandler() {
      private void pump(TcpSocket s) {
        while (sent[0] < total) {
          int n = s.send(data, (int) sent[0], total - (int) sent[0]);
          sent[0] += n;
          if (n == 0) {
            return;
          }
        }
        s.shutdownOutput();
      }

      @Override
      public void connected(TcpSocket s) {
        s.pauseReceiving();
        a.stack.sockets().schedule(SECOND, s::resumeReceiving);
        pump(s);
      }

      @Override
      public void writable(TcpSocket s) {
        pump(s);
      }

      @Override
      public void received(TcpSocket s, byte[] d) {
        back.writeBytes(d);
      }

      @Override
      public void closed(TcpSocket s, java.util.Optional<TcpError> error) {
        closed[0] = true;
      }
    });
    clock.runForMillis(900);
    assertTrue(sent[0] < total, "stalled while not reading: " + sent[0]);
    assertTrue(clock.runUntil(() -> closed[0], 60 * SECOND));
    assertEquals(total, back.size());
    assertEquals(0, StreamPattern.mismatches(0, back.toByteArray(), 0, total));
    assertEquals(total, ((TcpEchoResult) echo.snapshot()).bytesEchoed());
  }
}
