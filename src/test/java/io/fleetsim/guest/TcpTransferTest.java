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

  private static boolean isTcpData(byte[] f) {
    return Frames.etherType(f) == 0x0800 && f[23] == 6
        && (((f[16] & 0xFF) << 8) | (f[17] & 0xFF)) > 40;
  }

  /** Drops the data segments numbered in {@code victims} (first transmission order), once each. */
  private TcpPeer[] transferDropping(int bytes, java.util.Set<Integer> victims) {
    int[] n = {0};
    Wire.connect(clock, a.link, b.link, TestHost.MICROS_100)
        .dropAtoB(f -> isTcpData(f) && victims.contains(++n[0]));
    byte[] data = random(bytes, 11);
    TcpPeer server = new TcpPeer();
    b.stack.tcpListen(80, server::accepted);
    TcpPeer client = new TcpPeer().streaming(data, true);
    a.stack.tcpConnect(B, 80, client);
    assertTrue(clock.runUntil(() -> server.peerClosed, 60_000_000_000L));
    assertArrayEquals(data, server.bytes());
    return new TcpPeer[] {client, server};
  }

  @Test
  void oneLostSegmentIsRepairedByFastRetransmitWithoutATimeout() {
    TcpPeer client = transferDropping(300_000, java.util.Set.of(20))[0];
    var st = client.socket.stats();
    assertEquals(1, st.fastRetransmits(), st.toString());
    assertEquals(1, st.retransmissions(), st.toString());
    assertEquals(0, st.timeouts(), st.toString());
    assertTrue(st.duplicateAcks() >= 3, st.toString());
  }

  @Test
  void twoLossesInOneWindowAreRepairedByNewRenoPartialAcks() {
    TcpPeer client = transferDropping(300_000, java.util.Set.of(20, 24))[0];
    var st = client.socket.stats();
    assertEquals(1, st.fastRetransmits(), "one recovery episode: " + st);
    assertEquals(2, st.retransmissions(), st.toString());
    assertEquals(0, st.timeouts(), st.toString());
  }

  @Test
  void aTransferSurvivesReorderingDuplicationAndLossTogether() {
    Random r = new Random(21);
    Wire w = Wire.connect(clock, a.link, b.link, TestHost.MICROS_100);
    w.dropAtoB(f -> {
      int roll = r.nextInt(100);
      if (roll < 3) {
        return true; // lost
      }
      if (roll < 10) {
        clock.schedule(TestHost.MICROS_100 + r.nextInt(3_000_000), () -> b.link.deliver(f));
        return true; // late: reordered behind later segments
      }
      if (roll < 15) {
        clock.schedule(TestHost.MICROS_100 + r.nextInt(2_000_000), () -> b.link.deliver(f));
      }
      return false; // (and maybe a duplicate later)
    });
    w.dropBtoA(f -> {
      int roll = r.nextInt(100);
      if (roll < 3) {
        return true;
      }
      if (roll < 8) {
        clock.schedule(TestHost.MICROS_100 + r.nextInt(1_000_000), () -> a.link.deliver(f));
      }
      return false;
    });
    byte[] up = random(2 << 20, 22);
    byte[] down = random(1 << 20, 23);
    TcpPeer server = new TcpPeer().streaming(down, true);
    b.stack.tcpListen(80, server::accepted);
    TcpPeer client = new TcpPeer().streaming(up, true);
    a.stack.tcpConnect(B, 80, client);
    assertTrue(clock.runUntil(() -> client.closed != null && server.closed != null,
        600_000_000_000L), client.events + " " + server.events);
    assertArrayEquals(up, server.bytes());
    assertArrayEquals(down, client.bytes());
    assertEquals(Optional.empty(), client.closed);
    assertEquals(Optional.empty(), server.closed);
    assertTrue(server.socket.stats().outOfOrderSegments() > 0);
    assertTrue(a.counters().rxAccounted() && b.counters().rxAccounted());
  }

  @Test
  void segmentsWaitForTheLinkInsteadOfPilingUpInTheTransmitQueue() {
    TestHost[] slow = new TestHost[2];
    VirtualClock c = new VirtualClock();
    slow[0] = new TestHost(c, 1).configured("10.0.0.1", 24);
    slow[1] = new TestHost(c, 2).configured("10.0.0.2", 24);
    slow[0].link.ring(4, 12_000); // a 4-slot ring draining one 1.5 kB frame per 12 us (1 Gbit/s)
    int[] maxHeld = {0};
    Wire.connect(c, slow[0].link, slow[1].link, TestHost.MICROS_100).dropAtoB(f -> {
      maxHeld[0] = Math.max(maxHeld[0], slow[0].stack.heldFrames());
      return false;
    });
    byte[] data = random(2 << 20, 4);
    TcpPeer server = new TcpPeer();
    slow[1].stack.tcpListen(80, server::accepted);
    TcpPeer client = new TcpPeer().streaming(data, true);
    slow[0].stack.tcpConnect(B, 80, client);
    assertTrue(c.runUntil(() -> server.peerClosed, 60_000_000_000L));
    assertArrayEquals(data, server.bytes());
    assertTrue(slow[0].link.refusals() > 0, "the ring did fill");
    assertTrue(maxHeld[0] <= 2, "held at most " + maxHeld[0]);
    assertEquals(0, slow[0].count(StackCounter.TX_QUEUE_FULL));
  }

  /** Every frame both stacks sent, hashed in order, for a lossy transfer with this seed. */
  private static String trace(long vmSeed) throws Exception {
    VirtualClock c = new VirtualClock();
    TestHost x = new TestHost(c, 1, vmSeed).configured("10.0.0.1", 24);
    TestHost y = new TestHost(c, 2, vmSeed + 1).configured("10.0.0.2", 24);
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    Random loss = new Random(5);
    Wire.connect(c, x.link, y.link, TestHost.MICROS_100)
        .dropAtoB(f -> {
          sha.update(f);
          return loss.nextInt(100) < 3;
        })
        .dropBtoA(f -> {
          sha.update(f);
          return loss.nextInt(100) < 3;
        });
    TcpPeer server = new TcpPeer().streaming(random(200_000, 6), true);
    y.stack.tcpListen(80, server::accepted);
    TcpPeer client = new TcpPeer().streaming(random(300_000, 7), true);
    x.stack.tcpConnect(B, 80, client);
    assertTrue(c.runUntil(() -> client.closed != null && server.closed != null,
        600_000_000_000L));
    return java.util.HexFormat.of().formatHex(sha.digest()) + " at " + c.now();
  }

  @Test
  void aLossyVirtualTimeRunReplaysFrameForFrame() throws Exception {
    assertEquals(trace(1), trace(1));
    assertTrue(!trace(1).equals(trace(3)), "another VM seed, other ISNs, other frames");
  }
}
