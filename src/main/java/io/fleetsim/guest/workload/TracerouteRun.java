package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.EchoError;
import io.fleetsim.guest.socket.EchoListener;
import io.fleetsim.guest.socket.EchoReply;
import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One traceroute run. Console lines, as {@code traceroute -n -I} prints them:
 *
 * <pre>
 * traceroute to 10.2.0.10 (10.2.0.10), 30 hops max, 60 byte packets
 *  1  10.1.0.1  0.301 ms  0.298 ms  0.297 ms
 *  2  * * *
 *  3  10.2.0.10  0.912 ms  0.901 ms  0.899 ms
 * </pre>
 *
 * An address is printed again when a later probe of the hop is answered by another host; a
 * destination unreachable answer is marked {@code !N} or {@code !H} after its time. Without a
 * route: {@code traceroute: sendto: Network is unreachable}.
 */
final class TracerouteRun implements WorkloadRun, EchoListener {
  private final TracerouteWorkload spec;
  private final Sockets stack;
  private final byte[] payload = new byte[TracerouteWorkload.PAYLOAD];
  private final List<TracerouteHop> hops = new ArrayList<>();
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private EchoSocket socket;
  private Timer timer;
  private int ttl;
  private int probe;
  private int sequence;
  private long sentAt;
  private boolean awaiting;
  // the hop being probed
  private List<Optional<Long>> rtts;
  private Ipv4Address first;
  private Ipv4Address last;
  private String note;
  private StringBuilder line;
  private boolean hopReached;
  private boolean hopUnreachable;
  // the run
  private boolean reached;
  private boolean unreachable;
  private boolean done;

  TracerouteRun(TracerouteWorkload spec, Sockets stack) {
    this.spec = spec;
    this.stack = stack;
  }

  void begin() {
    stack.print("traceroute to " + spec.host() + " (" + spec.host() + "), " + spec.maxHops()
        + " hops max, " + (20 + 8 + payload.length) + " byte packets");
    socket = stack.openEcho(this);
    ttl = 1;
    startHop();
  }

  private void startHop() {
    rtts = new ArrayList<>();
    first = null;
    last = null;
    note = "";
    hopReached = false;
    hopUnreachable = false;
    line = new StringBuilder(String.format("%2d", ttl));
    probe = 0;
    sendProbe();
  }

  private void sendProbe() {
    if (done) {
      return;
    }
    sequence = (sequence + 1) & 0xFFFF;
    sentAt = stack.nanoTime();
    SendStatus status = socket.send(spec.host(), sequence, payload, ttl);
    if (status == SendStatus.NO_ROUTE) {
      stack.print("traceroute: sendto: Network is unreachable");
      unreachable = true;
      finish();
      return;
    }
    awaiting = true;
    timer = stack.schedule(spec.waitTime().toNanos(), this::timedOut);
  }

  @Override
  public void reply(EchoReply reply) {
    if (done || !awaiting || reply.sequence() != sequence) {
      return; // late, or not ours
    }
    if (reply.from().equals(spec.host())) {
      hopReached = true;
    }
    answered(reply.from(), reply.receivedAtNanos(), "");
  }

  @Override
  public void error(EchoError error) {
    if (done || !awaiting || error.sequence() != sequence) {
      return;
    }
    String mark = "";
    if (error.type() == EchoError.DEST_UNREACHABLE) {
      hopUnreachable = true;
      mark = switch (error.code()) {
        case 0 -> " !N";
        case 1 -> " !H";
        default -> " !" + error.code();
      };
      note = mark.trim();
    }
    answered(error.from(), error.receivedAtNanos(), mark);
  }

  private void answered(Ipv4Address from, long at, String mark) {
    awaiting = false;
    timer.cancel();
    long rtt = Math.max(0, at - sentAt);
    if (first == null) {
      first = from;
    }
    if (!from.equals(last)) {
      line.append("  ").append(from);
      last = from;
    }
    line.append("  ").append(PingRun.millis(rtt)).append(" ms").append(mark);
    rtts.add(Optional.of(rtt));
    nextProbe();
  }

  private void timedOut() {
    if (done || !awaiting) {
      return;
    }
    awaiting = false;
    line.append(rtts.isEmpty() ? "  *" : " *");
    rtts.add(Optional.empty());
    nextProbe();
  }

  private void nextProbe() {
    probe++;
    if (probe < spec.probes()) {
      sendProbe();
      return;
    }
    stack.print(line.toString());
    hops.add(new TracerouteHop(ttl, Optional.ofNullable(first), rtts, note));
    if (hopReached) {
      reached = true;
      finish();
    } else if (hopUnreachable) {
      unreachable = true;
      finish();
    } else if (ttl >= spec.maxHops()) {
      finish();
    } else {
      ttl++;
      startHop();
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (timer != null) {
      timer.cancel();
    }
    socket.close();
    result.complete(snapshot());
  }

  /** The hops finished so far. */
  @Override
  public TracerouteResult snapshot() {
    return new TracerouteResult(spec.host(), reached, unreachable, hops);
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
