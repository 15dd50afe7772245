package io.fleetsim.cli;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.control.Control;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Readings;
import io.fleetsim.control.Reply;
import io.fleetsim.control.Second;
import io.fleetsim.control.Status;
import io.fleetsim.control.VmAction;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.FaultRequests;
import io.fleetsim.experiment.FaultScope;
import io.fleetsim.fault.Direction;
import io.fleetsim.fault.Fault;
import io.fleetsim.fault.FaultChain;
import io.fleetsim.fault.FaultSite;
import io.fleetsim.fault.FaultyPort;
import io.fleetsim.link.PortCounters;
import io.fleetsim.link.PortStats;
import io.fleetsim.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The control API's view of a running {@code fleetsim hub} or {@code switch}: its fabrics as
 * networks ({@code switch-0}), each netdev a port with a fault chain each way ({@link FaultyPort}),
 * and faults posted to them ({@code a1}, {@code a2}, ...). A fault's direction is the port's QEMU
 * VM's: out is what it sends, as in an experiment's network ports; on a network a fault acts once,
 * as frames enter it.
 *
 * <p>All state is under this object's lock; the API threads call in, and the clock's tasks only
 * post to {@code executor}, which takes the lock. Changes complete before their reply does.
 */
final class FabricControl implements Control {
  /**
   * Every API fault's randomness is seeded from this base and the fault's number (and its
   * repetition): the same faults posted in the same order make the same decisions.
   */
  static final long SEED = 1;
  /** Seconds of series kept: a switch runs for days, the live page shows minutes. */
  static final int SERIES_KEPT = 3600;
  private static final long SECOND = 1_000_000_000L;

  /** One netdev's port: its network, netdev id, its option text, and its handles. */
  record Member(String network, String id, String peer, PortCounters counters, FaultyPort faults) {}

  private final String kind;
  private final String label;
  private final Clock clock;
  private final Executor executor;
  private final List<Member> members;
  private final Map<String, List<Member>> networks = new LinkedHashMap<>();
  private final Set<String> ports = new LinkedHashSet<>();
  // --- under the lock
  private String state = "starting";
  private long readyAt;
  private long stoppedAt;
  private final List<ApiFault> faults = new ArrayList<>();
  private final Deque<Second> series = new ArrayDeque<>();
  private long[] lastTotals = new long[3];
  private long secondsSampled;
  private Clock.Timer sampler;

  /**
   * {@code kind} hub or switch, also the label its status shows; {@code executor} runs what the
   * clock's timers bring (a fault's end, a sample) off the clock's thread.
   */
  FabricControl(String kind, Clock clock, Executor executor, List<Member> members) {
    this.kind = kind;
    this.label = kind;
    this.clock = clock;
    this.executor = executor;
    this.members = List.copyOf(members);
    for (Member m : this.members) {
      networks.computeIfAbsent(m.network(), n -> new ArrayList<>()).add(m);
      ports.add(m.id());
    }
  }

  /** The fabric is ready: the clock starts (elapsed, fault times, the series count from now). */
  synchronized void ready() {
    readyAt = clock.nanos();
    state = "running";
    lastTotals = totals();
    armSampler();
  }

  /**
   * Shutting down: changes are refused from now on, the series stops, and the faults still on
   * end now, so that the frames they hold go on and their periods close.
   */
  synchronized void stop() {
    if (!state.equals("running")) {
      state = "stopping";
      return;
    }
    state = "stopping";
    stoppedAt = clock.nanos();
    if (sampler != null) {
      sampler.cancel();
    }
    for (ApiFault f : faults) {
      f.finish(Optional.empty());
    }
  }

  // --- reads

  @Override
  public synchronized Status status() {
    List<Status.NetworkView> views = new ArrayList<>();
    networks.forEach((name, ports) -> {
      List<Status.PortView> pv = new ArrayList<>();
      for (Member m : ports) {
        pv.add(new Status.PortView(m.id(), m.peer(), m.faults().linked()));
      }
      views.add(new Status.NetworkView(name, kind, pv));
    });
    return new Status(kind, label, "real", state, elapsed(), Optional.empty(), 0, 0,
        refusal(), views);
  }

