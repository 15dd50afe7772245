package io.fleetsim.cli;

import io.fleetsim.capture.PcapWriter;
import io.fleetsim.time.Clock;
import io.fleetsim.vm.Vm;
import io.fleetsim.vm.VmEvent;
import io.fleetsim.vm.VmReport;
import java.io.File;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A running {@code fleetsim vm}: one VM actor, its events turned into output and an exit status.
 * States: starting (until every netdev is up and the guest has booted), running (until the
 * finite workloads end or a stop signal), stopping (workloads stopped, stats written).
 */
final class VmProcess {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  /** A stop signal, delivered through the same queue as the VM's events. */
  private record StopRequested() {}

  private VmProcess() {}

  static int run(VmSetup setup, Settings settings, Clock clock, Optional<File> stats)
      throws Exception {
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    Signals.onStop(() -> inbox.add(new StopRequested()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.<Void>empty(), "fleetsim", settings.config());
    try {
      ActorRef<VmEvent> events = system.systemActorOf(
          Behaviors.<VmEvent>receiveMessage(e -> {
            inbox.add(e);
            return Behaviors.same();
          }), "vm-events", Props.empty());
      ActorRef<Vm.Command> vm = system.systemActorOf(
          Vm.create(setup.spec(), setup.guest(), clock, settings.netdev(), settings.vm().nic(),
              line -> System.out.println(line), events),
          "vm-" + setup.spec().name(), Props.empty());

      // a stop while the VM starts waits for the start (a VM stopped half-started would still be
      // starting its streams), then stops it as it would later: workloads, --stats and all
      boolean stopped = false;
      long deadline = clock.nanos() + START_TIMEOUT.toNanos();
      Object first = inbox.poll(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      while (first instanceof StopRequested) {
        stopped = true;
        first = inbox.poll(Math.max(0, deadline - clock.nanos()), TimeUnit.NANOSECONDS);
      }
      if (first instanceof VmEvent.StartFailed failed) {
        throw new UsageError(failed.reason());
      }
      if (!(first instanceof VmEvent.Ready)) {
        throw new UsageError("VM " + setup.spec().name() + " did not start within "
            + START_TIMEOUT.toSeconds() + " s");
      }

      int status = 0;
      while (!stopped) {
        Object next = inbox.take();
        if (next instanceof StopRequested) {
          break;
        }
        if (next instanceof VmEvent.Finished finished) {
          status = finished.success() ? 0 : 1;
          break;
        }
      }
      ask(system, vm, Vm.Shutdown::new);
      if (stats.isPresent()) {
        VmReport report = ask(system, vm, Vm.GetReport::new);
        if (!Json.write(stats.get(), report)) {
          status = 1;
        }
      }
      return status;
    } finally {
      setup.captures().forEach(PcapWriter::close);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static <T> T ask(ActorSystem<?> system, ActorRef<Vm.Command> vm,
      java.util.function.Function<ActorRef<T>, Vm.Command> request) throws Exception {
    return AskPattern.ask(vm, request::apply, ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().get(ASK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
  }
}
