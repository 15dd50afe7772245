package io.fleetsim.experiment.run;

import com.typesafe.config.Config;
import io.fleetsim.capture.PcapWriter;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import io.fleetsim.time.VirtualClock;
import io.fleetsim.vm.VmDefaults;
import io.fleetsim.vm.VmEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;

/**
 * One run of an experiment, start to results folder. The steps: open the results folder and
 * captures, wire the world ({@link Wiring}), boot every VM and wait for them, play the timeline
 * ({@link Conductor}) until the duration is up (or {@link #stop()}), stop the workloads, stop
 * taking frames from the network ports' far ends, let the links drain, then write results.json
 * and report.html ({@link Results}).
 *
 * <p>Everything in the run reads time from the clock it is given, and so do the run's own
 * watchdogs (how long booting and draining may take). On a {@link VirtualClock} the run is a
 * discrete-event simulation: the actor system runs on the clock's one thread, and this thread and
 * the model take turns (it waits only in {@link Clock#await}), so a file and its seed give the
 * same run every time. Only the {@code host} figures (wall time, heap) read the host.
 */
public final class ExperimentRun {

  /** The typed settings a run needs (reference.conf and --config, read by the CLI). */
  public record Machine(Config actorConfig, NetdevSettings netdev, FabricSettings fabric,
      VmDefaults vm) {}

  /** What a run reports while it goes; all calls come from the run's thread. */
  public interface Progress {
    /** A line to show as is (netdev ready lines, fault events, warnings). */
    void say(String line);

    /** Once a second. */
    void tick(Tick tick);
  }

  public record Tick(Duration elapsed, Duration total, long framesPerSecond, long dropsPerSecond,
      List<String> activeFaults, int vmsRunning, int vmCount) {}

  /**
   * Where the results went, whether every link's frames balanced, and each workload that did not
   * start or did not meet its criteria (one line each).
   */
  public record Outcome(Path folder, boolean accountingOk, List<String> accountingErrors,
      List<String> failedWorkloads) {}

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Experiment experiment;
  private final Optional<Path> file;
  private final Machine machine;
  private final Clock clock;
  private final Progress progress;
  private final RunControl control;
  private volatile Conductor conductor;
  private volatile boolean stopRequested;
  private volatile RunReadings readings; // set once the world is wired
  private boolean startedUp; // past start-up: from here on, the results folder stays

  public ExperimentRun(Experiment experiment, Optional<Path> file, Machine machine, Clock clock,
      Progress progress) {
    this.experiment = experiment;
    this.file = file;
    this.machine = machine;
    this.clock = clock;
    this.progress = progress;
    this.control = new RunControl(experiment, clock);
  }

  /**
   * The run for the control API, from now on: "starting" (changes refused) until the timeline
   * plays, then live, and "ended" once the results are written.
   */
  public io.fleetsim.control.Control control() {
    return control;
  }

  /**
   * Ends the run early (SIGINT), from any thread at any moment: results are still written, for
   * the time that ran. During start-up the run first gets to a point it can stop from: the
   * ports being started start, VMs not yet booted are not booted, VMs booting finish booting.
   */
  public void stop() {
    stopRequested = true;
    Conductor c = conductor;
    if (c != null) {
      c.stop();
    }
  }

  /** The run's live figures once its world is wired (null before); they outlast the run. */
  RunReadings readings() {
    return readings;
  }

  public Outcome run() throws RunException, IOException {
    Instant started = clock.instant();
    // named by the host's time even in virtual time: runs of one file must not share a folder
    ResultsFolder resultsFolder = ResultsFolder.create(Path.of(experiment.report().directory()),
        experiment.name() + "-" + STAMP.format(RealClock.system().instant()));
    try {
      return run(started, resultsFolder.path());
    } finally {
      control.ended();
      if (!startedUp) {
        resultsFolder.remove(); // the run did not start: no folder of partial files
      }
    }
  }

