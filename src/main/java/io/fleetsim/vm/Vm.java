package io.fleetsim.vm;

import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.Link;
import io.fleetsim.guest.driver.BumpAllocator;
import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.guest.driver.Mmio;
import io.fleetsim.guest.os.GuestOs;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.link.TappedPort;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.netdev.NetdevStatus;
import io.fleetsim.netdev.Netdevs;
import io.fleetsim.nic.e1000.E1000;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.time.Clock;
import io.fleetsim.vm.hw.GuestMemory;
import io.fleetsim.vm.hw.Vcpu;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.stream.Materializer;

/**
 * A simulated VM: guest memory, a vCPU, e1000 NIC actors, and the guest OS running on the vCPU.
 *
 * <p>States: {@code starting} (NICs being attached to their netdevs) and {@code running}. What
 * arrives while it starts (a carrier change, a pause, the experiment's start) is stashed and
 * replayed, in order, once it runs. Every piece of guest work (an interrupt, a timer) goes
 * through one run queue that the vCPU drains only while it has cycles; a busy vCPU leaves the rest
 * for later, so its RX rings fill and its NICs stop taking frames from the wire. Time (the
 * vCPU's budget, guest timers) comes from the clock the VM is given.
 */
public final class Vm {

  public sealed interface Command {}

  /** Counters of the hardware and the guest, for --stats and reports. */
  public record GetReport(ActorRef<VmReport> replyTo) implements Command {}

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

  /**
   * Identifies one guest timer; {@code cancelled} stops one whose message is already posted (a
   * zero delay, or a clock timer that fired just before the cancel).
   */
  private static final class TimerKey {
    boolean cancelled;
    Clock.Timer timer; // null for a zero delay
  }

  private enum Wake implements Command { INSTANCE }

  /** Where guest memory for the drivers' rings and buffers begins (the first MiB is the "OS"). */
  private static final long DRIVER_MEMORY_BASE = 1L << 20;

  /**
   * Messages a starting VM keeps for later. Few come in that time (the runner's carrier, pause
   * and start messages); the bound only stops a runaway sender from growing the heap.
   */
  private static final int STASH_CAPACITY = 1024;

  public static Behavior<Command> create(VmSpec spec, GuestOs os, Clock clock,
      NetdevSettings netdevSettings, E1000Nic.Settings nicSettings, Consumer<String> console,
      ActorRef<VmEvent> events) {
    return Behaviors.setup(ctx -> Behaviors.withStash(STASH_CAPACITY, stash ->
        new Vm(ctx, stash, clock, spec, os, nicSettings, console, events)
            .starting(netdevSettings)));
  }

  private final ActorContext<Command> context;
  private final StashBuffer<Command> stash;
  private final Clock clock;
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
  // guest timers still due, cancelled when the VM stops (a clock timer outlives its actor)
  private final Set<TimerKey> guestTimers = new LinkedHashSet<>();
  private Clock.Timer wake; // null while no wake-up is due
  private boolean paused;
  private long guestFaults;
  // while starting: the netdev lines in NIC order, and how many netdevs are still to report
  private String[] netdevLines;
  private int netdevsPending;

