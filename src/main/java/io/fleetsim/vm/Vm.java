package io.fleetsim.vm;

import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.GuestOs;
import io.fleetsim.guest.Link;
import io.fleetsim.guest.driver.BumpAllocator;
import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.guest.driver.Mmio;
import io.fleetsim.link.TappedPort;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.netdev.NetdevStatus;
import io.fleetsim.netdev.Netdevs;
import io.fleetsim.nic.e1000.E1000;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.vm.hw.GuestMemory;
import io.fleetsim.vm.hw.Vcpu;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.Materializer;

/**
 * A simulated VM: guest memory, a vCPU, e1000 NIC actors, and the guest OS running on the vCPU.
 *
 * <p>States: {@code starting} (NICs being attached to their netdevs) and {@code running}. Every
 * piece of guest work (an interrupt, a timer) goes through one run queue that the vCPU drains
 * only while it has cycles; a busy vCPU leaves the rest for later, so its RX rings fill and its
 * NICs stop taking frames from the wire.
 */
public final class Vm {

  public sealed interface Command {}

  /** Counters of the hardware and the guest, for --stats and reports. */
  public record GetReport(ActorRef<Map<String, Object>> replyTo) implements Command {}

  /** Carrier of NIC {@code nic} on or off (a link-flap fault); the guest sees LSC. */
  public record SetCarrier(int nic, boolean up) implements Command {}

  /**
   * Freezes the vCPU (a paused QEMU): guest work queues up, the NICs fill their rings and then
   * stop taking frames, so the wire backs up instead of frames vanishing.
   */
  public enum Pause implements Command { INSTANCE }

  /** Lets a paused vCPU run again; what queued meanwhile runs first. */
  public enum Resume implements Command { INSTANCE }

  /** Pulls the plug: the VM stops at once, its NICs' links go down, the guest says nothing. */
  public enum Crash implements Command { INSTANCE }

  /** The experiment has started: the guest's held workloads may begin ({@link GuestOs#release()}). */
  public enum StartWorkloads implements Command { INSTANCE }

  /** Stops the guest's workloads (ping prints its statistics), then replies. */
  public record Shutdown(ActorRef<Boolean> replyTo) implements Command {}

  private record Interrupt(int nic) implements Command {}

  private record NetdevStarted(int nic, NetdevStatus status) implements Command {}

  private record RunTimer(TimerKey key, Runnable task) implements Command {}

  /** Identifies one guest timer; {@code cancelled} stops one that was posted without a delay. */
  private static final class TimerKey {
    boolean cancelled;
  }

  private enum Wake implements Command { INSTANCE }

  /** Where guest memory for the drivers' rings and buffers begins (the first MiB is the "OS"). */
  private static final long DRIVER_MEMORY_BASE = 1L << 20;

