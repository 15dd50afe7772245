package io.fleetsim.bench;

import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.guest.workload.UdpSendResult;
import io.fleetsim.guest.workload.UdpSinkResult;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.vm.NicSpec;
import io.fleetsim.vm.Vm;
import io.fleetsim.vm.VmEvent;
import io.fleetsim.vm.VmReport;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Not a test: UDP datagrams per second between two simulated VMs in this JVM. VM a runs
 * {@code udp-send 10.0.0.2:5001 rate=R/s size=SB duration=D}, VM b {@code udp-sink 5001}. The rate
 * defaults to 10,000,000/s, far above what the link carries: udp-send then waits for the
 * stack's back-pressure (ring full) instead of dropping, so the figure is what the whole path
 * (guest, e1000, netdev, TCP, and back up) sustains. Link ({@code --link}): {@code tcp} (b
 * listens on 127.0.0.1:P, a connects; the default) or {@code hub} (one in-JVM hub).
 *
 * <p>After udp-send ends, the sink is given until b's driver stops receiving (at most 5 s),
 * then stopped; lost = sent - received. Frames/s = received / udp-send's elapsed time. Each
 * size first runs {@code --warmup} on a throw-away pair, so the measured run is JIT-compiled.
 */
public final class VmUdpBenchmark {
  private static final int SINK_PORT = 5001;
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

  private VmUdpBenchmark() {}

  public static void main(String[] args) {
    BenchVms.main("VmUdpBenchmark", args, VmUdpBenchmark::run);
  }

  private static void run(BenchArgs args) throws Exception {
    String sizes = args.string("sizes", "64,1472");
    Duration duration = args.duration("duration", Duration.ofSeconds(5));
    Duration warmup = args.duration("warmup", Duration.ofSeconds(2));
    boolean noWarmup = args.flag("no-warmup");
    long rate = args.number("rate", 10_000_000, 1);
    String link = args.string("link", "tcp");
    boolean verbose = args.flag("verbose");
    args.done();
    if (!link.equals("tcp") && !link.equals("hub")) {
      throw new BenchArgs.BadArgument("--link must be tcp or hub, got '" + link + "'");
    }
    for (String s : sizes.split(",")) {
      int size;
      try {
        size = Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        throw new BenchArgs.BadArgument("--sizes: '" + s + "' is not a number");
      }
      if (size < 20 || size > 1472) {
        throw new BenchArgs.BadArgument("--sizes: " + size + " must be 20..1472 (one frame each)");
      }
      if (!noWarmup) {
        blast(link, size, rate, warmup, false);
      }
      Run r = blast(link, size, rate, duration, verbose);
      double sendSeconds = r.send.elapsedNanos() / 1e9;
      long received = r.sink.datagrams() - r.sink.foreign();
      long lost = r.send.sent() - received;
      System.out.printf("udp over %s, payload %d B (frame %d B), udp-send rate=%d for %.1f s:%n",
          link, size, size + 42, rate, sendSeconds);
      System.out.printf("  sent %d (%.0f/s), received %d, lost %d (gaps seen by the sink: %d)%n",
          r.send.sent(), r.send.sent() / sendSeconds, received, lost, r.sink.lost());
      System.out.printf("  %.0f frames/s received (%.1f Mbit/s of payload) over %.2f s, from a's"
              + " start to b's last frame%n",
          received / r.receiveSeconds, received * size * 8 / r.receiveSeconds / 1e6,
          r.receiveSeconds);
      System.out.printf("  sender waited on back-pressure %d times; vCPU busy: a %.0f%%, b %.0f%%%n",
          r.send.delayed(), 100 * r.cyclesA / (sendSeconds * r.mhz * 1e6),
          100 * r.cyclesB / (r.receiveSeconds * r.mhz * 1e6));
      if (verbose) {
        System.out.println("  a driver: " + r.driverA);
        System.out.println("  b driver: " + r.driverB);
      }
    }
  }

  /** @param receiveSeconds from a's start to b's last received frame */
  private record Run(UdpSendResult send, UdpSinkResult sink, double receiveSeconds, long cyclesA,
      long cyclesB,
      double mhz, E1000Driver.Stats driverA, E1000Driver.Stats driverB) {}

  private static Run blast(String link, int size, long rate, Duration duration, boolean verbose)
      throws Exception {
    try (BenchVms bench = new BenchVms("vmudp")) {
      Consumer<String> consoleA = verbose ? line -> System.out.println("a| " + line) : line -> {};
      Consumer<String> consoleB = verbose ? line -> System.out.println("b| " + line) : line -> {};
      BenchVms.Wiring wiring = bench.wire(link);
      NicSpec.Attachment atA = wiring.a();
      NicSpec.Attachment atB = wiring.b();
      ActorRef<Vm.Command> b = bench.start("b", BenchVms.mac(2), atB,
          bench.guest("10.0.0.2/24", "udp-sink " + SINK_PORT), consoleB);
      bench.awaitReady("b");
      String send = "udp-send 10.0.0.2:" + SINK_PORT + " rate=" + rate + "/s size=" + size + "B"
          + " duration=" + duration.toMillis() + "ms";
      ActorRef<Vm.Command> a = bench.start("a", BenchVms.mac(1), atA,
          bench.guest("10.0.0.1/24", send), consoleA);
      bench.awaitReady("a");
      long started = System.nanoTime(); // udp-send starts as a boots
      bench.await(e -> e instanceof VmEvent.Finished && e.vm().equals("a"),
          duration.plusSeconds(60), "'" + send + "' to finish");
      VmReport reportA = bench.report(a);
      // Frames still in flight (rings, queues, socket buffers) drain at b's pace: wait until b
      // has received nothing for half a second.
      long sentFrames = ((UdpSendResult) BenchVms.workloadResult(reportA, 0)).sent();
      long last = -1;
      long lastChange = System.nanoTime();
      long deadline = lastChange + DRAIN_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        long now = BenchVms.driverStats(bench.report(b)).rxFrames();
        if (now != last) {
          last = now;
          lastChange = System.nanoTime();
        } else if (System.nanoTime() - lastChange > 500_000_000L || now >= sentFrames + 1) {
          break; // +1: b also received a's ARP request
        }
        Thread.sleep(20);
      }
      bench.shutdown(b);
      VmReport reportB = bench.report(b);
      WorkloadResult sent = BenchVms.workloadResult(reportA, 0);
      WorkloadResult sunk = BenchVms.workloadResult(reportB, 0);
      if (!(sent instanceof UdpSendResult s) || !(sunk instanceof UdpSinkResult k)) {
        throw new BenchVms.BenchFailure("udp-send or udp-sink ended without a result");
      }
      return new Run(s, k, (lastChange - started) / 1e9, BenchVms.cpuCycles(reportA),
          BenchVms.cpuCycles(reportB), bench.cpuMhz, BenchVms.driverStats(reportA),
          BenchVms.driverStats(reportB));
    }
  }
}