  @Override
  public synchronized List<FaultView> faults() {
    List<FaultView> out = new ArrayList<>();
    faults.forEach(f -> out.add(f.view()));
    return out;
  }

  @Override
  public Readings readings() {
    List<Readings.PortReading> ports = new ArrayList<>();
    for (Member m : members) {
      PortStats s = m.counters().snapshot(m.id());
      ports.add(new Readings.PortReading(m.network(), m.id(), "", s.framesIn(), s.bytesIn(),
          s.framesOut(), s.bytesOut(), drops(s, m.faults())));
    }
    return new Readings(ports, List.of(), Map.of(), Map.of(), new Readings.TcpReading(0, 0));
  }

  /**
   * A port's drops by cause: the fabric port's (every cause, in its order), then those of its
   * fault chains (sorted), then frames lost on links that closed as they crossed a chain's edge.
   */
  private static Map<String, Long> drops(PortStats stats, FaultyPort faults) {
    Map<String, Long> out = new LinkedHashMap<>(stats.drops());
    Map<String, Long> chains = new TreeMap<>();
    for (FaultChain chain : List.of(faults.fromWire(), faults.toWire())) {
      chain.drops().forEach((cause, n) -> chains.merge(cause, n, Long::sum));
    }
    chains.forEach((cause, n) -> out.merge(cause, n, Long::sum));
    out.merge(FaultyPort.CAUSE_LINK_CLOSED, faults.linkClosed(), Long::sum);
    return out;
  }

  @Override
  public synchronized List<Second> series(long from) {
    List<Second> out = new ArrayList<>();
    for (Second s : series) {
      if (s.second() >= from) {
        out.add(s);
      }
    }
    return out;
  }

  // --- changes

  @Override
  public CompletionStage<Reply<FaultView>> addFault(String json) {
    FaultRequests.Result read = FaultRequests.read(json,
        FaultScope.ofFabric(new LinkedHashSet<>(networks.keySet()), ports));
    if (read.fault().isEmpty()) {
      return done(new Reply.Invalid<>(read.errors()));
    }
    return done(add(read.fault().get()));
  }

  /** Puts a validated fault on now. */
  synchronized Reply<FaultView> add(Experiment.Fault fault) {
    Optional<String> refused = refusal();
    if (refused.isPresent()) {
      return new Reply.Refused<>(refused.get());
    }
    ApiFault f = new ApiFault(faults.size() + 1, fault, clock.nanos());
    try {
      f.begin();
    } catch (IllegalStateException e) {
      return new Reply.Refused<>(e.getMessage()); // what it did so far is undone
    }
    faults.add(f);
    return new Reply.Done<>(f.view());
  }

  @Override
  public synchronized CompletionStage<Reply<FaultView>> endFault(String id) {
    ApiFault f = null;
    for (ApiFault each : faults) {
      if (each.id.equals(id)) {
        f = each;
      }
    }
    if (f == null) {
      return done(new Reply.NotFound<>("no fault " + id + " (the " + label
          + "'s faults are a1, a2, ... in the order they were posted)"));
    }
    if (f.over) {
      return done(new Reply.Refused<>("fault " + id + " has already ended"));
    }
    Optional<String> refused = refusal();
    if (refused.isPresent()) {
      return done(new Reply.Refused<>(refused.get()));
    }
    f.finish(Optional.of("api"));
    return done(new Reply.Done<>(f.view()));
  }

  @Override
  public CompletionStage<Reply<FaultView>> vmAction(String name, VmAction action) {
    return done(new Reply.NotFound<>("a " + label + " has no VMs; put faults on its ports with "
        + "POST /faults"));
  }

  private static <T> CompletionStage<Reply<T>> done(Reply<T> reply) {
    return CompletableFuture.completedFuture(reply);
  }

  /** Why changes are refused now, if they are. */
  private Optional<String> refusal() {
    return switch (state) {
      case "running" -> Optional.empty();
      case "starting" -> Optional.of("the " + label + " is starting: its ports are not ready yet");
      default -> Optional.of("the " + label + " is stopping");
    };
  }

