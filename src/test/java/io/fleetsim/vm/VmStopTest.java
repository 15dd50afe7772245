package io.fleetsim.vm;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.os.GuestOs;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.guest.Link;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A VM that stops (a crash) leaves no guest timer behind on its clock. */
class VmStopTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final long AN_HOUR = TimeUnit.HOURS.toNanos(1);
  private static final long PATIENCE_SECONDS = 30;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** The host's clock, noting when a timer an hour or more away is cancelled. */
  private static final class WatchedClock implements Clock {
    @Override
    public boolean await(java.util.function.BooleanSupplier done, long deadlineNanos) {
      throw new UnsupportedOperationException("not a run's clock");
    }

    final CountDownLatch longTimerCancelled = new CountDownLatch(1);

    @Override
    public long nanos() {
      return RealClock.system().nanos();
    }

    @Override
    public Instant instant() {
      return RealClock.system().instant();
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
      Timer timer = RealClock.system().schedule(delayNanos, task);
      return () -> {
        timer.cancel();
        if (delayNanos >= AN_HOUR) {
          longTimerCancelled.countDown();
        }
      };
    }
  }

  /** A guest that sets one timer an hour away at boot. */
  private static final class SleepyGuest implements GuestOs {
    final CountDownLatch booted = new CountDownLatch(1);

    @Override
    public void boot(GuestEnv env, List<Link> links, Consumer<Boolean> finished) {
      env.schedule(AN_HOUR, () -> { });
      booted.countDown();
    }

    @Override
    public void shutdown() {}

    @Override
    public GuestReport report() {
      return new GuestReport(List.of(), List.of());
    }
  }

  @Test
  void aCrashCancelsTheGuestsPendingTimers() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> hub = testKit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort port = FabricPort.attach(hub, settings, "p0")
        .toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    VmSpec spec = VmRig.oneNic("stop", 1000, MacAddress.QEMU_DEFAULT, new NicSpec.FabricPort(port));
    WatchedClock clock = new WatchedClock();
    SleepyGuest guest = new SleepyGuest();
    TestProbe<VmEvent> events = testKit.createTestProbe();
    ActorRef<Vm.Command> vm = testKit.spawn(Vm.create(spec, guest, clock, NetdevSettings.defaults(),
        E1000Nic.Settings.defaults(), line -> { }, events.ref()));
    assertInstanceOf(VmEvent.Ready.class, events.receiveMessage(Duration.ofSeconds(PATIENCE_SECONDS)));
    assertTrue(guest.booted.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "the guest booted");

    vm.tell(Vm.Crash.INSTANCE);
    assertTrue(clock.longTimerCancelled.await(PATIENCE_SECONDS, TimeUnit.SECONDS),
        "the hour-long guest timer was cancelled when the VM stopped");
  }
}
