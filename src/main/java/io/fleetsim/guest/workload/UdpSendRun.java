package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Timer;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.UdpSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One udp-send run. Pacing: datagram i is due at start + i / rate. A timer wakes at the next due
 * time, but no more often than every {@link #MIN_TICK_NANOS}, and sends whatever is due, so high
 * rates go out in small bursts rather than costing a timer each. Prints its summary at the end.
 */
final class UdpSendRun implements WorkloadRun {
  static final long MIN_TICK_NANOS = 1_000_000L;

  private final UdpSendWorkload spec;
  private final Sockets stack;
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private final double nanosPerDatagram;
  /** At most 10 ms worth of datagrams go out at once. */
  private final long maxBurst;
  private UdpSocket socket;
  private Timer tick;
  private Timer end;
  private long start;
  private long paceStart;
  private long pacedSince;
  private long attempts;
  private long sent;
  private long dropped;
  private long delayed;
  private boolean waiting;
  private boolean done;

  UdpSendRun(UdpSendWorkload spec, Sockets stack) {
    this.spec = spec;
    this.stack = stack;
    this.nanosPerDatagram = 1e9 / spec.rate();
    this.maxBurst = Math.max(1, (long) Math.ceil(spec.rate() / 100));
  }

  void begin() {
    socket = stack.udpBind(0, d -> {});
    start = stack.nanoTime();
    paceStart = start;
    spec.duration().ifPresent(d -> end = stack.schedule(d.toNanos(), this::finish));
    send();
  }

  private void send() {
    tick = null;
    if (done || waiting) {
      return;
    }
    long now = stack.nanoTime();
    long due = (long) Math.floor((now - paceStart) / nanosPerDatagram) + 1;
    if (due - (attempts - pacedSince) > maxBurst) {
      // The timer came very late (a starved vCPU): pace on from now rather than burst.
      paceStart = now;
      pacedSince = attempts;
      due = 1;
    }
    while (attempts - pacedSince < due && !limitReached()) {
      if (!stack.canSend(spec.host())) {
        delayed++;
        waiting = true;
        stack.whenCanSend(spec.host(), this::resume);
        return;
      }
      byte[] payload = SequencePayload.encode(attempts, start, spec.size());
      attempts++;
      SendStatus status = socket.send(spec.host(), spec.port(), payload);
      if (status.accepted()) {
        sent++;
      } else {
        dropped++;
      }
    }
    long nextDue = paceStart + (long) Math.ceil((attempts - pacedSince) * nanosPerDatagram);
    if (limitReached()) {
      // The last datagram's slot ends one interval after it: count runs last count / rate.
      tick = stack.schedule(Math.max(0, nextDue - now), this::finish);
    } else {
      tick = stack.schedule(Math.max(nextDue - now, MIN_TICK_NANOS), this::send);
    }
  }

  /** Back-pressure cleared: send the waiting datagram now and pace on from here. */
  private void resume() {
    waiting = false;
    if (done) {
      return;
    }
    paceStart = stack.nanoTime();
    pacedSince = attempts;
    send();
  }

  private boolean limitReached() {
    return spec.count().isPresent() && attempts >= spec.count().getAsLong();
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (tick != null) {
      tick.cancel();
    }
    if (end != null) {
      end.cancel();
    }
    socket.close();
    UdpSendResult r = snapshot();
    stack.print(r.summary());
    result.complete(r);
  }

  @Override
  public UdpSendResult snapshot() {
    long elapsed = stack.nanoTime() - start;
    return new UdpSendResult(spec.host(), spec.port(), sent, dropped, delayed, elapsed,
        elapsed > 0 ? sent * 1e9 / elapsed : 0);
  }

  @Override
  public CompletionStage<WorkloadResult> result() {
    return result.minimalCompletionStage();
  }

  @Override
  public void stop() {
    finish();
  }

  @Override
  public boolean done() {
    return done;
  }
}