  private double elapsed() {
    return switch (state) {
      case "running" -> seconds(clock.nanos());
      case "starting" -> 0;
      default -> seconds(stoppedAt);
    };
  }

  private double seconds(long nanos) {
    return (nanos - readyAt) / 1e9;
  }

  /** Runs {@code task} under the lock on the executor, once the clock's timer fires. */
  private Clock.Timer later(long atNanos, Runnable task) {
    return clock.schedule(atNanos - clock.nanos(), () -> {
      try {
        executor.execute(() -> {
          synchronized (this) {
            task.run();
          }
        });
      } catch (RejectedExecutionException e) {
        // shutting down: the dispatcher is gone, and stop() has ended every fault
      }
    });
  }

  // --- the series

  private void armSampler() {
    long at = readyAt + (secondsSampled + 1) * SECOND;
    sampler = later(at, this::sample);
  }

  private void sample() {
    if (!state.equals("running")) {
      return;
    }
    long[] t = totals();
    secondsSampled++;
    series.addLast(new Second(secondsSampled, t[0] - lastTotals[0], t[1] - lastTotals[1],
        t[2] - lastTotals[2], Optional.empty(), 0, 0));
    while (series.size() > SERIES_KEPT) {
      series.removeFirst();
    }
    lastTotals = t;
    armSampler();
  }

  /**
   * Frames and bytes delivered to every port's peer, and every frame lost on the way, so far (as
   * an experiment's series counts a network port; a frame for a port with no peer is not loss).
   */
  private long[] totals() {
    long[] t = new long[3];
    for (Member m : members) {
      PortCounters c = m.counters();
      t[0] += c.framesOutSoFar();
      t[1] += c.bytesOutSoFar();
      t[2] += m.faults().lostSoFar();
    }
    return t;
  }

  // --- faults

  /** One posted fault: its activations (several with {@code every}) and what undoes the current. */
  private final class ApiFault {
    final int number;
    final String id;
    final Experiment.Fault fault;
    final String target;
    final String description;
    final long firstStart;
    final List<long[]> periods = new ArrayList<>(); // start, end (-1: on), ended by the API (0/1)
    List<Runnable> undo; // the current activation's; null while off
    int occurrence;
    boolean over;
    Clock.Timer next;

    ApiFault(int number, Experiment.Fault fault, long now) {
      this.number = number;
      this.id = "a" + number;
      this.fault = fault;
      this.target = fault.target().orElse("all");
      this.description = describe(fault);
      this.firstStart = now;
    }

    /** Goes on now; sets the timer of its end or of its next activation. */
    void begin() {
      Site site = new Site(this);
      try {
        fault.fault().apply(site);
      } catch (IllegalStateException e) {
        site.undoes.forEach(Runnable::run);
        throw e;
      }
      long now = clock.nanos();
      periods.add(new long[] {now, -1, 0});
      undo = site.undoes;
      if (fault.fault().instant()) {
        off(now, false);
        scheduleNext();
        return;
      }
      Optional<Duration> on = onFor();
      if (on.isPresent()) {
        long endAt = startOf(occurrence) + on.get().toNanos();
        next = later(endAt, () -> {
          if (!over) {
            off(clock.nanos(), false);
            scheduleNext();
          }
        });
      }
    }

    /** How long one activation lasts: {@code for}, else {@code every} (on and off in turn). */
    private Optional<Duration> onFor() {
      return fault.duration().isPresent() ? fault.duration() : fault.every();
    }

    /** When activation {@code k} starts, as an experiment's timeline spaces them. */
    private long startOf(int k) {
      if (fault.every().isEmpty()) {
        return firstStart;
      }
      long every = fault.every().get().toNanos();
      long period = fault.duration().isPresent() ? every : 2 * every;
      return firstStart + k * period;
    }

    private void scheduleNext() {
      if (fault.every().isEmpty()) {
        over = true;
        return;
      }
      occurrence++;
      next = later(startOf(occurrence), () -> {
        if (!over && state.equals("running")) {
          begin();
        }
      });
    }

