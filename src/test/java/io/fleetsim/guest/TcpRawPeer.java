package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A stack under test (10.0.0.1) and a scripted peer (10.0.0.9) that writes segments by hand and
 * sees every segment the stack sends, with its time.
 */
final class TcpRawPeer {
  static final int US = Frames.ip("10.0.0.1");
  static final int PEER = Frames.ip("10.0.0.9");
  static final Ipv4Address PEER_ADDRESS = Ipv4Address.parse("10.0.0.9");
  static final long PEER_MAC = 0x0200_0000_0099L;

  final VirtualClock clock = new VirtualClock();
  final TestHost host = new TestHost(clock, 1).configured("10.0.0.1", 24);
  final List<TcpFrames.Seg> sent = new ArrayList<>();

  TcpRawPeer() {
    host.stack.permanentNeighbours(
        Neighbours.of(Map.of(PEER_ADDRESS, new MacAddress(PEER_MAC))));
    host.link.onTransmit(f -> {
      TcpFrames.Seg s = TcpFrames.parse(f, clock.now());
      if (s != null) {
        sent.add(s);
      }
    });
  }

  /** Delivers a segment from the peer to the stack. */
  void inject(int srcPort, int dstPort, int seq, int ack, int flags, int window, int mss,
      int scale, byte[] payload) {
    host.link.deliver(frame(srcPort, dstPort, seq, ack, flags, window, mss, scale, payload));
  }

  static byte[] frame(int srcPort, int dstPort, int seq, int ack, int flags, int window, int mss,
      int scale, byte[] payload) {
    return Frames.ipv4(FakeLink.mac(1).bits(), PEER_MAC, PEER, US, 6, 64,
        TcpFrames.tcp(PEER, US, srcPort, dstPort, seq, ack, flags, window, mss, scale, payload));
  }

  TcpFrames.Seg last() {
    return sent.get(sent.size() - 1);
  }

  List<TcpFrames.Seg> since(int index) {
    return new ArrayList<>(sent.subList(index, sent.size()));
  }

  List<TcpFrames.Seg> withData() {
    return sent.stream().filter(s -> s.payload().length > 0).collect(Collectors.toList());
  }

  /**
   * A passive open driven by the peer: SYN (with the given options) to {@code port}, then the
   * ACK of the stack's SYN-ACK. Returns the SYN-ACK; the peer's next sequence is {@code
   * peerIss + 1} and the stack's is the SYN-ACK's seq + 1.
   */
  TcpFrames.Seg handshake(int port, int peerPort, int peerIss, int window, int mss, int scale) {
    int before = sent.size();
    inject(peerPort, port, peerIss, 0, TcpFrames.SYN, window, mss, scale, new byte[0]);
    clock.runForMillis(1);
    TcpFrames.Seg synAck = sent.get(before);
    inject(peerPort, port, peerIss + 1, synAck.seq() + 1, TcpFrames.ACK, window, -1, -1,
        new byte[0]);
    clock.runForMillis(1);
    return synAck;
  }
}
