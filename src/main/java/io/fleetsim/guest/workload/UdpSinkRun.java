package io.fleetsim.guest.workload;

import io.fleetsim.guest.Ipv4Address;
import io.fleetsim.guest.NetStack;
import io.fleetsim.guest.UdpDatagram;
import io.fleetsim.guest.UdpSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One udp-sink run; prints its summary when stopped. */
final class UdpSinkRun implements WorkloadRun {
  private record Sender(Ipv4Address address, int port) {}

  private static final class Tally {
    final SequenceTracker tracker = new SequenceTracker();
    long bytes;
  }

  private final int port;
  private final NetStack stack;
  private final UdpSocket socket;
  private final Map<Sender, Tally> senders = new LinkedHashMap<>();
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private long datagrams;
  private long bytes;
  private long foreign;
  private boolean done;

  UdpSinkRun(int port, NetStack stack) {
    this.port = port;
    this.stack = stack;
    this.socket = stack.udpBind(port, this::onDatagram);
  }

  private void onDatagram(UdpDatagram d) {
    datagrams++;
    bytes += d.payload().length;
    long seq = SequencePayload.sequence(d.payload());
    if (seq < 0) {
      foreign++;
      return;
    }
    Tally t = senders.computeIfAbsent(new Sender(d.source(), d.sourcePort()), s -> new Tally());
    t.tracker.record(seq);
    t.bytes += d.payload().length;
  }

  /** The tallies so far, without stopping. */
  UdpSinkResult snapshot() {
    List<SenderStats> stats = new ArrayList<>();
    for (Map.Entry<Sender, Tally> e : senders.entrySet()) {
      SequenceTracker tr = e.getValue().tracker;
      stats.add(new SenderStats(e.getKey().address(), e.getKey().port(), tr.unique(), tr.lost(),
          tr.duplicates(), tr.outOfOrder(), tr.highest(), e.getValue().bytes));
    }
    return new UdpSinkResult(port, datagrams, bytes, foreign, stats);
  }

  @Override
  public CompletionStage<WorkloadResult> result() {
    return result.minimalCompletionStage();
  }

  @Override
  public void stop() {
    if (done) {
      return;
    }
    done = true;
    socket.close();
    UdpSinkResult r = snapshot();
    stack.env().print(r.summary());
    result.complete(r);
  }

  @Override
  public boolean done() {
    return done;
  }
}
