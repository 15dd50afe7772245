package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.EchoError;
import io.fleetsim.guest.socket.EchoListener;
import io.fleetsim.guest.socket.EchoReply;
import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.guest.socket.Timer;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.SendStatus;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.HdrHistogram.AbstractHistogram;

/**
 * One ping run. Console lines, exactly busybox's (without its blank line before the summary):
 *
 * <pre>
 * PING 10.0.0.1 (10.0.0.1): 56 data bytes
 * 64 bytes from 10.0.0.1: seq=0 ttl=64 time=0.512 ms
 * 64 bytes from 10.0.0.1: seq=0 ttl=64 time=0.530 ms (DUP!)
 * From 10.1.0.1 icmp_seq=1 Time to live exceeded
 * --- 10.0.0.1 ping statistics ---
 * 5 packets transmitted, 4 packets received, 1 duplicates, +1 errors, 20% packet loss
 * round-trip min/avg/max = 0.100/0.200/0.512 ms
 * </pre>
 *
 * Times are microseconds printed as milliseconds with three decimals; the duplicates and errors
 * clauses and the round-trip line appear only when there are some. ICMP errors about our
 * requests are printed as iputils ping prints them ({@code From} lines, {@code +N errors}). Without a route: {@code ping: sendto:
 * Network is unreachable}, then the statistics.
 */
final class PingRun implements WorkloadRun {
  private static final long NO_REPLY_WAIT_NANOS = 10_000_000_000L;
  private static final long MIN_WAIT_NANOS = 1_000_000_000L;
  private static final int SEQUENCES = 0x10000;

  private final PingWorkload spec;
  private final Sockets stack;
  private final byte[] payload;
  // Grown as sequence numbers are used: a full table (512 KiB) per ping would dwarf the VM.
  private long[] sentAt = new long[64];
  private final BitSet answered = new BitSet();
  private final BitSet outstanding = new BitSet();
  private final AbstractHistogram rtts = RttStats.histogram(); // microseconds
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private EchoSocket socket;
  private Timer timer;
  private long transmitted;
  private long received;
  private long duplicates;
  private long errors;
  private long minMicros = Long.MAX_VALUE;
  private long maxMicros;
  private long sumMicros;
  private boolean unreachable;
  private boolean done;

  PingRun(PingWorkload spec, Sockets stack) {
    this.spec = spec;
    this.stack = stack;
    this.payload = new byte[spec.size()];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
  }

  void begin() {
    stack.print("PING " + spec.host() + " (" + spec.host() + "): " + spec.size() + " data bytes");
    socket = stack.openEcho(new EchoListener() {
      @Override
      public void reply(EchoReply reply) {
        onReply(reply);
      }

      @Override
      public void error(EchoError error) {
        onError(error);
      }
    });
    sendNext();
  }

  private void sendNext() {
    if (done) {
      return;
    }
    int seq = (int) (transmitted % SEQUENCES);
    // stamped before the send, as ping writes its timestamp into the request: a send that takes
    // time (a preempted VM thread in real time) belongs to the round trip
    long sent = stack.nanoTime();
    SendStatus status = socket.send(spec.host(), seq, payload, spec.ttl());
    if (status == SendStatus.NO_ROUTE) {
      stack.print("ping: sendto: Network is unreachable");
      unreachable = true;
      finish();
      return;
    }
    // Like a socket send on Linux, a frame lost to link-down or a full queue still counts.
    if (seq >= sentAt.length) {
      sentAt = Arrays.copyOf(sentAt, Math.min(SEQUENCES, 2 * sentAt.length));
    }
    sentAt[seq] = sent;
    answered.clear(seq);
    outstanding.set(seq);
    transmitted++;
    if (spec.count().isPresent() && transmitted >= spec.count().getAsLong()) {
      long wait = received == 0 ? NO_REPLY_WAIT_NANOS
          : Math.max(MIN_WAIT_NANOS, 2 * maxMicros * 1_000L);
      timer = stack.schedule(wait, this::finish);
    } else {
      timer = stack.schedule(spec.interval().toNanos(), this::sendNext);
    }
  }

  private void onReply(EchoReply reply) {
    int seq = reply.sequence();
    if (done || !(outstanding.get(seq) || answered.get(seq))) {
      return; // not a reply to anything this run sent
    }
    long nanos = reply.receivedAtNanos() - sentAt[seq];
    long micros = nanos / 1_000L;
    boolean dup = answered.get(seq);
    if (dup) {
      duplicates++;
    } else {
      received++;
      answered.set(seq);
      outstanding.clear(seq);
      rtts.recordValue(Math.max(0, nanos / 1000));
    }
    minMicros = Math.min(minMicros, micros);
    maxMicros = Math.max(maxMicros, micros);
    sumMicros += micros;
    stack.print(reply.bytes() + " bytes from " + reply.from() + ": seq=" + seq + " ttl="
        + reply.ttl() + " time=" + millis3(micros) + " ms" + (dup ? " (DUP!)" : ""));
    if (spec.count().isPresent() && received + errors >= spec.count().getAsLong()) {
      finish();
    }
  }

  /** An ICMP error about an outstanding request: printed and counted; the request stays lost. */
  private void onError(EchoError error) {
    int seq = error.sequence();
    if (done || !outstanding.get(seq)) {
      return;
    }
    outstanding.clear(seq);
    errors++;
    stack.print("From " + error.from() + " icmp_seq=" + seq + " " + error.describe());
    if (spec.count().isPresent() && transmitted >= spec.count().getAsLong()
        && received + errors >= spec.count().getAsLong()) {
      finish();
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
    long loss = lossPercent();
    stack.print("--- " + spec.host() + " ping statistics ---");
    stack.print(transmitted + " packets transmitted, " + received + " packets received, "
        + (duplicates > 0 ? duplicates + " duplicates, " : "")
        + (errors > 0 ? "+" + errors + " errors, " : "") + loss + "% packet loss");
    if (received + duplicates > 0) {
      long avg = sumMicros / (received + duplicates);
      stack.print("round-trip min/avg/max = " + millis3(minMicros) + "/" + millis3(avg) + "/"
          + millis3(maxMicros) + " ms");
    }
    result.complete(snapshot());
  }

  private long lossPercent() {
    return transmitted == 0 ? 0 : (transmitted - received) * 100 / transmitted;
  }

  /** So far, requests still awaiting their reply count as lost. */
  @Override
  public PingResult snapshot() {
    return new PingResult(spec.host(), transmitted, received, duplicates, lossPercent(),
        received > 0 ? Optional.of(RttStats.of(rtts)) : Optional.empty(), unreachable, errors);
  }

  /** busybox's "%u.%03u" of a microsecond count. */
  static String millis3(long micros) {
    return micros / 1000 + "." + String.format("%03d", micros % 1000);
  }

  static String millis(long nanos) {
    return millis3(nanos / 1_000L);
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
