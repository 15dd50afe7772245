package io.fleetsim.experiment.run;

import io.fleetsim.experiment.Experiment;
import io.fleetsim.link.DropCause;
import io.fleetsim.link.PortCounters;
import io.fleetsim.fault.Direction;
import io.fleetsim.fault.Fault;
import io.fleetsim.fault.FaultSite;
import io.fleetsim.fault.FaultyPort;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.time.Clock;
import io.fleetsim.vm.VmEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Plays an experiment's timeline on the run's thread: turns faults on and off at their times,
 * samples every counter once a second into the time series, and reports progress. Everything it
 * does to the world goes through thread-safe handles (fault chains, actor messages). Its times are
 * the run's clock: it waits on that clock ({@link Clock#await}) until the next step or sample.
 */
final class Conductor {
  private static final long SECOND = 1_000_000_000L;

  /** What happened: the per-second series and each fault activation as it was carried out. */
  record Record(List<Sample> samples, List<Activated> faults, Duration ran) {}

  /**
   * One second: totals over every fabric port, the ping replies that completed in it, and the
   * TCP bytes delivered to programs and segments retransmitted in it, over every VM.
   */
  record Sample(long second, long frames, long bytes, long drops, Optional<Histogram> rtt,
      RunMeter.Reading tcp) {}

  /** A fault activation: when it started and ended, seconds since the start. */
  record Activated(int index, String kind, String target, String description, double start,
      Double end) {}

  /** A timed step: a fault going on or off, or a follow-up of one (a crash's books, a restart). */
  private record Step(long atNanos, long order, Runnable action) {}

  private final Experiment experiment;
  private final Wiring wiring;
  private final ActorSystem<Void> system;
  private final ExperimentRun.Machine machine;
  private final Clock clock;
  private final ActorRef<VmEvent> events;
  private final PingRtts rtts;
  private final ExperimentRun.Progress progress;
  private final PriorityQueue<Step> steps = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
      ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<Activated> activated = new ArrayList<>();
  // per running activation: what to undo at its end
  private final Map<Timeline.Activation, List<Runnable>> undo = new LinkedHashMap<>();
  private final Map<Timeline.Activation, Integer> activatedIndex = new LinkedHashMap<>();
  // per running crash or pause: the VMs it still holds down (a restart, a resume takes one over)
  private final Map<Timeline.Activation, Set<FleetVm>> crashes = new LinkedHashMap<>();
  private final Map<Timeline.Activation, Set<FleetVm>> pauses = new LinkedHashMap<>();
  private final List<Timeline.Activation> timeline = new ArrayList<>();
  private long order;
  private long start;
  private boolean over;
  private double endOfRun = Double.MAX_VALUE;

  Conductor(Experiment experiment, Wiring wiring, ActorSystem<Void> system,
      ExperimentRun.Machine machine, Clock clock, ActorRef<VmEvent> events, PingRtts rtts,
      ExperimentRun.Progress progress) {
    this.experiment = experiment;
    this.wiring = wiring;
    this.system = system;
    this.machine = machine;
    this.clock = clock;
    this.events = events;
    this.rtts = rtts;
    this.progress = progress;
  }

  void stop() {
    stopped.countDown();
  }

  /**
   * Puts the frame faults that start at 0 in place before the VMs boot, so that they see the
   * first frame (a workload starts as soon as its VM has booted) and the same frames every run.
   * The rest of the timeline counts from {@link #play()}.
   */
  void prepare() {
    start = clock.nanos();
    for (Timeline.Activation a : Timeline.of(experiment.faults(), experiment.duration())) {
      Fault f = a.fault().fault();
      if (a.start().isZero() && f.onFrames()) {
        begin(a);
        Activated was = activated.get(activatedIndex.get(a));
        activated.set(activatedIndex.get(a), new Activated(was.index(), was.kind(), was.target(),
            was.description(), 0.0, null));
        a.end().ifPresent(end -> at(end.toNanos(), () -> end(a)));
      } else {
        timeline.add(a);
      }
    }
  }

