package io.fleetsim.bench;

import com.typesafe.config.Config;
import io.fleetsim.cli.Settings;
import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.guest.os.GuestSystem;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.guest.workload.Workloads;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import io.fleetsim.vm.NicSpec;
import io.fleetsim.vm.Vm;
import io.fleetsim.vm.VmReport;
import io.fleetsim.vm.VmEvent;
import io.fleetsim.vm.VmSpec;
import io.fleetsim.vm.hw.CostTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Not a test: what the VM benchmarks share. One actor system with simulated VMs built from
 * {@code reference.conf} (overridable with -Dfleetsim.vm...=), the VMs' events in one queue, and
 * helpers to ask VMs for their reports. Close it to terminate the actor system.
 */
final class BenchVms implements AutoCloseable {
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  final ActorSystem<Void> system;
  final long memoryBytes;
  final double cpuMhz;
  final Duration burst;
  final CostTable costs;
  final E1000Driver.Config driver;
  final E1000Nic.Settings nic;
  final NetdevSettings netdev;
  final FabricSettings fabric;
  private final LinkedBlockingQueue<VmEvent> events = new LinkedBlockingQueue<>();
  private final List<VmEvent> stashed = new ArrayList<>();
  private final ActorRef<VmEvent> eventSink;

  BenchVms(String name) {
    Settings settings = Settings.load(Optional.empty()); // the CLI's reading of reference.conf
    io.fleetsim.vm.VmDefaults vm = settings.vm();
    memoryBytes = vm.memoryBytes();
    cpuMhz = vm.cpuMhz();
    burst = vm.burst();
    costs = vm.costs();
    driver = vm.driver();
    nic = vm.nic();
    netdev = settings.netdev();
    fabric = settings.fabric();
    Config config = settings.config();
    system = ActorSystem.create(Behaviors.<Void>empty(), name, config);
    eventSink = system.systemActorOf(Behaviors.<VmEvent>receiveMessage(e -> {
      events.add(e);
      return Behaviors.same();
    }), "bench-events", Props.empty());
  }

  /** Two VMs' attachments: {@code a} and {@code b} on one in-JVM hub, or a TCP link (b listens). */
  record Wiring(NicSpec.Attachment a, NicSpec.Attachment b) {}

  Wiring wire(String link) throws Exception {
    if (link.equals("hub")) {
      ActorRef<Fabric.Command> hub = fabric("hub", false);
      return new Wiring(new NicSpec.FabricPort(port(hub, "a")),
          new NicSpec.FabricPort(port(hub, "b")));
    }
    int port = freePort();
    return new Wiring(netdev("socket,id=n0,connect=127.0.0.1:" + port),
        netdev("socket,id=n0,listen=127.0.0.1:" + port));
  }

  /** A hub (or learning switch) actor of this system. */
  ActorRef<Fabric.Command> fabric(String name, boolean learningSwitch) {
    Clock clock = RealClock.system();
    return system.systemActorOf(learningSwitch ? Fabric.learningSwitch(fabric, clock)
        : Fabric.hub(fabric, clock), name, Props.empty());
  }

