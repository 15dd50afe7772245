package io.fleetsim.bench;

import io.fleetsim.guest.workload.PingResult;
import io.fleetsim.guest.workload.RttStats;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.vm.NicSpec;
import io.fleetsim.vm.Vm;
import io.fleetsim.vm.VmEvent;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Not a test: ping round-trip times between two simulated VMs in this JVM, VM a (10.0.0.1)
 * pinging VM b (10.0.0.2) with the guest's own ping workload, whose RTTs go into an
 * HdrHistogram ({@link RttStats}). Links ({@code --links}, default both):
 *
 * <ul>
 *   <li>{@code hub}: both NICs on ports of one in-JVM hub (no sockets);
 *   <li>{@code tcp}: b's netdev {@code socket,listen=127.0.0.1:P}, a's {@code
 *       socket,connect=127.0.0.1:P}: QEMU's TCP framing over loopback, both ends in this JVM.
 * </ul>
 *
 * Each link gets a fresh actor system and fresh VMs; {@code --warmup} pings on a throw-away pair
 * first, so the measured run is JIT-compiled.
 */
public final class VmPingBenchmark {
  private VmPingBenchmark() {}

  public static void main(String[] args) {
    BenchVms.main("VmPingBenchmark", args, VmPingBenchmark::run);
  }

  private static void run(BenchArgs args) throws Exception {
    String links = args.string("links", "hub,tcp");
    long count = args.number("count", 1000, 1);
    Duration interval = args.duration("interval", Duration.ofMillis(2));
    long warmup = args.number("warmup", 300, 0);
    boolean verbose = args.flag("verbose");
    args.done();
    for (String link : links.split(",")) {
      if (!link.equals("hub") && !link.equals("tcp")) {
        throw new BenchArgs.BadArgument("--links: unknown link '" + link + "' (hub, tcp)");
      }
    }
    for (String link : links.split(",")) {
      if (warmup > 0) {
        ping(link, warmup, interval, false);
      }
      PingResult r = ping(link, count, interval, verbose);
      RttStats rtt = r.rtt().orElseThrow(() ->
          new BenchVms.BenchFailure(link + ": no ping reply at all (" + r.summary() + ")"));
      System.out.printf("ping over %-4s %d sent, %d received, %d%% loss, interval %d ms:"
              + " RTT p50 %s  p90 %s  p99 %s  min %s  mean %s  max %s%n",
          link, r.transmitted(), r.received(), r.lossPercent(), interval.toMillis(),
          us(rtt.p50Nanos()), us(rtt.p90Nanos()), us(rtt.p99Nanos()), us(rtt.minNanos()),
          us(rtt.meanNanos()), us(rtt.maxNanos()));
    }
  }

  private static PingResult ping(String link, long count, Duration interval, boolean verbose)
      throws Exception {
    try (BenchVms bench = new BenchVms("vmping")) {
      Consumer<String> consoleA = verbose ? line -> System.out.println("a| " + line) : line -> {};
      Consumer<String> consoleB = verbose ? line -> System.out.println("b| " + line) : line -> {};
      BenchVms.Wiring wiring = bench.wire(link);
      NicSpec.Attachment atA = wiring.a();
      NicSpec.Attachment atB = wiring.b();
      ActorRef<Vm.Command> b = bench.start("b", BenchVms.mac(2), atB, bench.guest("10.0.0.2/24"),
          consoleB);
      bench.awaitReady("b"); // a listening netdev first: connect= fails when refused
      String ping = "ping 10.0.0.2 count=" + count + " interval=" + interval.toMillis() + "ms";
      ActorRef<Vm.Command> a = bench.start("a", BenchVms.mac(1), atA,
          bench.guest("10.0.0.1/24", ping), consoleA);
      bench.awaitReady("a");
      Duration limit = interval.multipliedBy(count).multipliedBy(3).plusSeconds(60);
      bench.await(e -> e instanceof VmEvent.Finished && e.vm().equals("a"), limit,
          "'" + ping + "' to finish");
      WorkloadResult result = BenchVms.workloadResult(bench.report(a), 0);
      if (!(result instanceof PingResult r)) {
        throw new BenchVms.BenchFailure(link + ": ping finished without a result");
      }
      bench.report(b); // b is still answering: its report proves it was alive to the end
      return r;
    }
  }

  private static String us(long nanos) {
    return String.format("%.1f us", nanos / 1e3);
  }
}
