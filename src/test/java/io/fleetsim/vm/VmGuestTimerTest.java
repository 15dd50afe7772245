package io.fleetsim.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.os.GuestOs;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.guest.Link;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.time.RealClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Guest timers of a real VM actor: "as soon as possible" ones (delay 0 or less) run after the
 * current work, in the order they were asked for, and a cancelled one never runs.
 */
class VmGuestTimerTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A guest that only schedules timers and writes down what ran, in order. */
  private static final class TimerGuest implements GuestOs {
    final List<String> ran = new ArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public void boot(GuestEnv env, List<Link> links, Consumer<Boolean> finished) {
      env.schedule(0, () -> ran.add("a"));
      GuestEnv.Cancellable b = env.schedule(0, () -> ran.add("b"));
      env.schedule(0, () -> {
        ran.add("c");
        env.schedule(0, () -> ran.add("d"));
      });
      GuestEnv.Cancellable f = env.schedule(10_000_000L, () -> ran.add("f"));
      env.schedule(-1, f::cancel); // a negative delay is "now" too
      env.schedule(50_000_000L, () -> {
        ran.add("e");
        done.complete(List.copyOf(ran));
        finished.accept(true);
      });
      b.cancel();
      ran.add("boot-end");
    }

    @Override
    public void shutdown() {}

    @Override
    public GuestReport report() {
      return new GuestReport(List.of(), List.of());
    }
  }

  @Test
  void zeroDelayTimersRunAfterTheCurrentWorkInOrderAndCancelledOnesNever() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> hub = testKit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort port = FabricPort.attach(hub, settings, "p0")
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    VmSpec spec = VmRig.oneNic("t", 1000, MacAddress.QEMU_DEFAULT, new NicSpec.FabricPort(port));
    TimerGuest guest = new TimerGuest();
    TestProbe<VmEvent> events = testKit.createTestProbe();
    testKit.spawn(Vm.create(spec, guest, RealClock.system(), NetdevSettings.defaults(),
        E1000Nic.Settings.defaults(), line -> {}, events.ref()));

    assertEquals(List.of("boot-end", "a", "c", "d", "e"), guest.done.get(30, TimeUnit.SECONDS));
  }
}
