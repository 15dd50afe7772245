package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.UdpDatagram;
import io.fleetsim.guest.socket.UdpSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One udp-sink run; prints its summary when stopped. */
final class UdpSinkRun implements WorkloadRun {
  /** One udp-send run as heard: a rebooted sender has the same address and port, not the same stream. */
  private record Stream(Ipv4Address address, int port, long id) {}

  private static final class Tally {
    final SequenceTracker tracker = new SequenceTracker();
    long bytes;
    int number;
  }

  private final int port;
  private final Sockets stack;
  private final UdpSocket socket;
  private final Map<Stream, Tally> streams = new LinkedHashMap<>();
  /** Per address and port, how many streams came from it so far (streams are numbered from 1). */
  private final Map<Stream, Integer> streamsFrom = new LinkedHashMap<>();
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private long datagrams;
  private long bytes;
  private long foreign;
  private boolean done;

  UdpSinkRun(int port, Sockets stack) {
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
    Tally t = streams.computeIfAbsent(
        new Stream(d.source(), d.sourcePort(), SequencePayload.stream(d.payload())), s -> {
          Tally fresh = new Tally();
          fresh.number = streamsFrom.merge(new Stream(s.address(), s.port(), 0), 1, Integer::sum);
          return fresh;
        });
    t.tracker.record(seq);
    t.bytes += d.payload().length;
  }

  /** The tallies so far, without stopping. */
  @Override
  public UdpSinkResult snapshot() {
    List<SenderStats> stats = new ArrayList<>();
    for (Map.Entry<Stream, Tally> e : streams.entrySet()) {
      SequenceTracker tr = e.getValue().tracker;
      stats.add(new SenderStats(e.getKey().address(), e.getKey().port(), e.getValue().number,
          tr.unique(), tr.lost(), tr.duplicates(), tr.outOfOrder(), tr.highest(), e.getValue().bytes));
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
    stack.print(r.summary());
    result.complete(r);
  }

  @Override
  public boolean done() {
    return done;
  }
}
