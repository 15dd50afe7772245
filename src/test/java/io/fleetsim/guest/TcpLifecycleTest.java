package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Opening and closing between two stacks: half-close, simultaneous open, TIME-WAIT, timeouts. */
class TcpLifecycleTest {
  static final Ipv4Address A = TcpTransferTest.A;
  static final Ipv4Address B = TcpTransferTest.B;
  static final long SECOND = 1_000_000_000L;

  final VirtualClock clock = new VirtualClock();
  final TestHost[] hosts = TestHost.pair(clock);
  final TestHost a = hosts[0];
  final TestHost b = hosts[1];

  private static boolean isTcp(byte[] f) {
    return Frames.etherType(f) == 0x0800 && f[23] == 6;
  }

  /** Client on a, server on b port 80, connected. */
  private TcpPeer[] connected(TcpPeer client, TcpPeer server) {
    b.stack.tcpListen(80, server::accepted);
    a.stack.tcpConnect(B, 80, client);
    assertTrue(clock.runUntil(() -> client.connected && server.connected, SECOND));
    return new TcpPeer[] {client, server};
  }

  @Test
  void afterAHalfCloseThePeerKeepsSendingAndBothSeeAnOrderlyEnd() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    client.socket.shutdownOutput();
    assertTrue(clock.runUntil(
        () -> server.peerClosed && "FIN-WAIT-2".equals(client.socket.state()), SECOND));
    assertEquals("FIN-WAIT-2", client.socket.state());
    assertEquals("CLOSE-WAIT", server.socket.state());
    byte[] reply = TcpTransferTest.random(100_000, 5);
    server.streaming(reply, true).pump();
    assertTrue(clock.runUntil(() -> client.closed != null && server.closed != null, 10 * SECOND));
    assertArrayEquals(reply, client.bytes());
    assertEquals(Optional.empty(), client.closed);
    assertEquals(Optional.empty(), server.closed);
    assertEquals("TIME-WAIT", client.socket.state(), "the side that closed first waits");
    assertEquals("CLOSED", server.socket.state());
    assertEquals(0, client.socket.send(new byte[1]), "no sending after shutdownOutput");
  }

  @Test
  void aSimultaneousOpenConnectsBothSides() {
    TcpPeer one = new TcpPeer();
    TcpPeer two = new TcpPeer();
    a.stack.tcp().connect(B, 6000, 5000, one);
    b.stack.tcp().connect(A, 5000, 6000, two);
    assertTrue(clock.runUntil(() -> one.connected && two.connected, 5 * SECOND),
        one.events + " " + two.events);
    assertEquals("ESTABLISHED", one.socket.state());
    assertEquals("ESTABLISHED", two.socket.state());
    one.socket.send(new byte[] {1, 2, 3});
    two.socket.send(new byte[] {4, 5});
    clock.runForMillis(100);
    assertArrayEquals(new byte[] {4, 5}, one.bytes());
    assertArrayEquals(new byte[] {1, 2, 3}, two.bytes());
    assertEquals(0, a.count(StackCounter.TCP_RESETS_SENT) + b.count(StackCounter.TCP_RESETS_SENT));
  }

  @Test
  void timeWaitLastsTwoMslAndHoldsTheFourTupleUntilThen() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    int port = client.socket.localPort();
    client.socket.close();
    assertTrue(clock.runUntil(() -> server.peerClosed, SECOND));
    server.socket.close();
    assertTrue(clock.runUntil(() -> "TIME-WAIT".equals(client.socket.state()), SECOND));
    long entered = clock.now();
    assertEquals(Optional.empty(), client.closed, "the program hears of the end at once");
    assertThrows(IllegalStateException.class,
        () -> a.stack.tcp().connect(B, 80, port, new TcpPeer()));
    assertTrue(clock.runUntil(() -> "CLOSED".equals(client.socket.state()), 120 * SECOND));
    assertEquals(TcpConnection.TIME_WAIT, clock.now() - entered);
    assertEquals(60 * SECOND, TcpConnection.TIME_WAIT);
    TcpPeer again = new TcpPeer();
    a.stack.tcp().connect(B, 80, port, again);
    assertTrue(clock.runUntil(() -> again.connected, SECOND), "the port is reusable");
  }

  @Test
  void unacknowledgedDataTimesOutAfterTheUserTimeoutWithAClearMessage() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    Wire.connect(clock, a.link, b.link, TestHost.MICROS_100).dropAtoB(f -> true);
    client.socket.userTimeout(Duration.ofSeconds(20));
    long start = clock.now();
    client.socket.send(new byte[1000]);
    assertTrue(clock.runUntil(() -> client.closed != null, 200 * SECOND));
    assertEquals(20 * SECOND, clock.now() - start);
    TcpError e = client.closed.get();
    assertEquals(TcpError.Kind.TIMED_OUT, e.kind());
    assertTrue(e.message().startsWith(
        "connection to 10.0.0.2:80 timed out: no acknowledgement for 20 s"), e.message());
    assertTrue(client.socket.stats().timeouts() >= 5, client.socket.stats().toString());
  }

  @Test
  void synRetriesEndAtTheDefaultUserTimeout() {
    Wire.connect(clock, a.link, b.link, TestHost.MICROS_100).dropAtoB(TcpLifecycleTest::isTcp);
    TcpPeer client = new TcpPeer();
    long start = clock.now();
    a.stack.tcpConnect(B, 80, client);
    assertTrue(clock.runUntil(() -> client.closed != null, 300 * SECOND));
    assertEquals(TcpConnection.DEFAULT_USER_TIMEOUT, clock.now() - start);
    assertEquals(TcpError.Kind.TIMED_OUT, client.closed.get().kind());
    assertEquals("connect to 10.0.0.2:80 timed out: no answer to SYN in 60 s (5 retransmissions)",
        client.closed.get().message());
  }

  @Test
  void keepAliveProbesAnIdlePeerAndGivesUpWhenItStopsAnswering() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    List<Long> probes = new ArrayList<>();
    boolean[] cut = {false};
    Wire.connect(clock, a.link, b.link, TestHost.MICROS_100)
        .dropAtoB(f -> {
          if (isTcp(f)) {
            probes.add(clock.now());
          }
          return false;
        })
        .dropBtoA(f -> cut[0] && isTcp(f)); // ARP still answered: the probes reach the wire
    client.socket.keepAlive(Duration.ofSeconds(30));
    long start = clock.now();
    clock.runForMillis(95_000);
    assertEquals(3, probes.size(), "one probe per idle period while answered: " + probes);
    assertEquals(30 * SECOND, probes.get(0) - start);
    assertEquals("ESTABLISHED", client.socket.state());
    cut[0] = true;
    probes.clear();
    assertTrue(clock.runUntil(() -> client.closed != null, 1000 * SECOND));
    assertEquals(TcpConnection.KEEPALIVE_PROBES, probes.size());
    assertEquals(TcpError.Kind.KEEPALIVE_TIMEOUT, client.closed.get().kind());
    assertEquals("no answer from 10.0.0.2:80 to 9 keep-alive probes (idle 30 s, then every 30 s)",
        client.closed.get().message());
  }

  @Test
  void keepAliveIsOffByDefault() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    long sent = a.count(StackCounter.TCP_SEGMENTS_SENT);
    clock.runForMillis(3_600_000);
    assertEquals(sent, a.count(StackCounter.TCP_SEGMENTS_SENT));
    assertEquals("ESTABLISHED", client.socket.state());
  }

  @Test
  void aPausedReaderClosesTheWindowAndTheTransferResumesWhenItReadsAgain() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    server.socket.pauseReceiving();
    byte[] data = TcpTransferTest.random(1 << 20, 9);
    client.streaming(data, true).pump();
    clock.runForMillis(20_000);
    assertEquals(0, server.bytes().length);
    assertTrue(client.socket.unacknowledged() > 0);
    long sentWhileStalled = client.socket.stats().segmentsSent();
    clock.runForMillis(20_000);
    assertTrue(client.socket.stats().segmentsSent() > sentWhileStalled,
        "zero-window probes go on");
    assertEquals("ESTABLISHED", client.socket.state(), "probes answered: no timeout");
    server.socket.resumeReceiving();
    // The window update restarts the sender at once, not at the next (backed-off) probe.
    assertTrue(clock.runUntil(() -> server.peerClosed, 2 * SECOND));
    assertArrayEquals(data, server.bytes());
  }

  @Test
  void theSameSeedGivesTheSameInitialSequenceNumbersAndAnotherSeedOthers() {
    assertEquals(synSeqs(1), synSeqs(1));
    assertNotEquals(synSeqs(1), synSeqs(2));
  }

  private List<Integer> synSeqs(long seed) {
    VirtualClock c = new VirtualClock();
    TestHost h = new TestHost(c, 1, seed).configured("10.0.0.1", 24);
    List<Integer> seqs = new ArrayList<>();
    h.link.onTransmit(f -> {
      TcpFrames.Seg s = TcpFrames.parse(f, c.now());
      if (s != null && s.has(TcpFrames.SYN)) {
        seqs.add(s.seq());
      }
    });
    h.stack.permanentNeighbours(io.fleetsim.guest.Neighbours.of(java.util.Map.of(B,
        FakeLink.mac(2))));
    for (int i = 0; i < 3; i++) {
      h.stack.tcpConnect(B, 80, new TcpPeer());
    }
    c.runForMillis(1);
    assertEquals(3, seqs.size());
    return seqs;
  }

  @Test
  void ephemeralPortsAreHandedOutInTurnFrom49152AndSkipPortsInUse() {
    b.stack.tcpListen(80, s -> new TcpPeer());
    a.stack.tcp().connect(B, 80, 49152, new TcpPeer()); // taken by a connection
    a.stack.tcpListen(49154, s -> new TcpPeer()); // taken by a listener
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ports.add(a.stack.tcpConnect(B, 80, new TcpPeer()).localPort());
    }
    assertEquals(List.of(49153, 49155, 49156), ports);
  }

  @Test
  void aConnectWithoutARouteReportsNoRouteLaterNotInsideTheCall() {
    TcpPeer client = new TcpPeer();
    TcpSocket s = a.stack.tcpConnect(Ipv4Address.parse("192.168.1.1"), 80, client);
    assertEquals(null, client.closed, "not synchronously");
    clock.runForMillis(1);
    assertEquals(TcpError.Kind.NO_ROUTE, client.closed.get().kind());
    assertEquals("no route to 192.168.1.1:80", client.closed.get().message());
    assertEquals("CLOSED", s.state());
  }

  @Test
  void abortReportsAbortedLaterNotInsideTheCall() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    client.socket.abort();
    assertEquals(null, client.closed);
    clock.runForMillis(1);
    assertEquals(TcpError.Kind.ABORTED, client.closed.get().kind());
    assertFalse(server.closed == null, "the peer was reset");
    assertEquals(TcpError.Kind.RESET, server.closed.get().kind());
  }

  @Test
  void aRestartedPeerAnswersStraySegmentsWithResetAndTheConnectionEnds() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    // b crashes and boots again: same addresses, a fresh stack that knows no connection.
    TestHost reborn = new TestHost(clock, 2, 99).configured("10.0.0.2", 24);
    reborn.stack.tcpListen(80, s -> new TcpPeer());
    Wire.connect(clock, a.link, reborn.link, TestHost.MICROS_100);
    client.socket.send(new byte[500]);
    assertTrue(clock.runUntil(() -> client.closed != null, 5 * SECOND));
    assertEquals(TcpError.Kind.RESET, client.closed.get().kind());
    assertEquals(1, reborn.count(StackCounter.TCP_RESETS_SENT));
  }

  @Test
  void aSimultaneousCloseGoesThroughClosingToTimeWaitOnBothSides() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    List<String> states = new ArrayList<>();
    Wire.connect(clock, a.link, b.link, TestHost.MICROS_100).dropAtoB(f -> {
      states.add(client.socket.state());
      return false;
    });
    client.socket.close();
    server.socket.close();
    assertTrue(clock.runUntil(() -> client.closed != null && server.closed != null, SECOND));
    assertTrue(states.contains("CLOSING"), states.toString());
    assertEquals("TIME-WAIT", client.socket.state());
    assertEquals("TIME-WAIT", server.socket.state());
    assertEquals(Optional.empty(), client.closed);
    assertEquals(Optional.empty(), server.closed);
  }

  @Test
  void afterCloseFinWait2WaitsSixtySecondsForThePeersFin() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    client.socket.close();
    assertTrue(clock.runUntil(() -> "FIN-WAIT-2".equals(client.socket.state()), SECOND));
    long start = clock.now();
    assertTrue(clock.runUntil(() -> client.closed != null, 100 * SECOND));
    assertEquals(TcpConnection.FIN_WAIT_2_TIMEOUT, clock.now() - start);
    assertEquals(TcpError.Kind.TIMED_OUT, client.closed.get().kind());
    assertEquals("10.0.0.2:80 did not close its side within 60 s", client.closed.get().message());
    assertEquals("CLOSE-WAIT", server.socket.state(), "the server never closed");
  }

  @Test
  void keepAliveStaysQuietWhileThePeerTalks() {
    TcpPeer client = new TcpPeer();
    TcpPeer server = new TcpPeer();
    connected(client, server);
    List<Integer> seqs = new ArrayList<>();
    Wire.connect(clock, a.link, b.link, TestHost.MICROS_100).dropAtoB(f -> {
      TcpFrames.Seg s = TcpFrames.parse(f, clock.now());
      if (s != null) {
        seqs.add(s.seq());
      }
      return false;
    });
    client.socket.keepAlive(Duration.ofSeconds(30));
    for (int i = 0; i < 5; i++) {
      clock.runForMillis(20_000);
      server.socket.send(new byte[] {1});
    }
    clock.runForMillis(1_000);
    assertEquals(5, seqs.size(), "only the ACKs of the five bytes: " + seqs);
    assertEquals(1, seqs.stream().distinct().count(), "no probe (SND.UNA - 1) among them");
    clock.runForMillis(30_000);
    assertEquals(6, seqs.size(), "idle for 30 s: a probe");
    assertEquals(seqs.get(0) - 1, (int) seqs.get(5));
  }
}
