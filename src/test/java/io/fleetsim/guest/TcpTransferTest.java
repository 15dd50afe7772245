package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.TcpError;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Connections between two stacks on a {@link Wire}: open, transfer, close, refuse. */
class TcpTransferTest {
  static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");
  static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");

  final VirtualClock clock = new VirtualClock();
  final TestHost[] hosts = TestHost.pair(clock);
  final TestHost a = hosts[0];
  final TestHost b = hosts[1];

  static byte[] random(int n, long seed) {
    byte[] data = new byte[n];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Test
  void aMegabyteEachWayArrivesExactlyAndTheConnectionClosesInOrder() {
    byte[] up = random(1 << 20, 1);
    byte[] down = random(1 << 20, 2);
    TcpPeer server = new TcpPeer().streaming(down, true);
    b.stack.tcpListen(80, server::accepted);
    TcpPeer client = new TcpPeer().streaming(up, true);
    a.stack.tcpConnect(B, 80, client);
    assertTrue(clock.runUntil(() -> client.closed != null && server.closed != null,
        60_000_000_000L), client.events + " " + server.events);
    assertArrayEquals(up, server.bytes());
    assertArrayEquals(down, client.bytes());
    assertEquals(Optional.empty(), client.closed);
    assertEquals(Optional.empty(), server.closed);
    assertEquals(List.of("connected", "peerClosed", "closed"), client.events);
    assertEquals(List.of("accepted", "peerClosed", "closed"), server.events);
    assertTrue(client.writableCalls > 0, "1 MB exceeds the send buffer: back-pressure happened");
    assertEquals(0, a.count(StackCounter.TX_QUEUE_FULL));
    assertTrue(a.counters().rxAccounted() && b.counters().rxAccounted());
  }

  @Test
  void aSynToAPortNobodyListensOnIsRefused() {
    TcpPeer client = new TcpPeer();
    a.stack.tcpConnect(B, 81, client);
    assertTrue(clock.runUntil(() -> client.closed != null, 5_000_000_000L));
    assertEquals(TcpError.Kind.REFUSED, client.closed.get().kind());
    assertEquals("connection to 10.0.0.2:81 refused", client.closed.get().message());
    assertEquals(1, b.count(StackCounter.TCP_RESETS_SENT));
    assertEquals(1, b.count(StackCounter.RX_DROP_NO_PORT));
  }

  @Test
  void aTransferSurvivesRandomLossBothWays() {
    Random loss = new Random(7);
    Wire.connect(clock, a.link, b.link, TestHost.MICROS_100)
        .dropAtoB(f -> loss.nextInt(100) < 5)
        .dropBtoA(f -> loss.nextInt(100) < 5);
    byte[] up = random(1 << 20, 3);
    TcpPeer server = new TcpPeer();
    b.stack.tcpListen(80, server::accepted);
    TcpPeer client = new TcpPeer().streaming(up, true);
    a.stack.tcpConnect(B, 80, client);
    assertTrue(clock.runUntil(() -> server.peerClosed, 600_000_000_000L),
        client.socket == null ? "no socket" : client.socket.stats().toString());
    assertArrayEquals(up, server.bytes());
    assertTrue(client.socket.stats().retransmissions() > 0);
  }

  @Test
  void theFirstRetransmissionComesAfterOneSecondAndTheNextAfterTwo() {
    a.stack.ping(B, java.time.Duration.ofSeconds(1)); // ARP resolved: the SYN leaves at once
    clock.runForMillis(10);
    List<Long> synTimes = new java.util.ArrayList<>();
    Wire.connect(clock, a.link, b.link, TestHost.MICROS_100).dropAtoB(f -> {
      if (Frames.etherType(f) == 0x0800 && f[23] == 6) {
        synTimes.add(clock.now());
        return true;
      }
      return false;
    });
    TcpPeer client = new TcpPeer();
    a.stack.tcpConnect(B, 80, client);
    clock.runForMillis(3_500);
    assertEquals(3, synTimes.size(), synTimes.toString());
    assertEquals(1_000_000_000L, synTimes.get(1) - synTimes.get(0));
    assertEquals(2_000_000_000L, synTimes.get(2) - synTimes.get(1));
  }

  @Test
  void aResetInEstablishedEndsTheConnectionWithReset() {
    TcpPeer server = new TcpPeer();
    b.stack.tcpListen(80, server::accepted);
    TcpPeer client = new TcpPeer();
    a.stack.tcpConnect(B, 80, client);
    assertTrue(clock.runUntil(() -> server.connected && client.connected, 1_000_000_000L));
    server.socket.abort();
    assertTrue(clock.runUntil(() -> client.closed != null && server.closed != null,
        1_000_000_000L));
    assertEquals(TcpError.Kind.RESET, client.closed.get().kind());
    assertEquals("connection reset by 10.0.0.2:80", client.closed.get().message());
    assertEquals(TcpError.Kind.ABORTED, server.closed.get().kind());
  }
}
