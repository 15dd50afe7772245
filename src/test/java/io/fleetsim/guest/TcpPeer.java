package io.fleetsim.guest;

import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpSocket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A test program on one end of a TCP connection: records what arrives and the events, and can
 * stream a byte array out with back-pressure (refilling on writable).
 */
final class TcpPeer implements TcpHandler {
  final ByteArrayOutputStream received = new ByteArrayOutputStream();
  final List<String> events = new ArrayList<>();
  TcpSocket socket;
  boolean connected;
  boolean peerClosed;
  Optional<TcpError> closed;
  private byte[] outgoing = new byte[0];
  private int sentUpTo;
  private boolean closeWhenSent;
  int writableCalls;

  /** Streams {@code data} out, then (if asked) shuts down output (FIN; still receiving). */
  TcpPeer streaming(byte[] data, boolean thenClose) {
    this.outgoing = data;
    this.sentUpTo = 0;
    this.closeWhenSent = thenClose;
    return this;
  }

  void pump() {
    while (sentUpTo < outgoing.length) {
      int n = socket.send(outgoing, sentUpTo, outgoing.length - sentUpTo);
      if (n == 0) {
        return;
      }
      sentUpTo += n;
    }
    if (closeWhenSent) {
      closeWhenSent = false;
      socket.shutdownOutput();
    }
  }

  boolean allSent() {
    return sentUpTo == outgoing.length;
  }

  @Override
  public void connected(TcpSocket s) {
    socket = s;
    connected = true;
    events.add("connected");
    pump();
  }

  /** Use as the acceptor's handler. */
  TcpPeer accepted(TcpSocket s) {
    socket = s;
    connected = true;
    events.add("accepted");
    s.sendSpace(); // harmless: the socket is usable here
    pump();
    return this;
  }

  @Override
  public void received(TcpSocket s, byte[] data) {
    received.writeBytes(data);
  }

  @Override
  public void writable(TcpSocket s) {
    writableCalls++;
    pump();
  }

  @Override
  public void peerClosed(TcpSocket s) {
    peerClosed = true;
    events.add("peerClosed");
  }

  @Override
  public void closed(TcpSocket s, Optional<TcpError> error) {
    if (closed != null) {
      throw new AssertionError("closed twice: " + error);
    }
    closed = error;
    events.add("closed" + error.map(e -> " " + e.kind()).orElse(""));
  }

  byte[] bytes() {
    return received.toByteArray();
  }
}