  private Vm(ActorContext<Command> context, StashBuffer<Command> stash, Clock clock, VmSpec spec,
      GuestOs os, E1000Nic.Settings nicSettings, Consumer<String> console,
      ActorRef<VmEvent> events) {
    this.context = context;
    this.stash = stash;
    this.clock = clock;
    this.spec = spec;
    this.os = os;
    this.console = console;
    this.events = events;
    this.memory = new GuestMemory(spec.memoryBytes());
    this.vcpu = new Vcpu(spec.cpuMhz(), spec.costs(), spec.burstNanos(), clock.nanos());
    this.interruptQueued = new boolean[spec.nics().size()];
    for (int i = 0; i < spec.nics().size(); i++) {
      NicSpec nic = spec.nics().get(i);
      int index = i;
      ActorRef<Command> self = context.getSelf();
      nics.add(E1000Nic.spawn(context, "nic-" + nic.id(), nic.mac(), memory, nicSettings,
          wireOf(nic), clock, () -> self.tell(new Interrupt(index))));
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
    netdevLines = new String[nics.size()];
    for (int i = 0; i < nics.size(); i++) {
      NicSpec nic = spec.nics().get(i);
      if (nic.attachment() instanceof NicSpec.Netdev netdev) {
        int index = i;
        ActorRef<NetdevStatus> replyTo = context.messageAdapter(NetdevStatus.class,
            s -> new NetdevStarted(index, s));
        spawn(Netdevs.behavior(netdev.spec(), TappedPort.of(nics.get(i).port(), nic.taps()),
                netdevSettings, clock, replyTo),
            "netdev-" + netdev.spec().id());
        netdevsPending++;
      } else {
        NicSpec.FabricPort fabric = (NicSpec.FabricPort) nic.attachment();
        TappedPort.of(nics.get(i).port(), nic.taps()).link().join(fabric.port().link())
            .run(Materializer.matFromSystem(context.getSystem()));
        netdevLines[i] = nic.id() + ": on " + fabric.port().name();
      }
    }
    if (netdevsPending == 0) {
      return boot();
    }
    return Behaviors.receive(Command.class)
        .onMessage(NetdevStarted.class, this::onNetdevStarted)
        .onMessage(GetReport.class, this::onGetReport)
        .onMessage(Shutdown.class, this::onShutdownWhileStarting)
        .onMessageEquals(Crash.INSTANCE, this::onCrash)
        .onAnyMessage(this::onEarly)
        .build();
  }

  private <T> void spawn(Behavior<T> behavior, String name) {
    context.spawn(behavior, name);
  }

  private Behavior<Command> onNetdevStarted(NetdevStarted started) {
    if (started.status() instanceof NetdevStatus.Failed failed) {
      events.tell(new VmEvent.StartFailed(spec.name(), "-netdev "
          + ((NicSpec.Netdev) spec.nics().get(started.nic()).attachment()).spec().source()
          + ": " + failed.reason()));
      return Behaviors.stopped();
    }
    netdevLines[started.nic()] = "netdev " + started.status().netdevId() + ": "
        + ((NetdevStatus.Ready) started.status()).description();
    return --netdevsPending == 0 ? boot() : Behaviors.same();
  }

  /** No guest to stop yet: the answer is only that the VM took the request. */
  private Behavior<Command> onShutdownWhileStarting(Shutdown request) {
    request.replyTo().tell(true);
    return Behaviors.same();
  }

  /** Kept for the running VM, in order: a carrier change, a pause, the experiment's start. */
  private Behavior<Command> onEarly(Command early) {
    stash.stash(early);
    return Behaviors.same();
  }

  private Behavior<Command> boot() {
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
    // The guest's boot is first in the run queue; what came while starting is replayed after it
    // (a pause stashed then keeps even the boot from running until a resume).
    runQueue.add(() -> os.boot(env, links,
        success -> events.tell(new VmEvent.Finished(spec.name(), success))));
    Behavior<Command> running = stash.unstashAll(running());
    drain();
    return running;
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
        .onMessage(RunTimer.class, this::onRunTimer)
        .onMessageEquals(Wake.INSTANCE, this::onWake)
        .onMessage(SetCarrier.class, this::onSetCarrier)
        .onMessageEquals(Crash.INSTANCE, this::onCrash)
        .onMessageEquals(Pause.INSTANCE, this::onPause)
        .onMessageEquals(Resume.INSTANCE, this::onResume)
        .onMessage(GetReport.class, this::onGetReport)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessage(NetdevStarted.class, this::onLateNetdevStarted)
        .onMessageEquals(StartWorkloads.INSTANCE, this::onStartWorkloads)
        .onSignal(PostStop.class, this::onPostStop)
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

  private Behavior<Command> onRunTimer(RunTimer t) {
    guestTimers.remove(t.key());
    if (t.key().cancelled) {
      return Behaviors.same();
    }
    runGuest(() -> {
      vcpu.charge(vcpu.costs().timerTick());
      t.task().run();
    });
    return Behaviors.same();
  }

  private Behavior<Command> onWake() {
    wake = null;
    drain();
    return Behaviors.same();
  }

  private Behavior<Command> onSetCarrier(SetCarrier c) {
    nics.get(c.nic()).actor().tell(new E1000Nic.SetCarrier(c.up()));
    return Behaviors.same();
  }

  private Behavior<Command> onCrash() {
    return Behaviors.stopped();
  }

  private Behavior<Command> onPause() {
    paused = true;
    return Behaviors.same();
  }

  private Behavior<Command> onResume() {
    paused = false;
    drain();
    return Behaviors.same();
  }

  private Behavior<Command> onShutdown(Shutdown s) {
    os.shutdown();
    s.replyTo().tell(true);
    return Behaviors.same();
  }

  /** Every netdev reported before the VM ran; a second status changes nothing. */
  private Behavior<Command> onLateNetdevStarted(NetdevStarted late) {
    return Behaviors.same();
  }

  private Behavior<Command> onStartWorkloads() {
    runGuest(os::release);
    return Behaviors.same();
  }

  /** A clock timer outlives the actor: what is still due is cancelled, not left to fire. */
  private Behavior<Command> onPostStop(PostStop stop) {
    if (wake != null) {
      wake.cancel();
    }
    for (TimerKey key : guestTimers) {
      key.timer.cancel();
    }
    guestTimers.clear();
    return Behaviors.same();
  }

  private Behavior<Command> onGetReport(GetReport request) {
    List<NicReport> nicReports = new ArrayList<>();
    for (int i = 0; i < nics.size(); i++) {
      E1000Nic.Handle nic = nics.get(i);
      nicReports.add(new NicReport(spec.nics().get(i).id(), spec.nics().get(i).mac(),
          nic.port().counters().snapshot(nic.port().name()), nic.device().statistics(),
          i < drivers.size() ? Optional.of(drivers.get(i).stats()) : Optional.empty()));
    }
    Optional<GuestReport> guest = drivers.isEmpty() ? Optional.empty() : Optional.of(os.report());
    request.replyTo().tell(new VmReport(spec.name(), vcpu.totalCycles(), memory.touchedPages(),
        guestFaults, paused, nicReports, guest));
    return Behaviors.same();
  }

  /** Queues guest work and runs what the vCPU can afford now. */
  private void runGuest(Runnable work) {
    runQueue.add(work);
    drain();
  }

  private void drain() {
    while (!paused && !runQueue.isEmpty()) {
      long busy = vcpu.busyFor(clock.nanos());
      if (busy > 0) {
        if (wake == null) {
          ActorRef<Command> self = context.getSelf();
          wake = clock.schedule(busy, () -> self.tell(Wake.INSTANCE));
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
      return clock.nanos();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
      TimerKey key = new TimerKey();
      RunTimer timer = new RunTimer(key, task);
      ActorRef<Command> self = context.getSelf();
      if (delayNanos <= 0) {
        // "As soon as possible" (a re-poll, a nested interrupt, loopback): a message to ourselves
        // comes after what is already queued, like a softirq, and costs no trip through a timer.
        self.tell(timer);
      } else {
        key.timer = clock.schedule(delayNanos, () -> self.tell(timer));
        guestTimers.add(key);
      }
      return () -> {
        key.cancelled = true;
        if (key.timer != null) {
          key.timer.cancel();
          guestTimers.remove(key);
        }
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
