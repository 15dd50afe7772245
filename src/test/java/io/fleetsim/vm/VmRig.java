package io.fleetsim.vm;

import io.fleetsim.guest.os.GuestSystem;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.guest.os.WorkloadReport;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.guest.workload.Workloads;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.time.RealClock;
import io.fleetsim.vm.hw.CostTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** In-JVM simulated VMs for tests: one NIC on a QEMU-style netdev, a static address, workloads. */
final class VmRig implements AutoCloseable {
  static final Duration START = Duration.ofSeconds(30);
  static final Duration ASK = Duration.ofSeconds(10);

  private final ActorTestKit kit = ActorTestKit.create();

  /** A started VM: its actor, its events and what its guest printed. */
  record Running(String name, ActorRef<Vm.Command> ref, TestProbe<VmEvent> events,
      List<String> console) {}

  /**
   * Starts a VM and waits for {@link VmEvent.Ready}.
   *
   * @param netdev a QEMU -netdev value, e.g. {@code socket,id=n0,listen=127.0.0.1:5555}
   * @param ip {@code ADDR/PREFIX}
   */
  Running start(String name, double cpuMhz, String netdev, MacAddress mac, String ip,
      String... workloads) {
    String[] cidr = ip.split("/");
    Ipv4Config config = new Ipv4Config(Ipv4Address.parse(cidr[0]), Integer.parseInt(cidr[1]),
        Optional.empty());
    List<Workload> runs = new ArrayList<>();
    for (String w : workloads) {
      runs.add(Workloads.parse(w));
    }
    GuestSystem guest = new GuestSystem(
        List.of(new GuestSystem.InterfaceSetup(Optional.of(config), false)), runs);
    VmSpec spec = oneNic(name, cpuMhz, mac,
        new NicSpec.Netdev(QemuCommandLine.parseNetdev(netdev)));
    TestProbe<VmEvent> events = kit.createTestProbe();
    List<String> console = Collections.synchronizedList(new ArrayList<>());
    ActorRef<Vm.Command> ref = kit.spawn(Vm.create(spec, guest, RealClock.system(),
        NetdevSettings.defaults(), E1000Nic.Settings.defaults(), console::add, events.getRef()), name);
    VmEvent first = events.expectMessageClass(VmEvent.class, START);
    if (!(first instanceof VmEvent.Ready)) {
      throw new AssertionError(name + " did not start: " + first);
    }
    return new Running(name, ref, events, console);
  }

  /**
   * A VM of 16 MiB with one e1000 {@code n0} at {@code mac} on {@code attachment}; default costs,
   * 2 ms vCPU burst, default driver, seed 1.
   */
  static VmSpec oneNic(String name, double cpuMhz, MacAddress mac, NicSpec.Attachment attachment) {
    return new VmSpec(name, 16L << 20, cpuMhz, CostTable.defaults(), 2_000_000L,
        E1000Driver.Config.defaults(), List.of(new NicSpec("n0", mac, attachment, List.of())), 1);
  }

  VmReport report(Running vm) throws Exception {
    return AskPattern.<Vm.Command, VmReport>ask(vm.ref(), Vm.GetReport::new, ASK,
        kit.scheduler()).toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
  }

  /** Stops the VM's workloads (servers report their results), then returns its report. */
  VmReport shutdown(Running vm) throws Exception {
    AskPattern.<Vm.Command, Boolean>ask(vm.ref(), Vm.Shutdown::new, ASK, kit.scheduler())
        .toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
    return report(vm);
  }

  /** Polls the VM's report until {@code done} holds; fails with the last report after {@code timeout}. */
  VmReport awaitReport(Running vm, Predicate<VmReport> done, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      VmReport report = report(vm);
      if (done.test(report)) {
        return report;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(vm.name() + ": condition not reached; last report: " + report);
      }
      Thread.sleep(50);
    }
  }

  // --- report navigation ---

  static NicReport nic(VmReport report) {
    return report.nics().get(0);
  }

  static Map<String, Long> e1000(VmReport report) {
    return nic(report).e1000();
  }

  static E1000Driver.Stats driver(VmReport report) {
    return nic(report).driver().orElseThrow();
  }

  static Map<String, Long> guestCounters(VmReport report) {
    return report.guest().orElseThrow().interfaces().get(0).counters();
  }

  /** The result of workload {@code index}, if it has ended. */
  static <T extends WorkloadResult> Optional<T> result(VmReport report, int index,
      Class<T> type) {
    List<WorkloadReport> workloads = report.guest().orElseThrow().workloads();
    if (workloads.size() <= index) {
      return Optional.empty();
    }
    return workloads.get(index).result().map(type::cast);
  }

  ActorTestKit kit() {
    return kit;
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
