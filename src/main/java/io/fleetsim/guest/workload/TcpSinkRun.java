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

/** One tcp-sink run; prints a line per finished connection and its summary when stopped. */
final class TcpSinkRun extends TallyRun<TcpSinkResult> {
  private final int port;
  private final TcpListener listener;
  private final List<Reader> readers = new ArrayList<>();

  /** One accepted connection, read to its end. */
  private final class Reader implements TcpHandler {
    final TcpSocket socket;
    final String peer;
    final long acceptedAt = stack.nanoTime();
    final Sha256 sha = new Sha256();
    long bytes;
    long corrupt;
    long endedAt = -1;
    boolean complete;
    Optional<TcpError> error = Optional.empty();
    TcpStats finalStats;

    Reader(TcpSocket socket) {
      this.socket = socket;
      this.peer = socket.remoteAddress() + ":" + socket.remotePort();
    }

    @Override
    public void received(TcpSocket s, byte[] data) {
      if (endedAt >= 0) {
        return;
      }
      corrupt += StreamPattern.mismatches(bytes, data, 0, data.length);
      sha.update(data, 0, data.length);
      bytes += data.length;
    }

    @Override
    public void peerClosed(TcpSocket s) {
      complete = true;
      connectionEnded();
      s.close();
    }

    @Override
    public void closed(TcpSocket s, Optional<TcpError> why) {
      if (why.isPresent() && error.isEmpty() && !complete) {
        error = why;
      }
      connectionEnded();
    }

    private void connectionEnded() {
      if (endedAt >= 0) {
        return;
      }
      endedAt = stack.nanoTime();
      finalStats = socket.stats();
      if (!done()) {
        stack.print(connection().peer() + " -> tcp-sink " + port + ": " + bytes + " bytes, sha256="
            + sha.hex() + (corrupt > 0 ? ", " + corrupt + " corrupt bytes" : "")
            + error.map(e -> ", error " + e.kind() + ": " + e.message()).orElse(""));
      }
    }

    TcpSinkConnection connection() {
      long elapsed = (endedAt >= 0 ? endedAt : stack.nanoTime()) - acceptedAt;
      return new TcpSinkConnection(peer, bytes, sha.hex(), corrupt, corrupt == 0, complete, elapsed,
          Goodput.bitsPerSecond(bytes, elapsed), finalStats != null ? finalStats : socket.stats(),
          error);
    }
  }

  TcpSinkRun(int port, Sockets stack) {
    super(stack);
    this.port = port;
    this.listener = stack.tcpListen(port, socket -> {
      Reader r = new Reader(socket);
      readers.add(r);
      return r;
    });
  }

  @Override
  TcpSinkResult tally() {
    List<TcpSinkConnection> connections = new ArrayList<>();
    long bytes = 0;
    long first = Long.MAX_VALUE;
    long lastEnd = Long.MIN_VALUE;
    long now = stack.nanoTime();
    for (Reader r : readers) {
      connections.add(r.connection());
      bytes += r.bytes;
      first = Math.min(first, r.acceptedAt);
      lastEnd = Math.max(lastEnd, r.endedAt >= 0 ? r.endedAt : now);
    }
    long elapsed = readers.isEmpty() ? 0 : lastEnd - first;
    return new TcpSinkResult(port, bytes, elapsed, Goodput.bitsPerSecond(bytes, elapsed),
        connections);
  }

  @Override
  void release() {
    listener.close();
  }
}
