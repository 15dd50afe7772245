package io.fleetsim.bench;

import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.link.PortStats;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.vm.NicSpec;
import io.fleetsim.vm.NicReport;
import io.fleetsim.vm.Vm;
import io.fleetsim.vm.VmReport;
import io.fleetsim.vm.VmEvent;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.management.ObjectName;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Not a test: host memory per idle simulated VM. Starts {@code --vms} VMs (default 10,000), each
 * with one e1000 on a port of an in-JVM hub ({@code --hub-size} ports per hub, default 100; or
 * learning switches with {@code --switch}), a static address in 10.0.0.0/8 and no workload.
 * Waits until every VM is ready (driver up, rings allocated, address configured) and the hubs
 * have gone quiet (each guest announces its address once with a gratuitous ARP, which a hub
 * floods to every other port), then compares the heap after full GCs with the heap before the
 * VMs existed. {@code --histogram N} also prints the N biggest classes of the live heap.
 */
public final class VmMemoryBenchmark {
  private VmMemoryBenchmark() {}

  public static void main(String[] args) {
    BenchVms.main("VmMemoryBenchmark", args, VmMemoryBenchmark::run);
  }

  private static void run(BenchArgs args) throws Exception {
    int vms = (int) args.number("vms", 10_000, 1);
    int hubSize = (int) args.number("hub-size", 100, 1);
    boolean learningSwitch = args.flag("switch");
    int histogram = (int) args.number("histogram", 0, 0);
    args.done();
    if (vms >= (1 << 24) - 2) {
      throw new BenchArgs.BadArgument("--vms must be below 16777214 (addresses in 10.0.0.0/8)");
    }
    Consumer<String> quiet = line -> {};

    try (BenchVms bench = new BenchVms("vmmem")) {
      int hubCount = (vms + hubSize - 1) / hubSize;
      List<ActorRef<Fabric.Command>> hubs = new ArrayList<>();
      for (int h = 0; h < hubCount; h++) {
        hubs.add(bench.fabric("hub-" + h, learningSwitch));
      }
      Thread.sleep(300);
      Heap before = Heap.measure();

      long t0 = System.nanoTime();
      List<CompletableFuture<FabricPort>> pending = new ArrayList<>();
      for (int i = 0; i < vms; i++) {
        pending.add(FabricPort.attach(hubs.get(i / hubSize), bench.fabric, "p" + i)
            .toCompletableFuture());
      }
      List<FabricPort> ports = new ArrayList<>();
      for (CompletableFuture<FabricPort> p : pending) {
        ports.add(p.get(60, TimeUnit.SECONDS));
      }
      long tPorts = System.nanoTime();

      List<ActorRef<Vm.Command>> refs = new ArrayList<>();
      for (int i = 0; i < vms; i++) {
        Ipv4Address ip = new Ipv4Address(0x0A00_0000 + i + 1);
        refs.add(bench.start("v" + i, BenchVms.mac(i), new NicSpec.FabricPort(ports.get(i)),
            bench.guest(ip + "/8"), quiet));
      }
      long tSpawned = System.nanoTime();
      int ready = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (ready < vms) {
        VmEvent e = bench.poll(1000);
        if (e instanceof VmEvent.Ready) {
          ready++;
        }
        if (System.nanoTime() > deadline) {
          throw new BenchVms.BenchFailure("only " + ready + " of " + vms + " VMs ready after 10 min");
        }
      }
      long tReady = System.nanoTime();
      long[] traffic = settleFabrics(ports);
      // The hubs are quiet once they have handed every frame out; the NICs and guests may still
      // be working through theirs, so wait until the guests' own counters stop moving too.
      Guests guests = Guests.of(bench, refs);
      long settleDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      for (int stable = 0; stable < 2; ) {
        Thread.sleep(500);
        Guests next = Guests.of(bench, refs);
        stable = next.rxFrames == guests.rxFrames && next.nicFramesIn == guests.nicFramesIn
            ? stable + 1 : 0;
        guests = next;
        if (System.nanoTime() > settleDeadline) {
          throw new BenchVms.BenchFailure("the guests were still receiving after 10 min");
        }
      }
      long tSettled = System.nanoTime();

      Heap after = Heap.measure();
      double perVm = (after.heapUsed - before.heapUsed) / (double) vms;
      double rssPerVm = (after.rssKiB - before.rssKiB) * 1024.0 / vms;

      String fabric = (learningSwitch ? "learning switch" : "hub")
          + (hubCount == 1 ? "" : learningSwitch ? "es" : "s");
      System.out.printf("vms                 %d, one e1000 each, on %d %s of %d ports%n", vms,
          hubCount, fabric, hubSize);
      System.out.printf("guest memory        %d MiB each (sparse), vCPU %.0f MHz, rings rx %d / tx %d%n",
          bench.memoryBytes >> 20, bench.cpuMhz, bench.driver.rxDescriptors(),
          bench.driver.txDescriptors());
      System.out.printf("start-up            %.2f s to all ready (ports %.2f s, spawn %.2f s, boot %.2f s)%n",
          secs(tReady - t0), secs(tPorts - t0), secs(tSpawned - tPorts), secs(tReady - tSpawned));
      System.out.printf("                    %.1f VMs/s; quiet %.2f s after the last was ready%n",
          vms / secs(tReady - t0), secs(tSettled - tReady));
      System.out.printf("start-up traffic    %d frames into hubs, %d out, %d dropped (no-peer: port not"
          + " yet linked); NICs took in %d, guests received %d%s%n", traffic[0], traffic[1],
          traffic[2], guests.nicFramesIn, guests.rxFrames,
          guests.missed > 0 ? ", e1000 missed " + guests.missed : "");
      System.out.printf("heap before         %.1f MiB (after full GC)%n", mib(before.heapUsed));
      System.out.printf("heap after          %.1f MiB (after full GC)%n", mib(after.heapUsed));
      System.out.printf("heap per idle VM    %.1f KiB  (target: at most 200 KiB)%n", perVm / 1024);
      System.out.printf("RSS per idle VM     %.1f KiB  (process RSS %.0f -> %.0f MiB; includes heap"
          + " growth, not a GC'd figure)%n", rssPerVm / 1024, before.rssKiB / 1024.0,
          after.rssKiB / 1024.0);
      System.out.printf("guest pages touched %.1f per VM (min %d, max %d) = %.1f KiB of page arrays%n",
          guests.pagesSum / (double) vms, guests.pagesMin, guests.pagesMax,
          guests.pagesSum * 4.0 / vms);
      System.out.printf("threads             %d before, %d after%n", before.threads, after.threads);
      if (histogram > 0) {
        printHistogram(histogram);
      }
    }
  }

