package io.fleetsim.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.os.GuestOs;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.guest.Link;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.testing.Ports;
import io.fleetsim.time.RealClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the runner tells a VM while it starts (its netdev not up yet) is not lost: it takes effect
 * once the VM runs, after the guest's boot.
 *
 * <p>"While it starts" is made certain, not likely: the VM and the actor that spawns it share one
 * thread, and the spawner sends the messages before it returns that thread, so they are in the
 * VM's mailbox before the VM has even spawned its netdev, let alone heard that it is up.
 */
class VmStartingTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
      "one-thread { type = Dispatcher, executor = thread-pool-executor,"
          + " thread-pool-executor.fixed-pool-size = 1 }")
      .withFallback(ConfigFactory.load()));
  private static final DispatcherSelector ONE_THREAD = DispatcherSelector.fromConfig("one-thread");
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A guest that writes down what the VM asked of it, in order. */
  private static final class RecordingGuest implements GuestOs {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch booted = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);

    @Override
    public void boot(GuestEnv env, List<Link> links, Consumer<Boolean> finished) {
      calls.add("boot");
      booted.countDown();
    }

    @Override
    public void release() {
      calls.add("release");
      released.countDown();
    }

    @Override
    public void shutdown() {
      calls.add("shutdown");
    }

    @Override
    public GuestReport report() {
      return new GuestReport(List.of(), List.of());
    }
  }

  /**
   * Spawns a VM whose NIC is on a listening stream netdev, sends it {@code early} before it can
   * have started, and returns it once it has said Ready.
   */
  private static ActorRef<Vm.Command> startWith(RecordingGuest guest, Vm.Command... early)
      throws Exception {
    String netdev = "socket,id=n0,listen=127.0.0.1:" + Ports.free();
    VmSpec spec = VmRig.oneNic("early", 1000, MacAddress.QEMU_DEFAULT,
        new NicSpec.Netdev(QemuCommandLine.parseNetdev(netdev)));
    TestProbe<VmEvent> events = testKit.createTestProbe();
    TestProbe<ActorRef<Vm.Command>> spawned = testKit.createTestProbe();
    Behavior<Void> spawner = Behaviors.setup(context -> {
      ActorRef<Vm.Command> vm = context.spawn(Vm.create(spec, guest, RealClock.system(),
          NetdevSettings.defaults(), E1000Nic.Settings.defaults(), line -> { }, events.getRef()),
          "vm", ONE_THREAD);
      for (Vm.Command command : early) {
        vm.tell(command);
      }
      spawned.getRef().tell(vm);
      return Behaviors.empty();
    });
    testKit.spawn(spawner, ONE_THREAD);
    ActorRef<Vm.Command> vm = spawned.receiveMessage(PATIENCE);
    assertInstanceOf(VmEvent.Ready.class, events.receiveMessage(PATIENCE));
    return vm;
  }

  @Test
  void startWorkloadsSentWhileStartingReleasesTheGuestAfterItsBoot() throws Exception {
    RecordingGuest guest = new RecordingGuest();
    startWith(guest, Vm.StartWorkloads.INSTANCE);

    assertTrue(guest.released.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "released");
    assertEquals(List.of("boot", "release"), List.copyOf(guest.calls));
  }

  @Test
  void aPauseSentWhileStartingHoldsTheGuestsBootUntilResume() throws Exception {
    RecordingGuest guest = new RecordingGuest();
    ActorRef<Vm.Command> vm = startWith(guest, Vm.Pause.INSTANCE);

    // Shutdown is answered on the VM's thread whatever the vCPU does: what the guest has been
    // asked by then shows whether it booted while paused
    TestProbe<Boolean> done = testKit.createTestProbe();
    vm.tell(new Vm.Shutdown(done.getRef()));
    done.receiveMessage(PATIENCE);
    assertEquals(List.of("shutdown"), List.copyOf(guest.calls), "no boot while paused");

    vm.tell(Vm.Resume.INSTANCE);
    assertTrue(guest.booted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "booted on resume");
    assertEquals(List.of("shutdown", "boot"), List.copyOf(guest.calls));
  }
}