  Record play() {
    start = clock.nanos();
    long total = experiment.duration().toNanos();
    for (Timeline.Activation a : timeline) {
      at(a.start().toNanos(), () -> begin(a));
      a.end().ifPresent(end -> at(end.toNanos(), () -> end(a)));
    }
    List<Sample> samples = new ArrayList<>();
    long[] last = totals();
    RunMeter.Reading lastTcp = wiring.meter.read(); // nor does what TCP delivered while booting
    rtts.takeInterval(); // boot-time replies do not belong to second 1
    long nextSample = SECOND;
    boolean early = false;
    while (true) {
      long now = now();
      while (!steps.isEmpty() && steps.peek().atNanos <= now && steps.peek().atNanos < total) {
        steps.poll().action.run();
      }
      if (now >= nextSample) {
        long[] t = totals();
        RunMeter.Reading tcp = wiring.meter.read();
        Histogram h = rtts.takeInterval();
        samples.add(new Sample(nextSample / SECOND, t[0] - last[0], t[1] - last[1], t[2] - last[2],
            h.getTotalCount() == 0 ? Optional.empty() : Optional.of(h.copy()), tcp.minus(lastTcp)));
        last = t;
        lastTcp = tcp;
        progress.tick(new ExperimentRun.Tick(Duration.ofNanos(Math.min(now, total)),
            experiment.duration(), samples.get(samples.size() - 1).frames(),
            samples.get(samples.size() - 1).drops(), activeFaults(), running(), wiring.vms.size()));
        nextSample += SECOND;
      }
      if (now >= total) {
        break;
      }
      long wake = Math.min(Math.min(nextSample, total), steps.isEmpty() ? total : steps.peek().atNanos);
      try {
        if (sleepUntil(wake)) {
          early = true;
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        early = true;
        break;
      }
    }
    Duration ran = Duration.ofNanos(Math.min(now(), total));
    endOfRun = ran.toNanos() / 1e9;
    if (early) {
      progress.say("stopped early at " + ran.toSeconds() + " s");
    }
    return new Record(samples, activated, ran);
  }

  /**
   * Takes every fault off (the end of the run): held frames go on, carriers come up, paused VMs
   * run. A crashed VM stays down: a fresh boot now would only add a boot that never ran.
   */
  void removeAllFaults() {
    over = true;
    for (Timeline.Activation a : new ArrayList<>(undo.keySet())) {
      end(a);
    }
  }

  /**
   * Waits until {@code wakeNanos} after the start, on the clock, or until {@link #stop()}; true
   * if stopped. On a virtual clock this is where simulated time passes, and the next step runs
   * at exactly its instant.
   */
  private boolean sleepUntil(long wakeNanos) throws InterruptedException {
    return clock.await(() -> stopped.getCount() == 0, start + wakeNanos);
  }

  private void at(long atNanos, Runnable action) {
    steps.add(new Step(atNanos, order++, action));
  }

  private double seconds() {
    return now() / 1e9;
  }

  private List<String> activeFaults() {
    List<String> out = new ArrayList<>();
    for (Timeline.Activation a : undo.keySet()) {
      out.add(a.fault().kind() + a.fault().target().map(t -> " " + t).orElse(""));
    }
    return out;
  }

  private int running() {
    int n = 0;
    for (FleetVm vm : wiring.vms.values()) {
      n += vm.state() == FleetVm.State.RUNNING ? 1 : 0;
    }
    return n;
  }

  /** A partition has groups, not a target: it is shown as the experiment's. */
  private static String targetName(Experiment.Fault f) {
    return f.target().orElse("all");
  }

  // --- faults on and off

  private void begin(Timeline.Activation a) {
    Experiment.Fault f = a.fault();
    Site site = new Site(a);
    f.fault().apply(site);
    String description = f.target().isPresent() ? f.kind() + " on " + f.target().get() + describe(f)
        : f.fault().describe();
    progress.say(String.format("%6.1f s  fault on: %s", seconds(), description));
    activatedIndex.put(a, activated.size());
    double now = seconds();
    activated.add(new Activated(a.index(), f.kind(), targetName(f), description, now,
        f.fault().instant() ? now : null));
    if (!site.undoes.isEmpty() || a.end().isPresent()) {
      undo.put(a, site.undoes);
    }
    site.restarted.forEach(vm -> takeOver(crashes, vm, now));
    site.resumed.forEach(vm -> takeOver(pauses, vm, now));
  }

  /** What one activation's fault acts on; it books the undo of each thing it does. */
  private final class Site implements FaultSite {
    private final Timeline.Activation a;
    private final String target;
    private final long seed;
    private int place;
    final List<Runnable> undoes = new ArrayList<>();
    // taken over by a restart (resume) from a running crash (pause)
    final List<FleetVm> restarted = new ArrayList<>();
    final List<FleetVm> resumed = new ArrayList<>();

    Site(Timeline.Activation a) {
      this.a = a;
      this.target = targetName(a.fault());
      this.seed = seed(a);
    }

    @Override
    public String target() {
      return target;
    }

    /**
     * On a network the fault acts once, as frames enter it; else relative to the target: out =
     * what the VM (or the QEMU VM behind a port) sends.
     */
    @Override
    public void onTargetLinks(Fault.LinkFault fault) {
      Interlink link = interlink(target);
      if (link != null) {
        // out is a>b, which is what the port on a sends to the link: its chain to the wire
        add(link.faults(), fault, a.fault().direction().reversed());
        return;
      }
      Direction d = experiment.networks().containsKey(target) ? Direction.OUT
          : a.fault().direction();
      for (FaultyPort port : linkPlaces(target)) {
        add(port, fault, d);
      }
      // frames entering the network through a link: from b into a is the chain from the wire
      // of the port on a (out), from a into b its chain to the wire (in)
      for (Interlink into : experiment.networks().containsKey(target) ? wiring.interlinks
          : List.<Interlink>of()) {
        if (into.spec().a().equals(target)) {
          add(into.faults(), fault, Direction.OUT);
        } else if (into.spec().b().equals(target)) {
          add(into.faults(), fault, Direction.IN);
        }
      }
    }

    @Override
    public void onLinksOf(String vms, Fault.LinkFault fault, Direction direction) {
      Interlink between = interlink(vms);
      if (between != null) {
        add(between.faults(), fault, direction.reversed());
        return;
      }
      for (Link link : linksOf(Conductor.this.vmsOf(vms))) {
        add(link.faults(), fault, direction);
      }
    }

    private void add(FaultyPort port, Fault.LinkFault fault, Direction direction) {
      String id = port.add(fault, direction, seed + 7919L * place++);
      undoes.add(() -> port.remove(id));
    }

    @Override
    public List<String> vmsOf(String name) {
      List<String> out = new ArrayList<>();
      Conductor.this.vmsOf(name).forEach(vm -> out.add(vm.name()));
      return out;
    }

    @Override
    public Set<MacAddress> macsOf(String vm) {
      Set<MacAddress> out = new java.util.LinkedHashSet<>();
      wiring.vms.get(vm).spec().nics().forEach(nic -> out.add(nic.mac()));
      return out;
    }

    @Override
    public void carrierOff() {
      for (FleetVm vm : Conductor.this.vmsOf(target)) {
        vm.carrier(false);
        undoes.add(() -> vm.carrier(true));
      }
    }

    @Override
    public void crash() {
      Set<FleetVm> down = new java.util.LinkedHashSet<>(Conductor.this.vmsOf(target));
      down.forEach(Conductor.this::crash);
      crashes.put(a, down);
      undoes.add(() -> down.forEach(Conductor.this::reboot));
    }

    @Override
    public void restart() {
      for (FleetVm vm : Conductor.this.vmsOf(target)) {
        Conductor.this.crash(vm);
        at(now() + SECOND / 5, () -> reboot(vm));
        restarted.add(vm);
      }
    }

    @Override
    public void pause() {
      Set<FleetVm> held = new java.util.LinkedHashSet<>(Conductor.this.vmsOf(target));
      held.forEach(FleetVm::pause);
      pauses.put(a, held);
      undoes.add(() -> held.forEach(FleetVm::resume));
    }

    @Override
    public void resume() {
      for (FleetVm vm : Conductor.this.vmsOf(target)) {
        vm.resume();
        resumed.add(vm);
      }
    }

    @Override
    public void disconnect() {
      for (ExternalPort port : externalPortsOf(target)) {
        port.faults().disconnect();
      }
    }
  }

  /**
   * A restart (resume) of {@code vm} at {@code now} ends what a running crash (pause) meant for
   * it; one that no longer holds any VM ends then, in the timeline and the active count.
   */
  private void takeOver(Map<Timeline.Activation, Set<FleetVm>> holds, FleetVm vm, double now) {
    for (Timeline.Activation a : new ArrayList<>(holds.keySet())) {
      Set<FleetVm> held = holds.get(a);
      if (held.remove(vm) && held.isEmpty()) {
        end(a, now);
      }
    }
  }

  private void end(Timeline.Activation a) {
    end(a, seconds());
  }

  private void end(Timeline.Activation a, double at) {
    crashes.remove(a);
    pauses.remove(a);
    List<Runnable> undoes = undo.remove(a);
    if (undoes == null) {
      return;
    }
    undoes.forEach(Runnable::run);
    Integer i = activatedIndex.get(a);
    Activated was = activated.get(i);
    // what is still on at the end ends with the run, not when it is taken off after the drain
    double end = Math.min(at, endOfRun);
    activated.set(i, new Activated(was.index(), was.kind(), was.target(), was.description(),
        was.start(), end));
    progress.say(String.format("%6.1f s  fault off: %s", at, was.description()));
  }

  private static String describe(Experiment.Fault f) {
    String what = f.fault().describe();
    // a kind that takes no direction has both
    return what.equals(f.kind()) ? "" : ": " + what + (f.direction() != Direction.BOTH
        ? " (" + f.direction().name().toLowerCase(java.util.Locale.ROOT) + ")" : "");
  }

  private List<Link> linksOf(List<FleetVm> vms) {
    Set<FleetVm> of = new HashSet<>(vms);
    List<Link> out = new ArrayList<>();
    for (Link link : wiring.links) {
      if (of.contains(link.vm())) {
        out.add(link);
      }
    }
    return out;
  }

  /** Nanoseconds since the start, on the clock. */
  private long now() {
    return clock.nanos() - start;
  }

  private void crash(FleetVm vm) {
    vm.crash(); // what its links lose is counted where they end (CrashLoss)
  }

  private void reboot(FleetVm vm) {
    if (vm.state() == FleetVm.State.CRASHED && !over) {
      vm.boot(system, machine.netdev(), machine.vm().nic(), events);
    }
  }

  /** A seed per activation: the experiment's seed, the fault's index and its occurrence. */
  private long seed(Timeline.Activation a) {
    long x = experiment.seed() * 0x9E3779B97F4A7C15L + a.index() * 0xBF58476D1CE4E5B9L
        + a.occurrence() * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }

  // --- targets

  /** The link between networks named {@code target}, or null. */
  private Interlink interlink(String target) {
    for (Interlink link : wiring.interlinks) {
      if (link.name().equals(target)) {
        return link;
      }
    }
    return null;
  }

  /** The VMs a target names: a VM, a fleet's VMs, or every VM on a network. */
  List<FleetVm> vmsOf(String target) {
    FleetVm one = wiring.vms.get(target);
    if (one != null) {
      return List.of(one);
    }
    List<FleetVm> out = new ArrayList<>();
    for (FleetVm vm : wiring.vms.values()) {
      if (vm.fleet().equals(target)) {
        out.add(vm);
      }
    }
    if (out.isEmpty()) {
      for (Link link : wiring.links) {
        if (link.network().equals(target)) {
          out.add(link.vm());
        }
      }
    }
    return out;
  }

  /**
   * Where a link fault goes: the fabric port of each target VM, or for a network every port of it
   * (VMs' and QEMU netdevs'), or one QEMU port by its netdev id.
   */
  private List<FaultyPort> linkPlaces(String target) {
    List<FaultyPort> out = new ArrayList<>();
    boolean network = experiment.networks().containsKey(target);
    Set<FleetVm> vms = network ? Set.of() : new HashSet<>(vmsOf(target));
    for (Link link : wiring.links) {
      if (network ? link.network().equals(target) : vms.contains(link.vm())) {
        out.add(link.faults());
      }
    }
    for (ExternalPort port : externalPortsOf(target)) {
      out.add(port.faults());
    }
    return out;
  }

  private List<ExternalPort> externalPortsOf(String target) {
    List<ExternalPort> out = new ArrayList<>();
    for (ExternalPort port : wiring.externalPorts) {
      if (port.id().equals(target) || port.network().equals(target)) {
        out.add(port);
      }
    }
    return out;
  }

  /**
   * Frames and bytes delivered by every fabric port, and every frame lost on the way, so far. A
   * frame for a port with no peer (an idle QEMU port, a crashed VM) is counted by its port but not
   * as loss here: a broadcast that reached every VM lost nothing. Read from the live counters,
   * without snapshots: this runs every second over every port.
   */
  private long[] totals() {
    long[] t = new long[3];
    wiring.links.forEach(link -> add(link.faults(), t));
    wiring.externalPorts.forEach(port -> add(port.faults(), t));
    for (Interlink link : wiring.interlinks) {
      t[0] += link.framesSoFar();
      t[1] += link.bytesSoFar();
      t[2] += link.lostSoFar();
    }
    return t;
  }

  /**
   * A port's frames and bytes delivered and frames lost (the fabric port's drops, the fault
   * chains' and, on a network port, those of links that closed under a frame) into {@code t}.
   */
  private static void add(FaultyPort port, long[] t) {
    PortCounters c = port.counters(); // the fabric port's own
    t[0] += c.framesOutSoFar();
    t[1] += c.bytesOutSoFar();
    t[2] += c.droppedSoFar(DropCause.NO_PEER) + port.fromWire().dropped() + port.toWire().dropped()
        + port.linkClosed();
  }

}
