package io.fleetsim.experiment.run;

import static io.fleetsim.experiment.run.RunControlTest.EXPERIMENT;
import static io.fleetsim.experiment.run.RunControlTest.PATIENCE;
import static io.fleetsim.experiment.run.RunControlTest.await;
import static io.fleetsim.experiment.run.RunControlTest.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.control.Control;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Reply;
import io.fleetsim.control.Status;
import io.fleetsim.control.VmAction;
import io.fleetsim.time.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link RunControlTest}'s experiment in virtual time: every change refused, reads answered. */
class RunControlVirtualTest {

  @Test
  void aVirtualClockRunRefusesChangesButAnswersReads() throws Exception {
    Path virtualDir = Files.createTempDirectory("run-control-virtual");
    try {
      AtomicReference<Control> made = new AtomicReference<>();
      CompletableFuture<RunHarness.Ran> run = RunHarness.start(EXPERIMENT.replace("clock = real", ""),
          virtualDir, Collections.synchronizedList(new ArrayList<>()), VirtualClock.create(),
          r -> made.set(r.control()));
      await(() -> made.get() != null, run);
      Control v = made.get();
      assertEquals(new Reply.Refused<>(RunControl.VIRTUAL), reply(v.vmAction("a", VmAction.CRASH)));
      run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertEquals(new Reply.Refused<>(RunControl.VIRTUAL), reply(v.addFault("{}")));
      assertEquals(new Reply.Refused<>(RunControl.VIRTUAL), reply(v.endFault("t0")));
      Status s = v.status();
      assertEquals("virtual", s.clock());
      assertEquals("ended", s.state());
      assertEquals(Optional.of(RunControl.VIRTUAL), s.readOnly());
      assertEquals(6.0, s.elapsedSeconds(), 1e-9);
      assertEquals(1, s.networks().size());
      List<FaultView> faults = v.faults();
      assertEquals(1, faults.size());
      assertEquals("ended", faults.get(0).state());
      assertEquals(0.5, faults.get(0).periods().get(0).start(), 1e-9);
      assertEquals(6, v.series(1).size());
    } finally {
      try (var files = Files.walk(virtualDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

}
