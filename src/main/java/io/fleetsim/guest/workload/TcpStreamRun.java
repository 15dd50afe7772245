package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.TcpStats;
import io.fleetsim.guest.socket.Timer;
import java.util.Optional;

/**
 * One tcp-stream run. Bytes are made from their stream offset as the connection takes them, so
 * nothing is held back: a short count just means "wait for writable, then go on from there".
 * It ends when the peer closes after our FIN with everything acknowledged, when the connection
 * fails, or when stopped; it prints its summary then.
 */
final class TcpStreamRun extends TallyRun<TcpStreamResult> implements TcpHandler {
  /** Bytes offered per send call: the buffer takes what fits. */
  static final int CHUNK = 64 * 1024;

  private final TcpStreamWorkload spec;
  private final Sha256 sha = new Sha256();
  private final byte[] chunk = new byte[CHUNK];
  private TcpSocket socket;
  private Timer deadline;
  private long connectedAt = -1;
  private long sent;
  private boolean shut;
  private boolean completed;
  private Optional<TcpError> error = Optional.empty();

  TcpStreamRun(TcpStreamWorkload spec, Sockets stack) {
    super(stack);
    this.spec = spec;
  }

  void begin() {
    socket = stack.tcpConnect(spec.host(), spec.port(), this);
    spec.userTimeout().ifPresent(socket::userTimeout);
  }

  @Override
  public void connected(TcpSocket s) {
    if (done()) {
      return;
    }
    connectedAt = stack.nanoTime();
    spec.duration().ifPresent(d -> deadline = stack.schedule(d.toNanos(), this::endOfStream));
    pump();
  }

  @Override
  public void writable(TcpSocket s) {
    pump();
  }

  private void pump() {
    while (!done() && !shut) {
      long left = spec.bytes().isPresent() ? spec.bytes().getAsLong() - sent : CHUNK;
      if (left <= 0) {
        endOfStream();
        return;
      }
      int n = (int) Math.min(CHUNK, left);
      StreamPattern.fill(sent, chunk, 0, n);
      int taken = socket.send(chunk, 0, n);
      sha.update(chunk, 0, taken);
      sent += taken;
      if (taken < n) {
        return; // writable follows
      }
    }
  }

  /** Everything is handed over (or the time is up): FIN after the queued data. */
  private void endOfStream() {
    if (done() || shut) {
      return;
    }
    shut = true;
    socket.shutdownOutput();
  }

  @Override
  public void received(TcpSocket s, byte[] data) {
    // a sink sends nothing; whatever comes is not part of the measurement
  }

  @Override
  public void peerClosed(TcpSocket s) {
    // The sink closes once it has read our FIN: with nothing unacknowledged that is the end;
    // TIME-WAIT and the last ACK are TCP's business, not the measurement's.
    if (shut && socket.unacknowledged() == 0) {
      completed = true;
      end();
    }
  }

  @Override
  public void closed(TcpSocket s, Optional<TcpError> why) {
    if (why.isPresent()) {
      error = why;
    } else if (shut) {
      completed = true;
    }
    end();
  }

  @Override
  void release() {
    if (deadline != null) {
      deadline.cancel();
    }
    socket.close();
  }

  @Override
  TcpStreamResult tally() {
    TcpStats stats = socket.stats();
    long acked = Math.min(sent, stats.bytesAcked());
    long elapsed = connectedAt < 0 ? 0 : stack.nanoTime() - connectedAt;
    return new TcpStreamResult(spec.host(), spec.port(), sent, acked, elapsed,
        Goodput.bitsPerSecond(acked, elapsed), sha.hex(), completed, stats, error);
  }

}
