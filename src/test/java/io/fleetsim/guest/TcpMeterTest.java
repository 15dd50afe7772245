package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TCP reports in-order delivery and retransmissions to the stack's {@link StackMeter}. */
class TcpMeterTest {
  static final class CountingMeter implements StackMeter {
    long delivered;
    long retransmitted;

    @Override
    public void tcpDelivered(long bytes) {
      delivered += bytes;
    }

    @Override
    public void tcpRetransmitted() {
      retransmitted++;
    }
  }

  @Test
  void deliveredBytesAndRetransmissionsReachTheMeter() {
    VirtualClock clock = new VirtualClock();
    CountingMeter meterA = new CountingMeter();
    CountingMeter meterB = new CountingMeter();
    FakeLink linkA = new FakeLink(clock, FakeLink.mac(1));
    FakeLink linkB = new FakeLink(clock, FakeLink.mac(2));
    NetStack a = new NetStack(new VirtualGuestEnv(clock, 1), linkA, meterA);
    NetStack b = new NetStack(new VirtualGuestEnv(clock, 2), linkB, meterB);
    a.configure(Ipv4Address.parse("10.0.0.1"), 24, Optional.empty());
    b.configure(Ipv4Address.parse("10.0.0.2"), 24, Optional.empty());
    Random loss = new Random(3);
    Wire.connect(clock, linkA, linkB, TestHost.MICROS_100).dropAtoB(f -> loss.nextInt(50) == 0);
    byte[] data = TcpTransferTest.random(500_000, 8);
    TcpPeer server = new TcpPeer();
    b.tcpListen(80, server::accepted);
    TcpPeer client = new TcpPeer().streaming(data, true);
    a.tcpConnect(TcpTransferTest.B, 80, client);
    assertTrue(clock.runUntil(() -> server.peerClosed, 100_000_000_000L));
    assertArrayEquals(data, server.bytes());
    assertEquals(data.length, meterB.delivered);
    assertEquals(0, meterA.delivered);
    assertTrue(meterA.retransmitted > 0);
    assertEquals(client.socket.stats().retransmissions(), meterA.retransmitted);
    assertEquals(a.counters().get(StackCounter.TCP_RETRANSMISSIONS), meterA.retransmitted);
  }
}
