package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpListener;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.TcpStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One tcp-echo run; prints its summary when stopped. */
final class TcpEchoRun extends TallyRun<TcpEchoResult> {
  private final int port;
  private final TcpListener listener;
  private final List<Echoer> echoers = new ArrayList<>();

  /** One connection: what the send buffer did not take waits here, and reading pauses. */
  private final class Echoer implements TcpHandler {
    final TcpSocket socket;
    final long acceptedAt = stack.nanoTime();
    final InputBuffer pending = new InputBuffer();
    long echoed;
    boolean peerClosed;
    long endedAt = -1;
    TcpStats finalStats;
    Optional<TcpError> error = Optional.empty();

    Echoer(TcpSocket socket) {
      this.socket = socket;
    }

    @Override
    public void received(TcpSocket s, byte[] data) {
      if (pending.size() > 0) {
        pending.append(data); // arrived before the pause took effect
        return;
      }
      int taken = s.send(data, 0, data.length);
      echoed += taken;
      if (taken < data.length) {
        pending.append(data, taken, data.length - taken);
        s.pauseReceiving();
      }
    }

    @Override
    public void writable(TcpSocket s) {
      if (pending.size() == 0) {
        return;
      }
      int taken = s.send(pending.array(), pending.start(), pending.size());
      echoed += taken;
      pending.consume(taken);
      if (pending.size() == 0) {
        if (peerClosed) {
          s.close();
        } else {
          s.resumeReceiving();
        }
      }
    }

    @Override
    public void peerClosed(TcpSocket s) {
      peerClosed = true;
      if (pending.size() == 0) {
        s.close();
      }
    }

    @Override
    public void closed(TcpSocket s, Optional<TcpError> why) {
      error = why;
      endedAt = stack.nanoTime();
      finalStats = s.stats();
      pending.clear();
    }

    TcpEchoConnection connection() {
      return new TcpEchoConnection(socket.remoteAddress() + ":" + socket.remotePort(), echoed,
          (endedAt >= 0 ? endedAt : stack.nanoTime()) - acceptedAt,
          finalStats != null ? finalStats : socket.stats(), error);
    }
  }

  TcpEchoRun(int port, Sockets stack) {
    super(stack);
    this.port = port;
    this.listener = stack.tcpListen(port, socket -> {
      Echoer e = new Echoer(socket);
      echoers.add(e);
      return e;
    });
  }

  @Override
  TcpEchoResult tally() {
    List<TcpEchoConnection> connections = new ArrayList<>();
    long bytes = 0;
    for (Echoer e : echoers) {
      connections.add(e.connection());
      bytes += e.echoed;
    }
    return new TcpEchoResult(port, bytes, connections);
  }

  @Override
  void release() {
    listener.close();
  }
}
