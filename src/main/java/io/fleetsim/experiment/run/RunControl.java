package io.fleetsim.experiment.run;

import io.fleetsim.control.Control;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Readings;
import io.fleetsim.control.Reply;
import io.fleetsim.control.Second;
import io.fleetsim.control.Status;
import io.fleetsim.control.VmAction;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.time.Clock;
import io.fleetsim.time.VirtualClock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One {@link ExperimentRun} as the control API sees it, from the run's construction on. Reads
 * answer from what the run's thread published (the conductor's snapshots, the readings'
 * thread-safe counters); changes go to the conductor's queue and run on the run's thread between
 * two steps of the timeline. In virtual time every change is refused: the model runs only while
 * the run's thread waits, so a change from outside would land at no fixed point of it and the run
 * would no longer replay.
 */
final class RunControl implements Control {
  static final String STARTING = "the run is still starting";
  static final String OVER = "the run is over";
  static final String VIRTUAL = "the run is on virtual time: its timeline is fixed so that it "
      + "replays, and the API is read-only; run with --clock real to change faults while it runs";

  private final Experiment experiment;
  private final boolean virtual;
  private volatile RunReadings readings;
  private volatile Conductor conductor;
  private volatile boolean ended;

  RunControl(Experiment experiment, Clock clock) {
    this.experiment = experiment;
    this.virtual = clock instanceof VirtualClock;
  }

  /** The world is wired: its networks and counters can be read. */
  void wired(RunReadings readings) {
    this.readings = readings;
  }

  /** The conductor exists; it takes changes once its timeline plays. */
  void conducted(Conductor conductor) {
    this.conductor = conductor;
  }

  /** The run's results are written (or it failed): nothing runs any more. */
  void ended() {
    ended = true;
  }

  @Override
  public Status status() {
    Conductor c = conductor;
    String state = ended ? "ended" : c == null ? "starting" : c.phase();
    RunReadings r = readings;
    return new Status("experiment", experiment.name(), virtual ? "virtual" : "real", state,
        c == null ? 0 : c.elapsedSeconds(), Optional.of(experiment.duration().toNanos() / 1e9),
        r == null ? 0 : r.vmsRunning(), experiment.vmCount(), readOnly(state),
        r == null ? List.of() : r.networks());
  }

  private Optional<String> readOnly(String state) {
    if (virtual) {
      return Optional.of(VIRTUAL);
    }
    return switch (state) {
      case "running" -> Optional.empty();
      case "starting" -> Optional.of(STARTING);
      default -> Optional.of(OVER);
    };
  }

  @Override
  public List<FaultView> faults() {
    Conductor c = conductor;
    return c == null ? List.of() : c.faultViews();
  }

  @Override
  public CompletionStage<Reply<FaultView>> addFault(String json) {
    return change(c -> () -> c.addFault(json));
  }

  @Override
  public CompletionStage<Reply<FaultView>> endFault(String id) {
    return change(c -> () -> c.endFault(id));
  }

  @Override
  public CompletionStage<Reply<FaultView>> vmAction(String name, VmAction action) {
    return change(c -> () -> c.vmAction(name, action));
  }

  /** A change for the conductor's queue, or refused at once with the reason. */
  private <T> CompletionStage<Reply<T>> change(
      java.util.function.Function<Conductor, Supplier<Reply<T>>> change) {
    if (virtual) {
      return CompletableFuture.completedFuture(new Reply.Refused<>(VIRTUAL));
    }
    Conductor c = conductor;
    if (ended) {
      return CompletableFuture.completedFuture(new Reply.Refused<>(OVER));
    }
    if (c == null) {
      return CompletableFuture.completedFuture(new Reply.Refused<>(STARTING));
    }
    return c.submit(change.apply(c));
  }

  @Override
  public Readings readings() {
    RunReadings r = readings;
    return r == null ? new Readings(List.of(), List.of(), Map.of(), Map.of(),
        new Readings.TcpReading(0, 0)) : r.readings();
  }

  @Override
  public List<Second> series(long from) {
    Conductor c = conductor;
    return c == null ? List.of() : c.series(from);
  }
}