  /**
   * Waits until the fabrics' counters stop moving (the gratuitous ARPs have been flooded).
   * Returns frames in, out and dropped over every port.
   */
  private static long[] settleFabrics(List<FabricPort> ports) throws InterruptedException {
    long[] last = null;
    int stable = 0;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (stable < 3) {
      Thread.sleep(300);
      long[] now = new long[3];
      for (FabricPort p : ports) {
        PortStats s = p.counters().snapshot(p.name());
        now[0] += s.framesIn();
        now[1] += s.framesOut();
        { long d = s.dropped();
          now[2] += d;
        }
      }
      stable = last != null && java.util.Arrays.equals(now, last) ? stable + 1 : 0;
      last = now;
      if (System.nanoTime() > deadline) {
        throw new BenchVms.BenchFailure("the hubs were still forwarding after 10 min");
      }
    }
    return last;
  }

  /** Sums over every VM's own report. */
  private record Guests(long rxFrames, long nicFramesIn, long missed, long pagesSum, long pagesMin,
      long pagesMax) {
    static Guests of(BenchVms bench, List<ActorRef<Vm.Command>> vms) throws Exception {
      List<CompletableFuture<VmReport>> asks = new ArrayList<>();
      for (ActorRef<Vm.Command> vm : vms) {
        asks.add(AskPattern.ask(vm, Vm.GetReport::new, BenchVms.ASK_TIMEOUT,
            bench.system.scheduler()).toCompletableFuture());
      }
      long rx = 0;
      long in = 0;
      long missed = 0;
      long sum = 0;
      long min = Long.MAX_VALUE;
      long max = 0;
      for (CompletableFuture<VmReport> f : asks) {
        VmReport r = f.get(60, TimeUnit.SECONDS);
        long pages = r.guestPagesTouched();
        sum += pages;
        min = Math.min(min, pages);
        max = Math.max(max, pages);
        rx += BenchVms.driverStats(r).rxFrames();
        NicReport nic = r.nics().get(0);
        in += nic.port().framesIn();
        missed += nic.e1000().get("MPC");
      }
      return new Guests(rx, in, missed, sum, min, max);
    }
  }

  private static void printHistogram(int lines) throws Exception {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {null}, new String[] {String[].class.getName()});
    String[] rows = text.split("\n");
    System.out.println("live heap by class (top " + lines + "):");
    for (int i = 0; i < Math.min(rows.length, lines + 2); i++) {
      System.out.println("  " + rows[i]);
    }
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  /** Heap used after full GCs, the process's RSS and thread count. */
  private record Heap(long heapUsed, long rssKiB, int threads) {
    static Heap measure() throws Exception {
      long used = Long.MAX_VALUE;
      for (int i = 0; i < 4; i++) {
        System.gc();
        Thread.sleep(150);
        used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
      return new Heap(used, currentRssKiB(), ManagementFactory.getThreadMXBean().getThreadCount());
    }

    private static long currentRssKiB() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return 0;
    }
  }
}
