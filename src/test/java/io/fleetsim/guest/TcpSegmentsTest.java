package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.guest.socket.TcpError;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The stack's segments against a scripted peer: options, windows, RST rules, ACK timing. */
class TcpSegmentsTest {
  static final int PORT = 80;
  static final int PEER_PORT = 40000;
  static final int PEER_ISS = 1_000_000;

  final TcpRawPeer rig = new TcpRawPeer();
  final TcpPeer server = new TcpPeer();

  TcpFrames.Seg open(int window, int mss, int scale) {
    rig.host.stack.tcpListen(PORT, server::accepted);
    TcpFrames.Seg synAck = rig.handshake(PORT, PEER_PORT, PEER_ISS, window, mss, scale);
    assertTrue(server.connected, "accepted");
    return synAck;
  }

  void peerSends(int seqOffset, int ack, byte[] data) {
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1 + seqOffset, ack, TcpFrames.ACK, 65535, -1, -1,
        data);
  }

  @Test
  void theSynAckCarriesOurMss1460AndSegmentsFollowThePeersMss() {
    TcpFrames.Seg synAck = open(65535, 536, -1);
    assertEquals(1460, synAck.mss());
    assertTrue(synAck.has(TcpFrames.SYN) && synAck.has(TcpFrames.ACK));
    assertEquals(PEER_ISS + 1, synAck.ack());
    server.socket.send(new byte[3000]);
    rig.clock.runForMillis(1);
    List<Integer> sizes = rig.withData().stream().map(s -> s.payload().length)
        .collect(Collectors.toList());
    assertEquals(List.of(536, 536, 536, 536, 536, 320), sizes);
    assertEquals(536, server.socket.stats().mss());
  }

  @Test
  void withoutAnMssOptionTheSendMssIs536() {
    open(65535, -1, -1);
    server.socket.send(new byte[1000]);
    rig.clock.runForMillis(1);
    assertEquals(536, rig.withData().get(0).payload().length);
  }

  @Test
  void windowScalingIsUsedWhenBothSynsCarryIt() {
    TcpFrames.Seg synAck = open(365, 1460, 4);
    assertEquals(TcpConnection.WINDOW_SHIFT, synAck.scale());
    assertEquals(3, TcpConnection.WINDOW_SHIFT, "a 256 KiB buffer needs shift 3");
    // The window in a SYN is never scaled; the handshake ACK's 365 means 365 << 4 = 5840 bytes.
    server.socket.send(new byte[10_000]);
    rig.clock.runForMillis(1);
    assertEquals(5840, rig.withData().stream().mapToInt(s -> s.payload().length).sum());
    // Our own window is advertised scaled: 256 KiB >> 3.
    peerSends(0, rig.last().seq() + rig.last().payload().length, new byte[100]);
    rig.clock.runForMillis(100);
    assertEquals((TcpConnection.RECEIVE_BUFFER >> 3), rig.last().window());
  }

  @Test
  void windowScalingIsOffWhenThePeersSynOmitsIt() {
    TcpFrames.Seg synAck = open(365, 1460, -1);
    assertEquals(-1, synAck.scale(), "no window scale option in the SYN-ACK");
    server.socket.send(new byte[10_000]);
    rig.clock.runForMillis(1);
    assertEquals(365, rig.withData().stream().mapToInt(s -> s.payload().length).sum());
    peerSends(0, rig.last().seq() + rig.last().payload().length, new byte[100]);
    rig.clock.runForMillis(100);
    assertEquals(65535, rig.last().window(), "unscaled: capped at 65535");
  }

  @Test
  void anActiveOpenOffersMssAndWindowScaleInItsSyn() {
    TcpPeer client = new TcpPeer();
    rig.host.stack.tcpConnect(TcpRawPeer.PEER_ADDRESS, 80, client);
    rig.clock.runForMillis(1);
    TcpFrames.Seg syn = rig.sent.get(0);
    assertEquals(TcpFrames.SYN, syn.flags());
    assertEquals(1460, syn.mss());
    assertEquals(3, syn.scale());
    assertEquals(65535, syn.window());
  }

  @Test
  void aResetOutsideTheWindowIsIgnoredOneInsideIsChallengedAndAnExactOneResets() {
    open(65535, 1460, 2);
    int before = rig.sent.size();
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1 + 5_000_000, 0, TcpFrames.RST, 0, -1, -1,
        new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals("ESTABLISHED", server.socket.state());
    assertEquals(before, rig.sent.size(), "out of window: silently dropped");
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1 + 1000, 0, TcpFrames.RST, 0, -1, -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals("ESTABLISHED", server.socket.state());
    assertEquals(before + 1, rig.sent.size(), "in window but not exact: a challenge ACK");
    assertTrue(rig.last().isPureAck());
    assertEquals(PEER_ISS + 1, rig.last().ack());
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1, 0, TcpFrames.RST, 0, -1, -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals("CLOSED", server.socket.state());
    assertEquals(TcpError.Kind.RESET, server.closed.get().kind());
  }

  @Test
  void aSegmentWithABadChecksumIsCountedAndIgnored() {
    open(65535, 1460, 2);
    byte[] bad = TcpRawPeer.frame(PEER_PORT, PORT, PEER_ISS + 1, rig.last().seq(),
        TcpFrames.ACK, 65535, -1, -1, new byte[] {1, 2, 3});
    bad[14 + 20 + 20 + 2] ^= 0x40; // the last payload byte (the frame is padded to 60)
    int before = rig.sent.size();
    rig.host.link.deliver(bad);
    rig.clock.runForMillis(1000);
    assertEquals(1, rig.host.count(StackCounter.RX_DROP_BAD_CHECKSUM));
    assertEquals(0, server.bytes().length);
    assertEquals(before, rig.sent.size(), "not acknowledged");
    peerSends(0, rig.last().seq(), new byte[] {1, 2, 3});
    rig.clock.runForMillis(1000);
    assertArrayEquals(new byte[] {1, 2, 3}, server.bytes());
    assertTrue(rig.host.counters().rxAccounted());
  }

  @Test
  void aSegmentToAClosedPortIsAnsweredWithReset() {
    rig.inject(PEER_PORT, 81, 5000, 777, TcpFrames.ACK, 65535, -1, -1, new byte[10]);
    rig.clock.runForMillis(1);
    TcpFrames.Seg rst = rig.last();
    assertEquals(TcpFrames.RST, rst.flags(), "an ACK is answered with RST seq=its ack");
    assertEquals(777, rst.seq());
    rig.inject(PEER_PORT, 81, 5000, 0, TcpFrames.SYN, 65535, -1, -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals(TcpFrames.RST | TcpFrames.ACK, rig.last().flags());
    assertEquals(5001, rig.last().ack(), "RST,ACK acknowledging the SYN");
    int before = rig.sent.size();
    rig.inject(PEER_PORT, 81, 5000, 0, TcpFrames.RST, 0, -1, -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals(before, rig.sent.size(), "never a RST for a RST");
    assertEquals(3, rig.host.count(StackCounter.RX_DROP_NO_PORT));
    assertEquals(2, rig.host.count(StackCounter.TCP_RESETS_SENT));
  }

  @Test
  void aSingleSegmentIsAcknowledgedAfterTheDelayAndEverySecondAtOnce() {
    TcpFrames.Seg synAck = open(65535, 1460, 2);
    int ack = synAck.seq() + 1;
    int before = rig.sent.size();
    long t0 = rig.clock.now();
    peerSends(0, ack, new byte[1460]);
    rig.clock.runForMillis(100);
    assertEquals(before + 1, rig.sent.size());
    assertEquals(TcpConnection.DELAYED_ACK, rig.last().at() - t0);
    assertEquals(PEER_ISS + 1 + 1460, rig.last().ack());
    before = rig.sent.size();
    t0 = rig.clock.now();
    peerSends(1460, ack, new byte[1460]);
    peerSends(2920, ack, new byte[1460]);
    assertEquals(before + 1, rig.sent.size(), "the second segment is acknowledged at once");
    assertEquals(t0, rig.last().at());
    assertEquals(PEER_ISS + 1 + 4380, rig.last().ack());
  }

  @Test
  void outOfOrderDataIsAcknowledgedAtOnceAndDeliveredWhenTheHoleFills() {
    TcpFrames.Seg synAck = open(65535, 1460, 2);
    int ack = synAck.seq() + 1;
    byte[] first = TcpTransferTest.random(1000, 1);
    byte[] second = TcpTransferTest.random(1000, 2);
    int before = rig.sent.size();
    peerSends(1000, ack, second);
    assertEquals(before + 1, rig.sent.size(), "a duplicate ACK at once");
    assertEquals(PEER_ISS + 1, rig.last().ack());
    assertEquals(0, server.bytes().length);
    peerSends(0, ack, first);
    assertEquals(before + 2, rig.sent.size(), "filling the hole is acknowledged at once");
    assertEquals(PEER_ISS + 1 + 2000, rig.last().ack());
    byte[] both = new byte[2000];
    System.arraycopy(first, 0, both, 0, 1000);
    System.arraycopy(second, 0, both, 1000, 1000);
    assertArrayEquals(both, server.bytes());
    assertEquals(1, server.socket.stats().outOfOrderSegments());
  }

  @Test
  void aZeroWindowIsProbedWithBackoffAndSendingResumesWhenItOpens() {
    TcpFrames.Seg synAck = open(65535, 1460, 0);
    int ours = synAck.seq() + 1;
    // The peer closes its window.
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1, ours, TcpFrames.ACK, 0, -1, -1, new byte[0]);
    server.socket.send(new byte[5000]);
    int before = rig.sent.size();
    rig.clock.runForMillis(10_000);
    List<TcpFrames.Seg> probes = rig.since(before);
    assertTrue(probes.size() >= 4, probes.toString());
    for (TcpFrames.Seg p : probes) {
      assertEquals(0, p.payload().length, "probes carry no data beyond the window");
    }
    long first = probes.get(1).at() - probes.get(0).at();
    long second = probes.get(2).at() - probes.get(1).at();
    assertEquals(2 * first, second, "the persist interval doubles");
    // Each probe is answered; then the window opens.
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1, ours, TcpFrames.ACK, 65535, -1, -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals(5000, rig.withData().stream().mapToInt(s -> s.payload().length).sum());
  }

  @Test
  void aRetransmissionIsNotTimedAndTheRtoHasAFloor() {
    TcpFrames.Seg synAck = open(65535, 1460, 0);
    int ours = synAck.seq() + 1;
    // The handshake took ~1 ms (the scripted peer answers within the run step): RTO is the floor.
    assertEquals(TcpRtt.MIN_RTO, server.socket.stats().rtoNanos());
    long srtt = server.socket.stats().srttNanos();
    server.socket.send(new byte[100]);
    rig.clock.runForMillis(1);
    long sentAt = rig.last().at();
    rig.clock.runForMillis(TcpRtt.MIN_RTO / 1_000_000 + 1);
    TcpFrames.Seg again = rig.last();
    assertEquals(100, again.payload().length);
    assertEquals(TcpRtt.MIN_RTO, again.at() - sentAt, "retransmitted after the minimum RTO");
    assertEquals(2 * TcpRtt.MIN_RTO, server.socket.stats().rtoNanos(), "backed off");
    // The ACK comes 300 ms after the original: Karn, no sample from it.
    rig.clock.runForMillis(99);
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1, ours + 100, TcpFrames.ACK, 65535, -1, -1,
        new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals(srtt, server.socket.stats().srttNanos(), "no RTT sample from a retransmission");
    assertEquals(0, server.socket.unacknowledged());
  }

  @Test
  void slowStartGrowsByOneSegmentPerAckThenCongestionAvoidanceByOnePerWindow() {
    TcpFrames.Seg synAck = open(65535, 1000, 4);
    int ours = synAck.seq() + 1;
    assertEquals(10_000, server.socket.stats().cwndBytes(), "RFC 6928: 10 segments of 1000");
    server.socket.send(new byte[200_000]);
    rig.clock.runForMillis(1);
    assertEquals(10, rig.withData().size(), "the initial window");
    for (int i = 1; i <= 4; i++) {
      rig.inject(PEER_PORT, PORT, PEER_ISS + 1, ours + 1000 * i, TcpFrames.ACK, 65535, -1, -1,
          new byte[0]);
      assertEquals(10_000 + 1000L * i, server.socket.stats().cwndBytes());
    }
    // Three duplicate ACKs: fast retransmit, ssthresh = flight / 2.
    int una = ours + 4000;
    long flight = rig.last().seq() + rig.last().payload().length - una;
    for (int i = 0; i < 3; i++) {
      rig.inject(PEER_PORT, PORT, PEER_ISS + 1, una, TcpFrames.ACK, 65535, -1, -1,
          new byte[0]);
    }
    assertEquals(1, server.socket.stats().fastRetransmits());
    assertEquals(flight / 2, server.socket.stats().ssthreshBytes());
    assertEquals(una, rig.last().seq(), "the first unacknowledged segment is sent again");
    // Acknowledge everything sent: recovery ends with cwnd = max(FlightSize 0, MSS) + MSS
    // (RFC 6582 3.2 step 3 option 1), slow start up to ssthresh, then +1 MSS per window.
    int end = una;
    for (TcpFrames.Seg s : rig.sent) {
      if (s.seq() + s.payload().length - end > 0) {
        end = s.seq() + s.payload().length;
      }
    }
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1, end, TcpFrames.ACK, 65535, -1, -1, new byte[0]);
    assertEquals(2000, server.socket.stats().cwndBytes());
    long ssthresh = server.socket.stats().ssthreshBytes();
    int next = end;
    for (long expected = 3000; expected <= ssthresh; expected += 1000) {
      next += 1000;
      rig.inject(PEER_PORT, PORT, PEER_ISS + 1, next, TcpFrames.ACK, 65535, -1, -1, new byte[0]);
      assertEquals(expected, server.socket.stats().cwndBytes(), "slow start");
    }
    long cwnd = server.socket.stats().cwndBytes();
    for (long acked = 1000; acked < cwnd; acked += 1000) {
      next += 1000;
      rig.inject(PEER_PORT, PORT, PEER_ISS + 1, next, TcpFrames.ACK, 65535, -1, -1, new byte[0]);
      assertEquals(cwnd, server.socket.stats().cwndBytes(), "no growth within the window");
    }
    next += 1000;
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1, next, TcpFrames.ACK, 65535, -1, -1, new byte[0]);
    assertEquals(cwnd + 1000, server.socket.stats().cwndBytes(), "one segment per window");
    assertFalse(server.socket.stats().timeouts() > 0);
  }

  @Test
  void anActiveOpenDoesNotScaleWhenTheSynAckOmitsTheOption() {
    TcpPeer client = new TcpPeer();
    rig.host.stack.tcpConnect(TcpRawPeer.PEER_ADDRESS, 80, client);
    rig.clock.runForMillis(1);
    TcpFrames.Seg syn = rig.sent.get(0);
    rig.inject(80, syn.srcPort(), 7000, syn.seq() + 1, TcpFrames.SYN | TcpFrames.ACK, 365, 1460,
        -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertTrue(client.connected);
    assertEquals(65535, rig.last().window(), "our window unscaled, capped at 64 KiB");
    client.socket.send(new byte[10_000]);
    rig.clock.runForMillis(1);
    assertEquals(365, rig.withData().stream().mapToInt(s -> s.payload().length).sum(),
        "the peer's window taken unscaled");
  }

  @Test
  void aRepeatedSynGetsTheSameSynAckAndAResetInSynReceivedReturnsToListening() {
    int[] accepted = {0};
    rig.host.stack.tcpListen(PORT, sock -> {
      accepted[0]++;
      return new TcpPeer();
    });
    rig.inject(PEER_PORT, PORT, PEER_ISS, 0, TcpFrames.SYN, 65535, 1460, -1, new byte[0]);
    rig.inject(PEER_PORT, PORT, PEER_ISS, 0, TcpFrames.SYN, 65535, 1460, -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals(2, rig.sent.size());
    assertEquals(rig.sent.get(0).seq(), rig.sent.get(1).seq(), "the same SYN-ACK again");
    assertEquals(TcpFrames.SYN | TcpFrames.ACK, rig.sent.get(1).flags());
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1, 0, TcpFrames.RST, 0, -1, -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals(0, rig.host.stack.tcp().connectionCount(), "back to LISTEN");
    // The handshake's ACK now finds only the listener, which resets it.
    rig.inject(PEER_PORT, PORT, PEER_ISS + 1, rig.sent.get(0).seq() + 1, TcpFrames.ACK, 65535,
        -1, -1, new byte[0]);
    rig.clock.runForMillis(1);
    assertEquals(TcpFrames.RST, rig.last().flags());
    assertEquals(0, accepted[0]);
    rig.clock.runForMillis(10_000);
    assertEquals(3, rig.sent.size(), "no SYN-ACK retransmissions after the reset");
  }
}
