package io.fleetsim.experiment.run;

import io.fleetsim.time.SameThread;
import io.fleetsim.guest.os.GuestSystem;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.time.Clock;
import io.fleetsim.vm.Vm;
import io.fleetsim.vm.VmEvent;
import io.fleetsim.vm.VmReport;
import io.fleetsim.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * One VM of the experiment across its lives: a crash stops its actor, a restart boots a fresh one
 * (new guest, same hardware and wiring), so faults and reports address the VM by name, not by
 * actor. Called from the conductor thread only.
 */
final class FleetVm {
  enum State { RUNNING, PAUSED, CRASHED }

  /**
   * One life of the VM and its report: {@code crashed} when a crash ended it (the report is what
   * it had at the crash), else the running VM's at the end of the run.
   */
  record Boot(int number, boolean crashed, VmEntry report) {}

  private static final java.time.Duration REPORT_TIMEOUT = java.time.Duration.ofSeconds(30);

  private final String name;
  private final String fleet;
  private final VmSpec spec;
  private final Supplier<GuestSystem> guest;
  private final Consumer<String> console;
  private final Clock clock;
  private final List<CompletableFuture<VmReport>> crashedBoots = new ArrayList<>();
  private ActorSystem<?> system;
  private ActorRef<Vm.Command> ref;
  private int lives;
  private volatile State state = State.CRASHED; // written on the run's thread, read by the API's too
  private boolean carrier = true;
  private boolean started; // the experiment has started its workloads

  FleetVm(String name, String fleet, VmSpec spec, Supplier<GuestSystem> guest,
      Consumer<String> console, Clock clock) {
    this.name = name;
    this.fleet = fleet;
    this.spec = spec;
    this.guest = guest;
    this.console = console;
    this.clock = clock;
  }

  String name() {
    return name;
  }

  String fleet() {
    return fleet;
  }

  VmSpec spec() {
    return spec;
  }

  State state() {
    return state;
  }

  int lives() {
    return lives;
  }

  /** Boots a fresh VM (the first boot, or a restart after a crash). */
  void boot(ActorSystem<?> system, NetdevSettings netdev, E1000Nic.Settings nic,
      ActorRef<VmEvent> events) {
    lives++;
    this.system = system;
    ref = system.systemActorOf(Vm.create(spec, guest.get(), clock, netdev, nic, console, events),
        "vm-" + name + "-" + lives, Props.empty());
    state = State.RUNNING;
    if (!carrier) {
      for (int i = 0; i < spec.nics().size(); i++) {
        ref.tell(new Vm.SetCarrier(i, false)); // a link that is down stays down across a reboot
      }
    }
    if (started) {
      ref.tell(Vm.StartWorkloads.INSTANCE); // a reboot mid-run: its peers are up already
    }
  }

  /**
   * The experiment starts: every VM is up and linked, so the workloads may send (before that, a
   * VM that booted first would send to peers still booting, frames lost as no-peer).
   */
  void startWorkloads() {
    started = true;
    if (state == State.RUNNING || state == State.PAUSED) {
      ref.tell(Vm.StartWorkloads.INSTANCE);
    }
  }

  void crash() {
    if (state != State.CRASHED) {
      // asked just before the plug is pulled (one mailbox, in order): the workloads' tallies at
      // the crash, which the next boot's fresh guest would otherwise replace
      crashedBoots.add(AskPattern.ask(ref, Vm.GetReport::new, REPORT_TIMEOUT, system.scheduler())
          .toCompletableFuture());
      ref.tell(Vm.Crash.INSTANCE);
      state = State.CRASHED;
    }
  }

  void pause() {
    if (state == State.RUNNING) {
      ref.tell(Vm.Pause.INSTANCE);
      state = State.PAUSED;
    }
  }

  void resume() {
    if (state == State.PAUSED) {
      ref.tell(Vm.Resume.INSTANCE);
      state = State.RUNNING;
    }
  }

  void carrier(boolean up) {
    carrier = up;
    if (state != State.CRASHED) {
      for (int i = 0; i < spec.nics().size(); i++) {
        ref.tell(new Vm.SetCarrier(i, up));
      }
    }
  }

  /** Stops the workloads (ping prints its statistics); completes at once for a crashed VM. */
  CompletionStage<Boolean> shutdown(ActorSystem<?> system, java.time.Duration timeout) {
    if (state == State.CRASHED) {
      return java.util.concurrent.CompletableFuture.completedFuture(false);
    }
    if (state == State.PAUSED) {
      resume(); // a frozen guest cannot print its statistics
    }
    return AskPattern.ask(ref, Vm.Shutdown::new, timeout, system.scheduler());
  }

  /**
   * Every boot, first to last: those a crash ended, then the running one with {@code current}
   * (its report at the end of the run), unless the VM is crashed now.
   */
  List<Boot> boots(VmEntry current) {
    if (lives == 0) {
      return List.of(new Boot(1, false, new VmEntry.NotBooted(name))); // stopped before it booted
    }
    List<Boot> out = new ArrayList<>();
    for (CompletableFuture<VmReport> ended : crashedBoots) {
      VmEntry report;
      try {
        VmReport got = ended.getNow(null);
        report = got != null ? new VmEntry.Reported(got)
            : new VmEntry.NoReport(name, "no report at the crash");
      } catch (Exception e) {
        report = VmEntry.NoReport.of(name, "no report at the crash", e);
      }
      out.add(new Boot(out.size() + 1, true, report));
    }
    if (state != State.CRASHED) {
      out.add(new Boot(out.size() + 1, false, current));
    }
    return out;
  }

  /** The reports asked for at each crash (the run waits for them, on its clock, before {@link #boots}). */
  List<CompletableFuture<VmReport>> crashReports() {
    return List.copyOf(crashedBoots);
  }

  /** The running VM's report; empty for a crashed one, or one never booted (a stop came first). */
  CompletionStage<VmEntry> report(ActorSystem<?> system, java.time.Duration timeout) {
    if (lives == 0) {
      return java.util.concurrent.CompletableFuture.completedFuture(new VmEntry.NotBooted(name));
    }
    if (state == State.CRASHED) {
      return java.util.concurrent.CompletableFuture.completedFuture(new VmEntry.Crashed(name));
    }
    return AskPattern.ask(ref, Vm.GetReport::new, timeout, system.scheduler())
        .thenApplyAsync(VmEntry.Reported::new, SameThread.EXECUTOR);
  }
}