    /** The current activation ends at {@code at}. */
    private void off(long at, boolean byApi) {
      if (undo != null) {
        undo.forEach(Runnable::run);
        undo = null;
        long[] p = periods.get(periods.size() - 1);
        p[1] = at;
        p[2] = byApi ? 1 : 0;
      }
    }

    /** Ends it for good now: the current activation, and the repetitions still to come. */
    void finish(Optional<String> endedBy) {
      if (over) {
        return;
      }
      over = true;
      if (next != null) {
        next.cancel();
      }
      off(clock.nanos(), endedBy.isPresent());
    }

    FaultView view() {
      List<FaultView.Period> ps = new ArrayList<>();
      for (long[] p : periods) {
        ps.add(new FaultView.Period(seconds(p[0]),
            p[1] < 0 ? Optional.empty() : Optional.of(seconds(p[1])),
            p[2] == 1 ? Optional.of("api") : Optional.empty()));
      }
      String st = over ? "ended" : undo != null ? "active" : "scheduled";
      return new FaultView(id, "api", fault.kind(), target, description, st, ps);
    }

    /** Activation {@code occurrence}'s seed, apart from every other fault's and activation's. */
    long seed() {
      long x = SEED * 0x9E3779B97F4A7C15L + number * 0xBF58476D1CE4E5B9L
          + occurrence * 0x94D049BB133111EBL;
      return x ^ (x >>> 31);
    }
  }

  /** {@code loss on n1: loss 100% (out)}: kind and target, then its parameters if it has any. */
  private static String describe(Experiment.Fault f) {
    String what = f.fault().describe();
    String on = f.kind() + f.target().map(t -> " on " + t).orElse("");
    if (what.equals(f.kind())) {
      return on;
    }
    return on + ": " + what + (f.direction() == Direction.BOTH ? ""
        : " (" + f.direction().name().toLowerCase(Locale.ROOT) + ")");
  }

  /** What one activation acts on: the target's ports; it books the undo of each thing it does. */
  private final class Site implements FaultSite {
    private final ApiFault f;
    private final long seed;
    private int place;
    final List<Runnable> undoes = new ArrayList<>();

    Site(ApiFault f) {
      this.f = f;
      this.seed = f.seed();
    }

    @Override
    public String target() {
      return f.target;
    }

    @Override
    public void onTargetLinks(Fault.LinkFault fault) {
      // on a network once, as frames enter it: what each port's QEMU VM sends
      Direction d = networks.containsKey(f.target) ? Direction.OUT : f.fault.direction();
      for (Member m : portsOf(f.target)) {
        add(m.faults(), fault, d);
      }
    }

    @Override
    public void onLinksOf(String target, Fault.LinkFault fault, Direction direction) {
      for (Member m : portsOf(target)) {
        add(m.faults(), fault, direction);
      }
    }

    private void add(FaultyPort port, Fault.LinkFault fault, Direction direction) {
      String chainId = port.add(fault, direction, seed + 7919L * place++);
      undoes.add(() -> port.remove(chainId));
    }

    @Override
    public List<String> vmsOf(String name) {
      throw noVms();
    }

    @Override
    public Set<MacAddress> macsOf(String vm) {
      throw noVms();
    }

    /** A QEMU VM's carrier is its own: the netdev cannot reach it (its frames are dropped). */
    @Override
    public void carrierOff() {}

    @Override
    public void crash() {
      throw noVms();
    }

    @Override
    public void restart() {
      throw noVms();
    }

    @Override
    public void pause() {
      throw noVms();
    }

    @Override
    public void resume() {
      throw noVms();
    }

    @Override
    public void disconnect() {
      for (Member m : portsOf(f.target)) {
        m.faults().disconnect();
      }
    }

    private IllegalStateException noVms() {
      return new IllegalStateException("a " + label + " has no VMs: " + f.fault.kind()
          + " cannot act on " + f.target);
    }
  }

  /** The ports a target names: a network's, or one port by netdev id. */
  private List<Member> portsOf(String target) {
    List<Member> of = networks.get(target);
    if (of != null) {
      return of;
    }
    for (Member m : members) {
      if (m.id().equals(target)) {
        return List.of(m);
      }
    }
    throw new IllegalStateException("no network or port " + target + " on this " + label);
  }
}