  /** A port of {@code fabric}, waited for. */
  FabricPort port(ActorRef<Fabric.Command> fabricRef, String name) throws Exception {
    return FabricPort.attach(fabricRef, fabric, name).toCompletableFuture()
        .get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  static NicSpec.Attachment netdev(String spec) {
    return new NicSpec.Netdev(QemuCommandLine.parseNetdev(spec));
  }

  static MacAddress mac(int index) {
    return new MacAddress(0x5254_0000_0000L + index + 1);
  }

  /** A guest with one statically addressed NIC ({@code 10.0.0.2/24}) and these workloads. */
  GuestSystem guest(String cidr, String... workloads) {
    String[] parts = cidr.split("/");
    Ipv4Config ip = new Ipv4Config(Ipv4Address.parse(parts[0]), Integer.parseInt(parts[1]),
        Optional.empty());
    List<Workload> list = new ArrayList<>();
    for (String w : workloads) {
      list.add(Workloads.parse(w));
    }
    return new GuestSystem(List.of(new GuestSystem.InterfaceSetup(Optional.of(ip), false)), list);
  }

  /** Spawns a one-NIC VM; its events arrive in this object's queue. */
  ActorRef<Vm.Command> start(String name, MacAddress mac, NicSpec.Attachment attachment,
      GuestSystem guest, Consumer<String> console) {
    VmSpec spec = new VmSpec(name, memoryBytes, cpuMhz, costs, burst.toNanos(), driver,
        List.of(new NicSpec("n0", mac, attachment, List.of())), VmSpec.seed(1, name));
    return system.systemActorOf(Vm.create(spec, guest, RealClock.system(), netdev, nic, console,
        eventSink),
        "vm-" + name, Props.empty());
  }

  /** The next event matching {@code which}; others stay queued for later calls. */
  VmEvent await(Predicate<VmEvent> which, Duration timeout, String what) throws InterruptedException {
    for (Iterator<VmEvent> it = stashed.iterator(); it.hasNext(); ) {
      VmEvent e = it.next();
      if (which.test(e)) {
        it.remove();
        return e;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      VmEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new BenchFailure("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      if (e instanceof VmEvent.StartFailed failed) {
        throw new BenchFailure("VM " + failed.vm() + " failed to start: " + failed.reason());
      }
      if (which.test(e)) {
        return e;
      }
      stashed.add(e);
    }
  }

  /** Waits for VM {@code vm} to be ready. */
  void awaitReady(String vm) throws InterruptedException {
    await(e -> e instanceof VmEvent.Ready && e.vm().equals(vm), Duration.ofSeconds(60),
        "VM " + vm + " to be ready");
  }

  /** Polls the raw event queue (for many VMs at once); StartFailed ends the benchmark. */
  VmEvent poll(long millis) throws InterruptedException {
    VmEvent e = events.poll(millis, TimeUnit.MILLISECONDS);
    if (e instanceof VmEvent.StartFailed failed) {
      throw new BenchFailure("VM " + failed.vm() + " failed to start: " + failed.reason());
    }
    return e;
  }

  VmReport report(ActorRef<Vm.Command> vm) throws Exception {
    return ask(vm, Vm.GetReport::new);
  }

  void shutdown(ActorRef<Vm.Command> vm) throws Exception {
    ask(vm, Vm.Shutdown::new);
  }

  private <T> T ask(ActorRef<Vm.Command> vm, Function<ActorRef<T>, Vm.Command> request)
      throws Exception {
    return AskPattern.ask(vm, request::apply, ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().get(ASK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
  }

  /** The result of the VM's {@code index}-th workload, from its report (null when not done). */
  static WorkloadResult workloadResult(VmReport report, int index) {
    return report.guest().orElseThrow().workloads().get(index).result().orElse(null);
  }

  /** The first NIC's driver statistics from a VM report. */
  static E1000Driver.Stats driverStats(VmReport report) {
    return report.nics().get(0).driver().orElse(null);
  }

  static long cpuCycles(VmReport report) {
    return report.cpuCycles();
  }

  /** A TCP port on 127.0.0.1 that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      System.err.println("actor system " + system.name() + " did not stop: " + e);
    }
  }

  /** A benchmark that cannot produce its figure: printed as one line, exit status 1. */
  static final class BenchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchFailure(String message) {
      super(message);
    }
  }

  /** Runs a benchmark main: failures print one line and exit 1; success exits 0. */
  static void main(String benchmark, String[] args, BenchBody body) {
    int status = 0;
    try {
      body.run(new BenchArgs(benchmark, args));
    } catch (BenchFailure | BenchArgs.BadArgument e) {
      System.err.println(benchmark + ": " + e.getMessage());
      status = 1;
    } catch (Throwable t) {
      System.err.println(benchmark + ": failed: " + t);
      t.printStackTrace();
      status = 1;
    }
    System.out.flush();
    System.exit(status); // the actor systems' threads must not keep the JVM alive
  }

  interface BenchBody {
    void run(BenchArgs args) throws Exception;
  }
}
