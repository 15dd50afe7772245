package io.fleetsim.experiment.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Reply;
import io.fleetsim.control.Second;
import io.fleetsim.control.VmAction;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.FaultRequests;
import io.fleetsim.experiment.FaultScope;
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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Plays an experiment's timeline on the run's thread: turns faults on and off at their times,
 * samples every counter once a second into the time series, and reports progress. Everything it
 * does to the world goes through thread-safe handles (fault chains, actor messages). Its times are
 * the run's clock: it waits on that clock ({@link Clock#await}) until the next step or sample.
 *
 * <p>The control API's changes ({@link RunControl}) come from other threads into a queue: the
 * wait also ends when one is queued, and it runs on this thread between two steps, so that the
 * conductor's state stays single-threaded. API faults are planned as the timeline's are, from the
 * moment they are posted. What the API reads (fault views, elapsed time, the series) is published
 * as immutable snapshots after each change.
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

  /**
   * A fault activation: its fault's id and source (timeline or api), when it started and ended,
   * seconds since the start, and {@code api} in {@code endedBy} when the API ended it early.
   */
  record Activated(int index, String id, String source, String kind, String target,
      String description, double start, Double end,
      @JsonInclude(JsonInclude.Include.NON_NULL) String endedBy) {

    Activated ended(double at, String by) {
      return new Activated(index, id, source, kind, target, description, start, at, by);
    }
  }

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
  // every fault by index (so in id order: the file's, then the API's as posted)
  private final Map<Integer, Entry> entries = new TreeMap<>();
  private final Commands commands = new Commands();
  private final CopyOnWriteArrayList<Second> series = new CopyOnWriteArrayList<>();
  private FaultScope scope; // made on first use: the run's names do not change
  private int apiFaults;
  // what the API's threads read, published after each change on the run's thread
  private volatile List<FaultView> views = List.of();
  private volatile long playStart = Long.MIN_VALUE;
  private volatile long elapsedNanos;
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
    for (int i = 0; i < experiment.faults().size(); i++) {
      entries.put(i, new Entry("t" + i, "timeline", i, experiment.faults().get(i)));
    }
    for (Timeline.Activation a : Timeline.of(experiment.faults(), experiment.duration())) {
      Fault f = a.fault().fault();
      if (a.start().isZero() && f.onFrames()) {
        begin(a);
        Activated was = activated.get(activatedIndex.get(a));
        activated.set(activatedIndex.get(a), new Activated(was.index(), was.id(), was.source(),
            was.kind(), was.target(), was.description(), 0.0, null, null));
        a.end().ifPresent(end -> at(end.toNanos(), () -> end(a)));
      } else {
        timeline.add(a);
        entries.get(a.index()).pending.add(a);
      }
    }
    publish();
  }

  Record play() {
    start = clock.nanos();
    playStart = start;
    long total = experiment.duration().toNanos();
    timeline.forEach(this::plan);
    commands.open();
    List<Sample> samples = new ArrayList<>();
    long[] last = totals();
    RunMeter.Reading lastTcp = wiring.meter.read(); // nor does what TCP delivered while booting
    rtts.takeInterval(); // boot-time replies do not belong to second 1
    long nextSample = SECOND;
    boolean early = false;
    while (true) {
      long now = now();
      elapsedNanos = Math.min(now, total);
      if (runDue(now)) {
        publish(); // the API's own changes publish themselves
      }
      commands.runPending();
      if (now >= nextSample) {
        long[] t = totals();
        RunMeter.Reading tcp = wiring.meter.read();
        Histogram h = rtts.takeInterval();
        samples.add(new Sample(nextSample / SECOND, t[0] - last[0], t[1] - last[1], t[2] - last[2],
            h.getTotalCount() == 0 ? Optional.empty() : Optional.of(h.copy()), tcp.minus(lastTcp)));
        series.add(second(samples.get(samples.size() - 1)));
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
        // back early for a command from the API; stopped only when stop() said so
        if (sleepUntil(wake) && stopped.getCount() == 0) {
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
    elapsedNanos = ran.toNanos();
    commands.close(); // what came too late is refused: the run is over
    // what was still to come never happens
    entries.values().forEach(e -> e.pending.clear());
    publish();
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
    publish();
  }

  /**
   * Waits until {@code wakeNanos} after the start, on the clock, or until {@link #stop()}; true
   * if stopped. On a virtual clock this is where simulated time passes, and the next step runs
   * at exactly its instant.
   */
  private boolean sleepUntil(long wakeNanos) throws InterruptedException {
    return clock.await(() -> stopped.getCount() == 0 || commands.pending(), start + wakeNanos);
  }

  /**
   * Runs the steps due by {@code now} (none at or past the end: the run is over then); whether
   * any ran.
   */
  private boolean runDue(long now) {
    long total = experiment.duration().toNanos();
    boolean ran = false;
    while (!steps.isEmpty() && steps.peek().atNanos <= now && steps.peek().atNanos < total) {
      steps.poll().action.run();
      ran = true;
    }
    return ran;
  }

  /** Puts activation {@code a} on the timeline: its start, unless its fault was ended, and its end. */
  private void plan(Timeline.Activation a) {
    at(a.start().toNanos(), () -> {
      if (entries.get(a.index()).pending.remove(a)) {
        begin(a);
      }
    });
    a.end().ifPresent(end -> at(end.toNanos(), () -> end(a)));
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
    Entry entry = entries.get(a.index());
    Site site = new Site(a);
    f.fault().apply(site);
    String description = description(f);
    progress.say(String.format("%6.1f s  fault on: %s", seconds(), description) + entry.marker());
    activatedIndex.put(a, activated.size());
    double now = seconds();
    activated.add(new Activated(a.index(), entry.id, entry.source, f.kind(), targetName(f),
        description, now, f.fault().instant() ? now : null, null));
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
      // a network's QEMU port by its netdev id (link-down on a port)
      for (ExternalPort port : wiring.externalPorts) {
        if (port.id().equals(vms)) {
          add(port.faults(), fault, direction);
        }
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
    end(a, at, null);
  }

  /** Ends {@code a} at {@code at}; {@code by} api when the API ended it early. */
  private void end(Timeline.Activation a, double at, String by) {
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
    activated.set(i, was.ended(end, by));
    progress.say(String.format("%6.1f s  fault off: %s", at, was.description())
        + entries.get(a.index()).marker());
  }

  private static String description(Experiment.Fault f) {
    return f.target().isPresent() ? f.kind() + " on " + f.target().get() + describe(f)
        : f.fault().describe();
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
    List<FleetVm> out = new ArrayList<>(vmsOrFleet(target));
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
    t[2] += port.lostSoFar();
  }


  // --- the control API: reads from any thread, changes on the run's thread

  /** A fault by its id: the file's {@code faults[i]} or one the API put on. */
  private static final class Entry {
    final String id;
    final String source;
    final int index;
    final Experiment.Fault fault;
    // activations still to begin, in start order; ending the fault cancels them
    final Set<Timeline.Activation> pending = new java.util.LinkedHashSet<>();

    Entry(String id, String source, int index, Experiment.Fault fault) {
      this.id = id;
      this.source = source;
      this.index = index;
      this.fault = fault;
    }

    /** What progress lines add for the API's faults. */
    String marker() {
      return source.equals("api") ? " (api)" : "";
    }
  }

  /**
   * Changes asked from the API's threads, run on the run's thread between two steps of the
   * timeline. Open only while {@link #play()} plays: before, the run is still starting; after,
   * it is over, and whatever is still queued then is refused.
   */
  private static final class Commands {
    private final java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
    private volatile boolean pending;
    private String refusal = RunControl.STARTING;

    synchronized <T> CompletableFuture<Reply<T>> submit(Supplier<Reply<T>> change) {
      CompletableFuture<Reply<T>> reply = new CompletableFuture<>();
      if (refusal != null) {
        reply.complete(new Reply.Refused<>(refusal));
        return reply;
      }
      queue.add(() -> {
        try {
          reply.complete(change.get());
        } catch (RuntimeException e) {
          reply.completeExceptionally(e);
        }
      });
      pending = true;
      return reply;
    }

    boolean pending() {
      return pending;
    }

    synchronized void open() {
      refusal = null;
    }

    /** On the run's thread: runs what is queued, in the order it came. */
    void runPending() {
      for (Runnable next = poll(); next != null; next = poll()) {
        next.run();
      }
    }

    private synchronized Runnable poll() {
      Runnable next = queue.poll();
      pending = !queue.isEmpty();
      return next;
    }

    /** The run is over: refuses what is queued and what comes. */
    void close() {
      List<Runnable> late;
      synchronized (this) {
        refusal = RunControl.OVER;
        late = List.copyOf(queue);
        queue.clear();
        pending = false;
      }
      // each late change refuses itself: its own check sees the run is over
      late.forEach(Runnable::run);
    }

    synchronized boolean isOpen() {
      return refusal == null;
    }

    synchronized String phase() {
      return refusal == null ? "running" : refusal.equals(RunControl.STARTING) ? "starting"
          : "stopping";
    }
  }

  <T> CompletableFuture<Reply<T>> submit(Supplier<Reply<T>> change) {
    return commands.submit(change);
  }

  /** starting (before {@link #play()}), running (while it plays, taking changes), stopping. */
  String phase() {
    return commands.phase();
  }

  List<FaultView> faultViews() {
    return views;
  }

  /** Seconds since {@link #play()} started (0 before), on the run's clock, as last seen. */
  double elapsedSeconds() {
    long from = playStart;
    if (from == Long.MIN_VALUE) {
      return 0;
    }
    // the host's clock is safe to read from any thread, and the figure is live then
    if (clock instanceof io.fleetsim.time.RealClock && commands.phase().equals("running")) {
      return Math.min(clock.nanos() - from, experiment.duration().toNanos()) / 1e9;
    }
    return elapsedNanos / 1e9;
  }

  /** The samples from second {@code from} on. */
  List<Second> series(long from) {
    List<Second> all = List.copyOf(series);
    int skip = (int) Math.min(all.size(), Math.max(0, from - 1));
    return all.subList(skip, all.size());
  }

  private static Second second(Sample s) {
    return new Second(s.second(), s.frames(), s.bytes(), s.drops(), s.rtt().map(h -> new Second.Rtt(
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0)), s.tcp().tcpBytes(), s.tcp().tcpRetransmissions());
  }

  /** On the run's thread, after each change: what the API's threads read. */
  private void publish() {
    List<FaultView> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      out.add(view(e));
    }
    views = List.copyOf(out);
  }

  private FaultView view(Entry e) {
    List<FaultView.Period> periods = new ArrayList<>();
    for (Activated a : activated) {
      if (a.index() == e.index) {
        periods.add(new FaultView.Period(a.start(), Optional.ofNullable(a.end()),
            Optional.ofNullable(a.endedBy())));
      }
    }
    String state = !running(e).isEmpty() ? "active" : e.pending.isEmpty() ? "ended" : "scheduled";
    return new FaultView(e.id, e.source, e.fault.kind(), targetName(e.fault), description(e.fault),
        state, periods);
  }

  /** The activations of {@code e} that are on now. */
  private List<Timeline.Activation> running(Entry e) {
    List<Timeline.Activation> out = new ArrayList<>();
    for (Timeline.Activation a : undo.keySet()) {
      if (a.index() == e.index) {
        out.add(a);
      }
    }
    return out;
  }

  /** POST /faults, on the run's thread: validated against the time left, then on from now. */
  Reply<FaultView> addFault(String json) {
    if (!commands.isOpen()) {
      return new Reply.Refused<>(RunControl.OVER);
    }
    if (scope == null) {
      scope = FaultScope.of(experiment);
    }
    FaultRequests.Result read = FaultRequests.read(json, scope.withRemaining(left()));
    if (!read.errors().isEmpty()) {
      return new Reply.Invalid<>(read.errors());
    }
    return new Reply.Done<>(startApiFault(read.fault().orElseThrow()));
  }

  private Duration left() {
    return experiment.duration().minusNanos(Math.min(now(), experiment.duration().toNanos()));
  }

  /**
   * An API fault: the next id and index, its activations planned as the timeline would plan
   * them from now (repetitions of {@code every}, the end of {@code for}), the first one on at once.
   */
  private FaultView startApiFault(Experiment.Fault posted) {
    int n = ++apiFaults;
    int index = experiment.faults().size() + n - 1;
    long now = now();
    Experiment.Fault f = new Experiment.Fault(Duration.ofNanos(now), posted.duration(),
        posted.every(), posted.kind(), posted.target(), posted.direction(), posted.fault());
    Entry e = new Entry("a" + n, "api", index, f);
    entries.put(index, e);
    for (Timeline.Activation t : Timeline.of(List.of(f), experiment.duration())) {
      Timeline.Activation a = new Timeline.Activation(index, f, t.occurrence(), t.start(), t.end());
      e.pending.add(a);
      plan(a);
    }
    runDue(now());
    publish();
    return view(e);
  }

  /**
   * DELETE /faults/ID, on the run's thread: ends its running activation and cancels those to
   * come. A timeline fault not yet started may be ended too: it then never starts (state ended,
   * no period).
   */
  Reply<FaultView> endFault(String id) {
    Entry e = null;
    for (Entry each : entries.values()) {
      if (each.id.equals(id)) {
        e = each;
      }
    }
    if (e == null) {
      return new Reply.NotFound<>("no fault " + id);
    }
    if (!commands.isOpen()) {
      return new Reply.Refused<>(RunControl.OVER);
    }
    List<Timeline.Activation> on = running(e);
    if (on.isEmpty() && e.pending.isEmpty()) {
      return new Reply.Refused<>("fault " + id + " (" + description(e.fault) + ") has ended already");
    }
    e.pending.clear();
    double now = seconds();
    on.forEach(a -> end(a, now, "api"));
    publish();
    return new Reply.Done<>(view(e));
  }

  /**
   * POST /vms/NAME/ACTION, on the run's thread: the fault of that kind on VM or fleet {@code
   * name}, refused when the run would ignore it; link-up ends the link-down faults on {@code name}.
   */
  Reply<FaultView> vmAction(String name, VmAction action) {
    List<FleetVm> vms = vmsOrFleet(name);
    if (vms.isEmpty()) {
      return new Reply.NotFound<>("no VM or fleet " + name);
    }
    if (!commands.isOpen()) {
      return new Reply.Refused<>(RunControl.OVER);
    }
    Fault fault;
    switch (action) {
      case CRASH -> {
        if (none(vms, FleetVm.State.RUNNING) && none(vms, FleetVm.State.PAUSED)) {
          return new Reply.Refused<>("nothing to crash: " + states(vms));
        }
        fault = new io.fleetsim.fault.CrashFault();
      }
      case RESTART -> fault = new io.fleetsim.fault.RestartFault();
      case PAUSE -> {
        if (none(vms, FleetVm.State.RUNNING)) {
          return new Reply.Refused<>("nothing to pause: " + states(vms));
        }
        fault = new io.fleetsim.fault.PauseFault();
      }
      case RESUME -> {
        if (none(vms, FleetVm.State.PAUSED)) {
          return new Reply.Refused<>("nothing to resume: " + states(vms));
        }
        fault = new io.fleetsim.fault.ResumeFault();
      }
      case LINK_DOWN -> fault = new io.fleetsim.fault.LinkDownFault();
      case LINK_UP -> {
        return linkUp(name, vms);
      }
      default -> throw new IllegalStateException(action.toString());
    }
    return new Reply.Done<>(startApiFault(new Experiment.Fault(Duration.ZERO, Optional.empty(),
        Optional.empty(), fault.kind(), Optional.of(name), Direction.BOTH, fault)));
  }

  /** Ends every running link-down whose target is exactly {@code name}. */
  private Reply<FaultView> linkUp(String name, List<FleetVm> vms) {
    List<Timeline.Activation> exact = new ArrayList<>();
    List<String> holders = new ArrayList<>();
    Set<FleetVm> of = new HashSet<>(vms);
    for (Timeline.Activation a : undo.keySet()) {
      if (!a.fault().kind().equals(io.fleetsim.fault.LinkDownFault.KIND.name())) {
        continue;
      }
      if (targetName(a.fault()).equals(name)) {
        exact.add(a);
      } else if (vmsOf(targetName(a.fault())).stream().anyMatch(of::contains)) {
        holders.add(entries.get(a.index()).id + " (" + description(a.fault()) + ")");
      }
    }
    if (exact.isEmpty()) {
      return new Reply.Refused<>("no link-down fault on " + name + " is on" + (holders.isEmpty()
          ? "" : "; its link is held down by " + String.join(", ", holders)
              + ", which link-up on their own target ends"));
    }
    double now = seconds();
    exact.forEach(a -> end(a, now, "api"));
    publish();
    return new Reply.Done<>(view(entries.get(exact.get(0).index())));
  }

  /** A VM by name or a fleet's VMs (not a network's: the API's VM actions name VMs). */
  private List<FleetVm> vmsOrFleet(String name) {
    FleetVm one = wiring.vms.get(name);
    if (one != null) {
      return List.of(one);
    }
    List<FleetVm> out = new ArrayList<>();
    for (FleetVm vm : wiring.vms.values()) {
      if (vm.fleet().equals(name)) {
        out.add(vm);
      }
    }
    return out;
  }

  private static boolean none(List<FleetVm> vms, FleetVm.State state) {
    return vms.stream().noneMatch(vm -> vm.state() == state);
  }

  /** "a is crashed, b is paused". */
  private static String states(List<FleetVm> vms) {
    List<String> out = new ArrayList<>();
    for (FleetVm vm : vms) {
      out.add(vm.name() + " is " + vm.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    return String.join(", ", out);
  }
}
