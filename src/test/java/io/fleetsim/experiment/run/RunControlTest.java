package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.control.Control;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Reply;
import io.fleetsim.control.Status;
import io.fleetsim.control.VmAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An experiment driven through {@link ExperimentRun#control()} while it runs on a real clock: two
 * VMs on a switch pinging, a timeline latency fault, and the API putting faults on and ending
 * them. One run is shared: {@link #drive()} does everything in order and keeps each reply; the
 * tests look at the replies, the views and results.json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunControlTest {
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final String EXPERIMENT = """
      name = live
      duration = 6s
      clock = real
      networks { lan { type = switch } }
      vms {
        a { network = lan, ip = "10.0.0.1/24", arp = static, workloads = ["ping 10.0.0.2 interval=50ms"] }
        b { network = lan, ip = "10.0.0.2/24", arp = static, workloads = ["ping 10.0.0.1 interval=50ms"] }
      }
      faults = [ { at = 500ms, for = 1s, kind = latency, target = b, delay = 5ms } ]
      """;

  private Path dir;
  private RunHarness.Ran ran;
  private Control control;
  private final List<String> said = Collections.synchronizedList(new ArrayList<>());
  private Reply<FaultView> beforeStart;
  private Status startingStatus;
  private final Set<String> t0States = new LinkedHashSet<>();
  private Reply<FaultView> lossOn;
  private FaultView lossWhileOn;
  private Reply<FaultView> lossOff;
  private Reply<FaultView> lossOffAgain;
  private Reply<FaultView> unknownFault;
  private Reply<FaultView> invalid;
  private Reply<FaultView> crash;
  private Reply<FaultView> crashAgain;
  private Reply<FaultView> restart;
  private Reply<FaultView> resumeUnpaused;
  private Reply<FaultView> unknownVm;
  private Reply<FaultView> linkUpNone;
  private Reply<FaultView> linkDown;
  private Reply<FaultView> linkUpFleet;
  private Reply<FaultView> linkUp;
  private Status running;
  private Reply<FaultView> afterEnd;
  private Status endedStatus;
  private List<FaultView> endedFaults;

  @BeforeAll
  void drive() throws Exception {
    dir = Files.createTempDirectory("run-control");
    AtomicReference<ExperimentRun> made = new AtomicReference<>();
    CompletableFuture<RunHarness.Ran> run = RunHarness.start(EXPERIMENT, dir, said, made::set);
    await(() -> made.get() != null, run);
    control = made.get().control();
    startingStatus = control.status();
    beforeStart = reply(control.addFault("{\"kind\":\"crash\",\"target\":\"a\"}"));
    await(() -> control.status().state().equals("running"), run);
    // the timeline's latency, seen scheduled (or already on), on, then off
    await(() -> {
      control.faults().stream().filter(f -> f.id().equals("t0")).forEach(f -> t0States.add(f.state()));
      return t0States.contains("ended");
    }, run);

    lossOn = reply(control.addFault("{\"kind\":\"loss\",\"target\":\"a\",\"probability\":0.5}"));
    lossWhileOn = view("a1");
    double onAt = control.status().elapsedSeconds();
    // some pings under the loss before it ends
    await(() -> control.status().elapsedSeconds() >= onAt + 0.7, run);
    lossOff = reply(control.endFault("a1"));
    lossOffAgain = reply(control.endFault("a1"));
    unknownFault = reply(control.endFault("a99"));
    invalid = reply(control.addFault("{\"kind\":\"loss\",\"target\":\"nobody\",\"probability\":0.5}"));

    crash = reply(control.vmAction("b", VmAction.CRASH));
    crashAgain = reply(control.vmAction("b", VmAction.CRASH));
    restart = reply(control.vmAction("b", VmAction.RESTART));
    resumeUnpaused = reply(control.vmAction("a", VmAction.RESUME));
    unknownVm = reply(control.vmAction("nobody", VmAction.CRASH));
    linkUpNone = reply(control.vmAction("a", VmAction.LINK_UP));
    linkDown = reply(control.vmAction("a", VmAction.LINK_DOWN));
    linkUpFleet = reply(control.vmAction("b", VmAction.LINK_UP));
    linkUp = reply(control.vmAction("a", VmAction.LINK_UP));
    await(() -> control.status().vmsRunning() == 2, run);
    running = control.status();

    ran = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    afterEnd = reply(control.vmAction("a", VmAction.PAUSE));
    endedStatus = control.status();
    endedFaults = control.faults();
  }

  @AfterAll
  void clean() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void beforeTheTimelinePlaysChangesAreRefused() {
    assertEquals(new Reply.Refused<>(RunControl.STARTING), beforeStart);
    assertEquals("starting", startingStatus.state());
    assertEquals(Optional.of(RunControl.STARTING), startingStatus.readOnly());
    assertEquals("experiment", startingStatus.kind());
    assertEquals("live", startingStatus.name());
    assertEquals(2, startingStatus.vmCount());
  }

  @Test
  void statusWhileRunning() {
    assertEquals("running", running.state());
    assertEquals("real", running.clock());
    assertEquals(Optional.empty(), running.readOnly());
    assertEquals(Optional.of(6.0), running.durationSeconds());
    assertEquals(2, running.vmsRunning());
    assertTrue(running.elapsedSeconds() > 1.5 && running.elapsedSeconds() <= 6, "" + running);
  }

  @Test
  void theTimelinesFaultIsListedAsT0WithItsStates() {
    // polled from the start of the timeline, 0.5 s before it goes on
    assertEquals(List.of("scheduled", "active", "ended"), List.copyOf(t0States));
    FaultView t0 = endedFaults.get(0);
    assertEquals("t0", t0.id());
    assertEquals("timeline", t0.source());
    assertEquals("latency", t0.kind());
    assertEquals("b", t0.target());
    assertEquals(1, t0.periods().size());
    FaultView.Period p = t0.periods().get(0);
    assertEquals(0.5, p.start(), 0.3);
    assertEquals(1.5, p.end().orElseThrow(), 0.3);
    assertEquals(Optional.empty(), p.endedBy());
  }

  @Test
  void anApiFaultIsActiveUntilEndedThenEndedByTheApi() {
    FaultView on = done(lossOn);
    assertEquals("a1", on.id());
    assertEquals("api", on.source());
    assertEquals("loss", on.kind());
    assertEquals("active", on.state());
    assertEquals("active", lossWhileOn.state());
    FaultView off = done(lossOff);
    assertEquals("ended", off.state());
    assertEquals(1, off.periods().size());
    assertEquals(Optional.of("api"), off.periods().get(0).endedBy());
    assertTrue(off.periods().get(0).end().orElseThrow() - off.periods().get(0).start() >= 0.7,
        off.toString());
    assertInstanceOf(Reply.Refused.class, lossOffAgain);
    assertTrue(((Reply.Refused<?>) lossOffAgain).reason().contains("ended already"), "" + lossOffAgain);
    assertInstanceOf(Reply.NotFound.class, unknownFault);
    assertTrue(said.stream().anyMatch(l -> l.contains("fault on: loss on a") && l.endsWith("(api)")),
        said.toString());
    assertTrue(said.stream().anyMatch(l -> l.contains("fault off: loss on a") && l.endsWith("(api)")),
        said.toString());
  }

  @Test
  void anInvalidBodyIsInvalidAndPutsNothingOn() {
    assertInstanceOf(Reply.Invalid.class, invalid, "" + invalid);
    assertFalse(((Reply.Invalid<?>) invalid).errors().isEmpty());
  }

  @Test
  void vmActionsAreFaultsAndWhatTheRunWouldIgnoreIsRefused() {
    FaultView crashed = done(crash);
    assertEquals("a2", crashed.id());
    assertEquals("crash", crashed.kind());
    assertEquals("b", crashed.target());
    assertEquals(new Reply.Refused<>("nothing to crash: b is crashed"), crashAgain);
    FaultView restarted = done(restart);
    assertEquals("a3", restarted.id());
    assertEquals("restart", restarted.kind());
    assertEquals(new Reply.Refused<>("nothing to resume: a is running"), resumeUnpaused);
    assertInstanceOf(Reply.NotFound.class, unknownVm);
    assertInstanceOf(Reply.Refused.class, linkUpNone);
    // the restart took the crash over: it ended then
    FaultView crashAtEnd = endedFaults.stream().filter(f -> f.id().equals("a2")).findFirst().orElseThrow();
    assertEquals("ended", crashAtEnd.state());
  }

  @Test
  void linkUpEndsTheLinkDownOnItsTarget() {
    FaultView down = done(linkDown);
    assertEquals("a4", down.id());
    assertEquals("link-down", down.kind());
    assertEquals("active", down.state());
    assertInstanceOf(Reply.Refused.class, linkUpFleet, "b's link is not down: " + linkUpFleet);
    FaultView up = done(linkUp);
    assertEquals("a4", up.id());
    assertEquals("ended", up.state());
    assertEquals(Optional.of("api"), up.periods().get(0).endedBy());
  }

  @Test
  void faultsAreListedInIdOrder() {
    assertEquals(List.of("t0", "a1", "a2", "a3", "a4"), endedFaults.stream().map(FaultView::id).toList());
  }

  @Test
  void afterTheRunChangesAreRefusedAndReadsWork() {
    assertEquals(new Reply.Refused<>(RunControl.OVER), afterEnd);
    assertEquals("ended", endedStatus.state());
    assertEquals(Optional.of(RunControl.OVER), endedStatus.readOnly());
    assertTrue(endedStatus.elapsedSeconds() >= 5.9, "" + endedStatus);
    assertFalse(control.series(1).isEmpty());
    assertEquals(1, control.series(1).get(0).second());
    assertEquals(control.series(1).size() - 2, control.series(3).size());
  }

  @Test
  void resultsHaveTheApiFaultsWithTheirSourceAndTheAccountingBalances() {
    assertTrue(ran.outcome().accountingOk(), ran.outcome().accountingErrors().toString());
    JsonNode faults = ran.results().get("faults");
    JsonNode t0 = faults.get(0);
    assertEquals("t0", t0.path("id").asText());
    assertEquals("timeline", t0.path("source").asText());
    assertTrue(t0.path("endedBy").isMissingNode(), t0.toString());
    JsonNode loss = null;
    for (JsonNode f : faults) {
      if (f.path("id").asText().equals("a1")) {
        loss = f;
      }
    }
    assertTrue(loss != null, faults.toString());
    assertEquals("api", loss.path("source").asText());
    assertEquals("api", loss.path("endedBy").asText());
    assertEquals("loss", loss.path("kind").asText());
    assertEquals(1, loss.path("index").asInt(), "after the file's one fault: " + loss);
    // the loss went through a's port like a timeline fault's, and its drops are counted
    assertTrue(ran.results().at("/totals").toString().contains("fault-loss"), ran.results().at("/totals").toString());
  }

  private FaultView view(String id) {
    return control.faults().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
  }

  private static FaultView done(Reply<FaultView> reply) {
    assertInstanceOf(Reply.Done.class, reply, "" + reply);
    return ((Reply.Done<FaultView>) reply).value();
  }

  static Reply<FaultView> reply(CompletionStage<Reply<FaultView>> stage) throws Exception {
    return stage.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  /** Polls {@code done} until it holds; a run that failed meanwhile fails with its cause. */
  static void await(BooleanSupplier done, CompletableFuture<?> run) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!done.getAsBoolean()) {
      if (run.isCompletedExceptionally()) {
        run.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE);
      }
      Thread.sleep(5);
    }
  }
}
