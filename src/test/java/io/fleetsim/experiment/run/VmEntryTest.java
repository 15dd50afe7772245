package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

class VmEntryTest {

  /** results.json says why a VM gave no report in the same words on every run. */
  @Test
  void aVmThatDidNotAnswerIsReportedInTheSameWordsOnEveryRun() throws Exception {
    List<String> errors = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fleetsim");
      try {
        ActorRef<Object> silent = system.systemActorOf(Behaviors.ignore(), "vm-a-1", Props.empty());
        CompletableFuture<Object> ask = AskPattern.<Object, Object>ask(silent, replyTo -> "report?",
            Duration.ofMillis(50), system.scheduler()).toCompletableFuture();
        ExecutionException failure = assertThrows(ExecutionException.class,
            () -> ask.get(30, TimeUnit.SECONDS));
        // what the ask says names the actor with its uid, which differs from run to run
        assertTrue(failure.getCause().getMessage().contains("vm-a-1#"), failure.toString());
        errors.add(VmEntry.NoReport.of("a-1", "no report", failure).error());
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
    assertEquals(List.of("no report: the VM did not answer in time",
        "no report: the VM did not answer in time"), errors);
  }

  @Test
  void anyOtherFailureIsReportedAsItIs() {
    assertEquals("no report at the crash: java.lang.IllegalStateException: stopped",
        VmEntry.NoReport.of("a-1", "no report at the crash",
            new ExecutionException(new IllegalStateException("stopped"))).error());
  }
}
