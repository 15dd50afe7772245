package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.TcpStats;
import io.fleetsim.guest.socket.Timer;
import java.util.Optional;
import org.HdrHistogram.AbstractHistogram;

/**
 * One tcp-rr run: one transaction outstanding at a time, its request written with back-pressure
 * (a request larger than the send buffer goes out as the buffer drains). Requests are
 * {@link StreamPattern} bytes. Prints its summary at the end.
 */
final class TcpRrRun extends TallyRun<TcpRrResult> implements TcpHandler {
  private final TcpRrWorkload spec;
  private final AbstractHistogram latencies = RttStats.histogram(); // microseconds
  private final byte[] request;
  private TcpSocket socket;
  private Timer deadline;
  private Timer next;
  private long connectedAt = -1;
  private long transactions;
  private long started; // transactions begun
  private long requestSent; // bytes of the current request handed to TCP
  private long responseBytes; // bytes of responses received over the whole run
  private long startedAt;
  private boolean inFlight;
  private boolean serverClosed;
  private Optional<TcpError> error = Optional.empty();

  TcpRrRun(TcpRrWorkload spec, Sockets stack) {
    super(stack);
    this.spec = spec;
    this.request = new byte[spec.size()];
    StreamPattern.fill(0, request, 0, request.length);
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
    spec.duration().ifPresent(d -> deadline = stack.schedule(d.toNanos(), this::end));
    startTransaction();
  }

  private void startTransaction() {
    next = null;
    if (done()) {
      return;
    }
    if (spec.count().isPresent() && started >= spec.count().getAsLong()) {
      end();
      return;
    }
    started++;
    inFlight = true;
    requestSent = 0;
    startedAt = stack.nanoTime();
    writeRequest();
  }

  private void writeRequest() {
    if (!inFlight || requestSent == request.length) {
      return;
    }
    int off = (int) requestSent;
    requestSent += socket.send(request, off, request.length - off);
  }

  @Override
  public void writable(TcpSocket s) {
    writeRequest();
  }

  @Override
  public void received(TcpSocket s, byte[] data) {
    if (done()) {
      return;
    }
    responseBytes += data.length;
    if (!inFlight || responseBytes < transactions * spec.size() + spec.size()) {
      return;
    }
    // the echo of this request is complete
    long nanos = stack.nanoTime() - startedAt;
    latencies.recordValue(Math.max(0, nanos / 1000));
    transactions++;
    inFlight = false;
    long due = spec.rate().isEmpty() ? 0
        : connectedAt + (long) Math.ceil(transactions * 1e9 / spec.rate().get());
    long wait = due - stack.nanoTime();
    if (wait > 0) {
      next = stack.schedule(wait, this::startTransaction);
    } else {
      startTransaction();
    }
  }

  @Override
  public void peerClosed(TcpSocket s) {
    if (!done()) {
      serverClosed = true;
    }
    end();
  }

  @Override
  public void closed(TcpSocket s, Optional<TcpError> why) {
    if (why.isPresent() && !done()) {
      error = why;
    }
    end();
  }

  @Override
  void release() {
    if (deadline != null) {
      deadline.cancel();
    }
    if (next != null) {
      next.cancel();
    }
    socket.close();
  }

  @Override
  TcpRrResult tally() {
    TcpStats stats = socket.stats();
    long elapsed = connectedAt < 0 ? 0 : stack.nanoTime() - connectedAt;
    return new TcpRrResult(spec.host(), spec.port(), spec.size(), transactions, elapsed,
        elapsed > 0 ? transactions * 1e9 / elapsed : 0,
        transactions > 0 ? Optional.of(RttStats.of(latencies)) : Optional.empty(), stats, serverClosed,
        error);
  }

}