  private Outcome run(Instant started, Path folder) throws RunException, IOException {
    long t0 = clock.nanos();
    long wall0 = RealClock.system().nanos();
    ConsoleLog consoleLog = new ConsoleLog(folder.resolve("console.log"), clock, t0);
    Optional<VirtualClock> virtual = clock instanceof VirtualClock v ? Optional.of(v) : Optional.empty();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.<Void>empty(), "fleetsim",
        virtual.map(v -> v.actorConfig().withFallback(machine.actorConfig())).orElse(machine.actorConfig()));
    // started here, not lazily in a VM: it blocks until its guardian runs, which on a virtual
    // clock's one thread would be a VM waiting for itself
    Materializer.matFromSystem(system);
    if (virtual.isPresent()) {
      try {
        virtual.get().drive();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        system.terminate();
        throw new RunException("interrupted while the actor system started");
      }
    }
    PingRtts rtts = new PingRtts(experiment);
    Map<String, Object> host = HostFacts.start(folder);
    java.util.OptionalLong heapBefore = HeapUse.afterGc();
    Wiring wiring = new Wiring(experiment, machine, clock, system, folder, progress::say);
    try {
      wiring.build(vm -> line -> {
        rtts.line(vm, line);
        consoleLog.line(vm, line);
      });
      readings = new RunReadings(experiment, wiring, rtts, wiring.meter);
      control.wired(readings);
      LinkedBlockingQueue<VmEvent> events = new LinkedBlockingQueue<>();
      java.util.concurrent.atomic.AtomicBoolean startFailed = new java.util.concurrent.atomic.AtomicBoolean();
      ActorRef<VmEvent> eventSink = system.systemActorOf(Behaviors.<VmEvent>receiveMessage(e -> {
        events.add(e);
        if (e instanceof VmEvent.StartFailed) {
          startFailed.set(true);
        }
        return Behaviors.same();
      }), "vm-events", Props.empty());
      conductor = new Conductor(experiment, wiring, system, machine, clock, eventSink, rtts,
          progress);
      control.conducted(conductor);
      if (stopRequested) {
        conductor.stop(); // stop() came before there was a conductor to tell: play() returns at once
      }
      conductor.prepare();
      if (stopRequested) {
        progress.say("stopped before the VMs booted");
      } else {
        bootAll(wiring, system, eventSink, events, startFailed);
      }
      startedUp = true;
      // what a fleet costs: start-up time, and heap per VM once booted (bench/fleet reports them)
      host.put("bootSeconds", (RealClock.system().nanos() - wall0) / 1e9);
      java.util.OptionalLong heapAfter = HeapUse.afterGc();
      // null where unknown: no collection ran, or the heap shrank (see HeapUse)
      host.put("heapBeforeBytes", HeapUse.orNull(heapBefore));
      host.put("heapAfterBootBytes", HeapUse.orNull(heapAfter));
      host.put("heapPerVmBytes", HeapUse.orNull(HeapUse.perVm(heapBefore, heapAfter, wiring.vms.size())));
      host.put("availableProcessors", Runtime.getRuntime().availableProcessors());
      if (!stopRequested) {
        // every VM is up and linked: the workloads start together, none sends to a peer still booting
        wiring.vms.values().forEach(FleetVm::startWorkloads);
      }
      Conductor.Record record = conductor.play();
      progress.say("stopping workloads, draining links");
      stopWorkloads(wiring, system);
      conductor.removeAllFaults();
      // what is on its way arrives (between two ports of this run too); but a far end may keep
      // sending (a QEMU guest does): then stop taking its frames, so that every link and port
      // goes quiet and its books can be read whole
      if (wiring.externalPorts.isEmpty()) {
        drain(wiring, DRAIN);
      } else {
        drain(wiring, SETTLE);
        wiring.externalPorts.forEach(p -> p.faults().closeBooks());
        drain(wiring, DRAIN);
      }
      Map<String, VmEntry> reports = reports(wiring, system);
      Map<String, List<FleetVm.Boot>> boots = new java.util.LinkedHashMap<>();
      wiring.vms.values().forEach(vm -> boots.put(vm.name(), vm.boots(reports.get(vm.name()))));
      for (PcapWriter capture : wiring.captures) {
        capture.close();
      }
      host.put("wallSeconds", (RealClock.system().nanos() - wall0) / 1e9);
      HeapUse.atEnd(host, heapBefore, wiring.vms.size()); // rings wrapped, histograms filled
      Results results = new Results(experiment, file, started, wiring, record, reports, boots, host,
          rtts);
      Outcome outcome = results.write(folder);
      return outcome;
    } finally {
      wiring.captures.forEach(PcapWriter::close);
      virtual.ifPresent(VirtualClock::release); // Pekko's own shutdown blocks on the loop
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        progress.say("warning: actor system did not stop cleanly: " + e);
      }
      virtual.ifPresent(VirtualClock::close);
      consoleLog.close(); // after the VMs: the last lines they print are kept
      consoleLog.failure().ifPresent(why -> progress.say("warning: console.log: " + why));
    }
  }

  /**
   * Boots every VM, then waits until all are ready; one that fails stops the run. A stop
   * meanwhile waits too: a VM stopped while it boots would still be starting its streams.
   */
  private void bootAll(Wiring wiring, ActorSystem<Void> system, ActorRef<VmEvent> sink,
      LinkedBlockingQueue<VmEvent> events, java.util.concurrent.atomic.AtomicBoolean startFailed)
      throws RunException {
    for (FleetVm vm : wiring.vms.values()) {
      vm.boot(system, machine.netdev(), machine.vm().nic(), sink);
    }
    int pending = wiring.vms.size();
    long deadline = clock.nanos() + Duration.ofSeconds(60).plusMillis(5L * pending).toNanos();
    List<VmEvent> early = new ArrayList<>();
    while (pending > 0) {
      try {
        // back when every VM has said something (one turn for a whole fleet), or one failed
        int waitFor = pending;
        if (!clock.await(() -> events.size() >= waitFor
            || startFailed.get(), deadline)) {
          throw new RunException(pending + " of " + wiring.vms.size() + " VMs did not boot in time");
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new RunException("interrupted while the VMs booted");
      }
      for (VmEvent e = events.poll(); e != null; e = events.poll()) {
        if (e instanceof VmEvent.StartFailed failed) {
          throw new RunException("VM " + failed.vm() + " could not start: " + failed.reason());
        }
        if (e instanceof VmEvent.Ready) {
          pending--;
        } else {
          early.add(e);
        }
      }
    }
    events.addAll(early);
    progress.say(wiring.vms.size() + " VM" + (wiring.vms.size() == 1 ? "" : "s") + " running on "
        + wiring.fabrics.size() + " network" + (wiring.fabrics.size() == 1 ? "" : "s"));
  }

  private void stopWorkloads(Wiring wiring, ActorSystem<Void> system) {
    List<CompletableFuture<Boolean>> done = new ArrayList<>();
    for (FleetVm vm : wiring.vms.values()) {
      done.add(vm.shutdown(system, Duration.ofSeconds(30)).toCompletableFuture());
    }
    // a VM that does not answer still gets its report asked for; its counters say the rest
    awaitAll(done, Duration.ofSeconds(40));
  }

  /** Waits on the clock until every reply is in (or failed), at most {@code limit}. */
  private void awaitAll(List<? extends CompletableFuture<?>> replies, Duration limit) {
    CompletableFuture<Void> all = CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
    try {
      clock.await(all, clock.nanos() + limit.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long the links may take to drain at the end, and to settle before the ports close. */
  private static final Duration DRAIN = Duration.ofSeconds(10);
  private static final Duration SETTLE = Duration.ofSeconds(2);

  /**
   * Waits (at most {@code limit}) until no link's or network port's counters move for half a
   * second and nothing is held.
   */
  private void drain(Wiring wiring, Duration limit) {
    long deadline = clock.nanos() + limit.toNanos();
    long last = -1;
    long stableSince = clock.nanos();
    while (clock.nanos() < deadline) {
      long sum = 0;
      long held = 0;
      for (Link link : wiring.links) {
        sum += link.motion();
        held += link.held();
      }
      for (ExternalPort port : wiring.externalPorts) {
        sum += port.motion();
        held += port.held();
      }
      for (Interlink link : wiring.interlinks) {
        sum += link.motion();
        held += link.held();
      }
      if (sum != last || held > 0) {
        last = sum;
        stableSince = clock.nanos();
      } else if (clock.nanos() - stableSince > TimeUnit.MILLISECONDS.toNanos(500)) {
        return;
      }
      try {
        clock.sleep(TimeUnit.MILLISECONDS.toNanos(50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Map<String, VmEntry> reports(Wiring wiring, ActorSystem<Void> system) {
    Map<String, CompletableFuture<VmEntry>> asks = new java.util.LinkedHashMap<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (FleetVm vm : wiring.vms.values()) {
      CompletableFuture<VmEntry> ask = vm.report(system, Duration.ofSeconds(30)).toCompletableFuture();
      asks.put(vm.name(), ask);
      all.add(ask);
      all.addAll(vm.crashReports());
    }
    awaitAll(all, Duration.ofSeconds(40));
    Map<String, VmEntry> out = new java.util.LinkedHashMap<>();
    asks.forEach((name, ask) -> {
      try {
        out.put(name, ask.getNow(new VmEntry.NoReport(name, "no report in 40 s")));
      } catch (Exception e) {
        out.put(name, VmEntry.NoReport.of(name, "no report", e));
      }
    });
    return out;
  }
}