  public static Behavior<Command> create(VmSpec spec, GuestOs os, NetdevSettings netdevSettings,
      E1000Nic.Settings nicSettings, Consumer<String> console, ActorRef<VmEvent> events) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Vm(ctx, timers, spec, os, nicSettings, console, events).starting(netdevSettings)));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final VmSpec spec;
  private final GuestOs os;
  private final Consumer<String> console;
  private final ActorRef<VmEvent> events;
  private final GuestMemory memory;
  private final Vcpu vcpu;
  private final List<E1000Nic.Handle> nics = new ArrayList<>();
  private final List<E1000Driver> drivers = new ArrayList<>();
  private final boolean[] interruptQueued;
  private final ArrayDeque<Runnable> runQueue = new ArrayDeque<>();
  private boolean wakeScheduled;
  private boolean paused;
  private long guestFaults;

  private Vm(ActorContext<Command> context, TimerScheduler<Command> timers, VmSpec spec,
      GuestOs os, E1000Nic.Settings nicSettings, Consumer<String> console,
      ActorRef<VmEvent> events) {
    this.context = context;
    this.timers = timers;
    this.spec = spec;
    this.os = os;
    this.console = console;
    this.events = events;
    this.memory = new GuestMemory(spec.memoryBytes());
    this.vcpu = new Vcpu(spec.cpuMhz(), spec.costs(), spec.burstNanos(), System.nanoTime());
    this.interruptQueued = new boolean[spec.nics().size()];
    for (int i = 0; i < spec.nics().size(); i++) {
      NicSpec nic = spec.nics().get(i);
      int index = i;
      ActorRef<Command> self = context.getSelf();
      nics.add(E1000Nic.spawn(context, "nic-" + nic.id(), nic.mac(), memory, nicSettings,
          wireOf(nic), io.fleetsim.time.RealClock.system(), () -> self.tell(new Interrupt(index))));
    }
  }

  /** Datagram netdevs cannot pause their senders: a full NIC misses frames instead. */
  private static E1000Nic.Wire wireOf(NicSpec nic) {
    if (nic.attachment() instanceof NicSpec.Netdev netdev
        && (netdev.spec() instanceof NetdevSpec.Multicast || netdev.spec() instanceof NetdevSpec.Udp)) {
      return E1000Nic.Wire.UNPAUSABLE;
    }
    return E1000Nic.Wire.PAUSABLE;
  }

  // --- starting: attach every NIC, then boot the guest ---

  private Behavior<Command> starting(NetdevSettings netdevSettings) {
    String[] lines = new String[nics.size()];
    int[] pending = {0};
    for (int i = 0; i < nics.size(); i++) {
      NicSpec nic = spec.nics().get(i);
      if (nic.attachment() instanceof NicSpec.Netdev netdev) {
        int index = i;
        ActorRef<NetdevStatus> replyTo = context.messageAdapter(NetdevStatus.class,
            s -> new NetdevStarted(index, s));
        spawn(Netdevs.behavior(netdev.spec(), TappedPort.of(nics.get(i).port(), nic.taps()),
                netdevSettings, replyTo),
            "netdev-" + netdev.spec().id());
        pending[0]++;
      } else {
        NicSpec.FabricPort fabric = (NicSpec.FabricPort) nic.attachment();
        TappedPort.of(nics.get(i).port(), nic.taps()).link().join(fabric.port().link())
            .run(Materializer.matFromSystem(context.getSystem()));
        lines[i] = nic.id() + ": on " + fabric.port().name();
      }
    }
    if (pending[0] == 0) {
      return boot(lines);
    }
    return Behaviors.receive(Command.class)
        .onMessage(NetdevStarted.class, started -> {
          if (started.status() instanceof NetdevStatus.Failed failed) {
            events.tell(new VmEvent.StartFailed(spec.name(), "-netdev "
                + ((NicSpec.Netdev) spec.nics().get(started.nic()).attachment()).spec().source()
                + ": " + failed.reason()));
            return Behaviors.stopped();
          }
          lines[started.nic()] = "netdev " + started.status().netdevId() + ": "
              + ((NetdevStatus.Ready) started.status()).description();
          return --pending[0] == 0 ? boot(lines) : Behaviors.same();
        })
        .onMessage(GetReport.class, this::onGetReport)
        .onMessage(Shutdown.class, s -> {
          s.replyTo().tell(true);
          return Behaviors.same();
        })
        .onMessageEquals(Crash.INSTANCE, Behaviors::stopped)
        .onAnyMessage(early -> Behaviors.same()) // interrupts before the driver exists: none unmasked
        .build();
  }

  private <T> void spawn(Behavior<T> behavior, String name) {
    context.spawn(behavior, name);
  }

  private Behavior<Command> boot(String[] netdevLines) {
    for (String line : netdevLines) {
      console.accept(line); // the netdev lines first, then whatever the guest prints
    }
    GuestEnv env = new Env();
    List<Link> links = new ArrayList<>();
    long base = DRIVER_MEMORY_BASE;
    try {
      for (E1000Nic.Handle nic : nics) {
        long size = spec.driver().guestMemoryBytes() + 4096;
        BumpAllocator allocator = new BumpAllocator(memory, base, base + size);
        base += size;
        E1000Driver driver = new E1000Driver(mmio(nic.device()), allocator, env, spec.driver());
        driver.start();
        drivers.add(driver);
        links.add(driver);
      }
    } catch (RuntimeException e) {
      events.tell(new VmEvent.StartFailed(spec.name(), "guest did not boot: " + e.getMessage()));
      return Behaviors.stopped();
    }
    events.tell(new VmEvent.Ready(spec.name(), List.of(netdevLines)));
    runGuest(() -> os.boot(env, links,
        success -> events.tell(new VmEvent.Finished(spec.name(), success))));
    return running();
  }

  private static Mmio mmio(E1000 device) {
    return new Mmio() {
      @Override
      public int read(int offset) {
        return device.mmioRead(offset);
      }

      @Override
      public void write(int offset, int value) {
        device.mmioWrite(offset, value);
      }

      @Override
      public int configRead(int offset) {
        return device.pciConfigRead(offset);
      }

      @Override
      public void configWrite(int offset, int value) {
        device.pciConfigWrite(offset, value);
      }
    };
  }

  // --- running ---

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Interrupt.class, this::onInterrupt)
        .onMessage(RunTimer.class, t -> {
          if (t.key().cancelled) {
            return Behaviors.same();
          }
          runGuest(() -> {
            vcpu.charge(vcpu.costs().timerTick());
            t.task().run();
          });
          return Behaviors.same();
        })
        .onMessageEquals(Wake.INSTANCE, () -> {
          wakeScheduled = false;
          drain();
          return Behaviors.same();
        })
        .onMessage(SetCarrier.class, c -> {
          nics.get(c.nic()).actor().tell(new E1000Nic.SetCarrier(c.up()));
          return Behaviors.same();
        })
        .onMessageEquals(Crash.INSTANCE, Behaviors::stopped)
        .onMessageEquals(Pause.INSTANCE, () -> {
          paused = true;
          return Behaviors.same();
        })
        .onMessageEquals(Resume.INSTANCE, () -> {
          paused = false;
          drain();
          return Behaviors.same();
        })
        .onMessage(GetReport.class, this::onGetReport)
        .onMessage(Shutdown.class, s -> {
          os.shutdown();
          s.replyTo().tell(true);
          return Behaviors.same();
        })
        .onMessage(NetdevStarted.class, late -> Behaviors.same())
        .onMessageEquals(StartWorkloads.INSTANCE, () -> {
          runGuest(os::release);
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onInterrupt(Interrupt irq) {
    if (!interruptQueued[irq.nic()]) {
      interruptQueued[irq.nic()] = true;
      runGuest(() -> {
        interruptQueued[irq.nic()] = false;
        drivers.get(irq.nic()).interrupt(); // charges interrupt entry itself
      });
    }
    return Behaviors.same();
  }

  private Behavior<Command> onGetReport(GetReport request) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("vm", spec.name());
    report.put("cpuCycles", vcpu.totalCycles());
    report.put("guestPagesTouched", memory.touchedPages());
    report.put("guestFaults", guestFaults);
    report.put("paused", paused);
    List<Map<String, Object>> nicReports = new ArrayList<>();
    for (int i = 0; i < nics.size(); i++) {
      Map<String, Object> nic = new LinkedHashMap<>();
      nic.put("nic", spec.nics().get(i).id());
      nic.put("mac", spec.nics().get(i).mac().toString());
      nic.put("port", nics.get(i).port().counters().snapshot(nics.get(i).port().name()));
      nic.put("e1000", nics.get(i).device().statistics());
      if (i < drivers.size()) {
        nic.put("driver", drivers.get(i).stats());
      }
      nicReports.add(nic);
    }
    report.put("nics", nicReports);
    if (!drivers.isEmpty()) {
      report.put("guest", os.report());
    }
    request.replyTo().tell(report);
    return Behaviors.same();
  }

  /** Queues guest work and runs what the vCPU can afford now. */
  private void runGuest(Runnable work) {
    runQueue.add(work);
    drain();
  }

  private void drain() {
    while (!paused && !runQueue.isEmpty()) {
      long busy = vcpu.busyFor(System.nanoTime());
      if (busy > 0) {
        if (!wakeScheduled) {
          wakeScheduled = true;
          timers.startSingleTimer(Wake.INSTANCE, Duration.ofNanos(busy));
        }
        return;
      }
      Runnable work = runQueue.poll();
      try {
        work.run();
      } catch (RuntimeException e) {
        // A fleetsim bug in guest code must not take the VM down; it is counted and logged.
        guestFaults++;
        context.getLog().error("VM {}: guest fault: {}", spec.name(), e.toString(), e);
      }
    }
  }

  /** The guest's view of its machine. */
  private final class Env implements GuestEnv {
    private final SplittableRandom random = new SplittableRandom(spec.seed());

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
      TimerKey key = new TimerKey();
      RunTimer timer = new RunTimer(key, task);
      if (delayNanos <= 0) {
        // "As soon as possible" (a re-poll, a nested interrupt, loopback): Pekko's scheduler would
        // make it the next tick, a millisecond away; a message to ourselves comes after what is
        // already queued, like a softirq.
        context.getSelf().tell(timer);
      } else {
        timers.startSingleTimer(key, timer, Duration.ofNanos(delayNanos));
      }
      return () -> {
        key.cancelled = true;
        timers.cancel(key);
      };
    }

    @Override
    public io.fleetsim.vm.hw.Cpu cpu() {
      return vcpu;
    }

    @Override
    public SplittableRandom random() {
      return random;
    }

    @Override
    public void print(String line) {
      console.accept(line);
    }
  }
}
