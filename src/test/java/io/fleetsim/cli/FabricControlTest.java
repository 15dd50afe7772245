package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.control.FaultView;
import io.fleetsim.control.Readings;
import io.fleetsim.control.Reply;
import io.fleetsim.control.Second;
import io.fleetsim.control.Status;
import io.fleetsim.control.VmAction;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fault.DisconnectFault;
import io.fleetsim.fault.Direction;
import io.fleetsim.fault.Fault;
import io.fleetsim.fault.FaultyPort;
import io.fleetsim.fault.LatencyFault;
import io.fleetsim.fault.LinkDownFault;
import io.fleetsim.fault.LossFault;
import io.fleetsim.netdev.NetdevStatus;
import io.fleetsim.netdev.Netdevs;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Ports;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FabricControl} over a switch in this JVM, wired as {@code fleetsim switch --api} wires
 * it: two listening socket netdevs, n1 and n2, each behind a {@link FaultyPort}, driven by framed
 * TCP clients over loopback.
 */
@Timeout(120)
class FabricControlTest {
  private static final long DEADLINE_MILLIS = 20_000;

  private final Clock clock = RealClock.system();
  private ActorSystem<Void> system;
  private FabricControl control;
  private FramedClient c1;
  private FramedClient c2;

  @BeforeEach
  void start() throws Exception {
    Settings settings = Settings.load(Optional.empty());
    system = ActorSystem.create(Behaviors.<Void>empty(), "fabric-control-test", settings.config());
    ActorRef<Fabric.Command> fabric = system.systemActorOf(
        Fabric.learningSwitch(settings.fabric(), clock), "switch-0", Props.empty());
    List<FabricControl.Member> members = new ArrayList<>();
    List<Integer> listen = new ArrayList<>();
    for (String id : List.of("n1", "n2")) {
      int port = Ports.free();
      listen.add(port);
      NetdevSpec spec = QemuCommandLine.parseNetdev("socket,id=" + id + ",listen=127.0.0.1:" + port);
      FabricPort fp = FabricPort.attach(fabric, settings.fabric(), id).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      FaultyPort faults = FaultyPort.networkPort(fp, clock);
      members.add(new FabricControl.Member("switch-0", id, spec.source(), fp.counters(), faults));
      CompletableFuture<NetdevStatus> status = new CompletableFuture<>();
      ActorRef<NetdevStatus> replyTo = system.systemActorOf(Behaviors.<NetdevStatus>receiveMessage(s -> {
        status.complete(s);
        return Behaviors.stopped();
      }), "status-" + id, Props.empty());
      system.systemActorOf(Netdevs.behavior(spec, faults, settings.netdev(), clock, replyTo),
          "netdev-" + id, Props.empty());
      assertInstanceOf(NetdevStatus.Ready.class, status.get(30, TimeUnit.SECONDS));
    }
    control = new FabricControl("switch", clock, system.executionContext(), members);
    assertEquals("starting", control.status().state());
    control.ready();
    c1 = FramedClient.connect("127.0.0.1", listen.get(0));
    c2 = FramedClient.connect("127.0.0.1", listen.get(1));
    await(() -> control.status().networks().get(0).ports().stream().allMatch(Status.PortView::peerUp));
    // a link is up before the fabric has its egress: retry the first frame until it gets through
    assertTrue(firstFrameGetsThrough(c1, c2, 1));
    assertTrue(firstFrameGetsThrough(c2, c1, 2));
  }

  @AfterEach
  void stop() throws Exception {
    if (c1 != null) {
      c1.close();
    }
    if (c2 != null) {
      c2.close();
    }
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void statusNamesTheSwitchItsNetworkAndEachNetdevWithItsPeer() {
    Status s = control.status();
    assertEquals("switch", s.kind());
    assertEquals("real", s.clock());
    assertEquals("running", s.state());
    assertTrue(s.elapsedSeconds() >= 0, s.toString());
    assertEquals(Optional.empty(), s.durationSeconds());
    assertEquals(0, s.vmCount());
    assertEquals(Optional.empty(), s.readOnly());
    assertEquals(1, s.networks().size());
    Status.NetworkView net = s.networks().get(0);
    assertEquals("switch-0", net.name());
    assertEquals(List.of("n1", "n2"), net.ports().stream().map(Status.PortView::name).toList());
    assertTrue(net.ports().get(0).peer().startsWith("socket,id=n1,listen=127.0.0.1:"),
        net.ports().get(0).peer());
  }

  @Test
  void lossOnAPortDropsWhatItsVmSendsUntilTheFaultIsEnded() throws Exception {
    FaultView on = done(control.add(fault("loss", "n1", Direction.OUT, LossFault.random(1))));
    assertEquals("a1", on.id());
    assertEquals("api", on.source());
    assertEquals("active", on.state());
    for (int i = 0; i < 20; i++) {
      c1.send(frame(1, i));
    }
    await(() -> drops("n1", "fault-loss") == 20);
    // what n1 sends is lost: nothing of it reaches n2; n2's frames still reach n1
    assertEquals(Optional.empty(), c2.receive(200));
    c2.send(frame(2, 7));
    assertArrayEquals(frame(2, 7), c1.receive(10_000).orElseThrow());

    FaultView off = done(control.endFault("a1"));
    assertEquals("ended", off.state());
    assertEquals(Optional.of("api"), off.periods().get(0).endedBy());
    assertTrue(off.periods().get(0).end().isPresent());
    c1.send(frame(1, 99));
    assertArrayEquals(frame(1, 99), c2.receive(10_000).orElseThrow());
    assertEquals(20, drops("n1", "fault-loss"));

    assertInstanceOf(Reply.Refused.class, control.endFault("a1").toCompletableFuture().get());
    assertInstanceOf(Reply.NotFound.class, control.endFault("a7").toCompletableFuture().get());
    assertInstanceOf(Reply.NotFound.class, control.endFault("t0").toCompletableFuture().get());
  }

  @Test
  void linkDownOnAPortDropsBothWays() throws Exception {
    done(control.add(fault("link-down", "n1", Direction.BOTH, new LinkDownFault())));
    c1.send(frame(1, 1));
    c2.send(frame(2, 1));
    await(() -> drops("n1", "link-down") == 2);
    assertEquals(Optional.empty(), c1.receive(100));
    assertEquals(Optional.empty(), c2.receive(100));
    done(control.endFault("a1"));
    c1.send(frame(1, 2));
    assertArrayEquals(frame(1, 2), c2.receive(10_000).orElseThrow());
    c2.send(frame(2, 2));
    assertArrayEquals(frame(2, 2), c1.receive(10_000).orElseThrow());
  }

  @Test
  void latencyOnAPortDelaysItsFrames() throws Exception {
    done(control.add(fault("latency", "n1", Direction.OUT, LatencyFault.of(Duration.ofMillis(400)))));
    long sent = System.nanoTime();
    c1.send(frame(1, 5));
    assertArrayEquals(frame(1, 5), c2.receive(10_000).orElseThrow());
    long tookMillis = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(tookMillis >= 400, tookMillis + " ms");
  }

  @Test
  void aFaultOnTheNetworkActsOnFramesEnteringItFromEveryPort() throws Exception {
    done(control.add(fault("loss", "switch-0", Direction.BOTH, LossFault.random(1))));
    c1.send(frame(1, 1));
    c2.send(frame(2, 1));
    // once, as frames enter: each is dropped on its way in, none on its way out
    await(() -> drops("n1", "fault-loss") == 1 && drops("n2", "fault-loss") == 1);
    assertEquals(Optional.empty(), c1.receive(100));
    assertEquals(Optional.empty(), c2.receive(100));
  }

  @Test
  void disconnectClosesTheClientsSocketAndEndsAtOnce() throws Exception {
    FaultView v = done(control.add(fault("disconnect", "n1", Direction.BOTH, new DisconnectFault())));
    assertEquals("ended", v.state());
    assertEquals(Optional.of(v.periods().get(0).start()), v.periods().get(0).end());
    assertThrows(IOException.class, () -> c1.receive(10_000));
    await(() -> !control.status().networks().get(0).ports().get(0).peerUp());
    assertInstanceOf(Reply.Refused.class, control.endFault("a1").toCompletableFuture().get());
  }

  @Test
  void idsCountUpInTheOrderPostedAndAVmActionIsNotFound() throws Exception {
    assertEquals("a1", done(control.add(fault("latency", "n1", Direction.OUT,
        LatencyFault.of(Duration.ofMillis(1))))).id());
    assertEquals("a2", done(control.add(fault("latency", "n2", Direction.IN,
        LatencyFault.of(Duration.ofMillis(1))))).id());
    assertEquals(List.of("a1", "a2"), control.faults().stream().map(FaultView::id).toList());
    Reply<FaultView> r = control.vmAction("web-1", VmAction.CRASH).toCompletableFuture().get();
    assertEquals("a switch has no VMs; put faults on its ports with POST /faults",
        ((Reply.NotFound<FaultView>) r).message());
  }

  @Test
  void aFaultForAWhileEndsByItselfAndEveryRepeatsIt() throws Exception {
    FaultView v = done(control.add(new Experiment.Fault(Duration.ZERO,
        Optional.of(Duration.ofMillis(200)), Optional.of(Duration.ofMillis(400)), "latency",
        Optional.of("n1"), Direction.OUT, LatencyFault.of(Duration.ofMillis(1)))));
    assertEquals("active", v.state());
    await(() -> control.faults().get(0).periods().size() >= 3);
    FaultView later = control.faults().get(0);
    FaultView.Period first = later.periods().get(0);
    double on = first.end().orElseThrow() - first.start();
    assertTrue(on >= 0.19 && on < 2, on + " s"); // 200 ms, and a busy host's delay
    assertEquals(Optional.empty(), first.endedBy());
    FaultView ended = done(control.endFault("a1"));
    assertEquals("ended", ended.state());
    int periods = ended.periods().size();
    // a repetition still to come is cancelled: a new one would show as a period
    c1.send(frame(1, 1));
    assertArrayEquals(frame(1, 1), c2.receive(10_000).orElseThrow());
    assertEquals(periods, control.faults().get(0).periods().size());
  }

  @Test
  void aVmFaultIsRefusedAndLeavesNothingBehind() throws Exception {
    Reply<FaultView> r = control.add(fault("crash", "n1", Direction.BOTH,
        new io.fleetsim.fault.CrashFault()));
    assertInstanceOf(Reply.Refused.class, r);
    assertEquals(List.of(), control.faults());
  }

  @Test
  void readingsAndTheSeriesCountFramesEachWay() throws Exception {
    // set-up sent one frame each way at least
    Readings r = control.readings();
    Readings.PortReading n1 = r.ports().get(0);
    assertEquals("switch-0", n1.network());
    assertEquals("n1", n1.port());
    assertEquals("", n1.vm());
    assertTrue(n1.framesIn() >= 1 && n1.framesOut() >= 1, n1.toString());
    assertEquals(60L * n1.framesIn(), n1.bytesIn());
    assertTrue(n1.drops().containsKey("no-peer"), n1.drops().toString());
    assertEquals(List.of(), r.links());
    await(() -> !control.series(1).isEmpty());
    await(() -> control.series(1).stream().mapToLong(Second::frames).sum()
        == control.readings().ports().stream().mapToLong(Readings.PortReading::framesOut).sum());
    Second first = control.series(1).get(0);
    assertEquals(1, first.second());
    assertEquals(Optional.empty(), first.rtt());
  }

  @Test
  void afterStopChangesAreRefusedAndFaultsStillOnHaveEnded() throws Exception {
    done(control.add(fault("loss", "n1", Direction.OUT, LossFault.random(1))));
    control.stop();
    assertEquals("stopping", control.status().state());
    assertEquals("ended", control.faults().get(0).state());
    assertTrue(control.faults().get(0).periods().get(0).end().isPresent());
    assertInstanceOf(Reply.Refused.class, control.add(fault("loss", "n1", Direction.OUT,
        LossFault.random(1))));
  }

  @Test
  void postedBodiesAreValidatedAsTheFileIs() throws Exception {
    Reply<FaultView> crash = control.addFault("{\"kind\": \"crash\", \"target\": \"n1\"}")
        .toCompletableFuture().get();
    assertInstanceOf(Reply.Invalid.class, crash);
    assertEquals("target", ((Reply.Invalid<FaultView>) crash).errors().get(0).path(), crash.toString());
    Reply<FaultView> unknown = control.addFault("{\"kind\": \"loss\", \"target\": \"n9\", "
        + "\"probability\": 1}").toCompletableFuture().get();
    assertEquals("target", ((Reply.Invalid<FaultView>) unknown).errors().get(0).path(),
        unknown.toString());
    assertEquals(List.of(), control.faults());
    FaultView loss = done(control.addFault(
        "{\"kind\": \"loss\", \"target\": \"n1\", \"probability\": 1, \"direction\": \"out\"}")
        .toCompletableFuture().get());
    assertEquals("a1", loss.id());
    c1.send(frame(1, 3));
    await(() -> drops("n1", "fault-loss") == 1);
    FaultView down = done(control.addFault("{\"kind\": \"link-down\", \"target\": \"n2\", "
        + "\"for\": \"30s\"}").toCompletableFuture().get());
    assertEquals("a2", down.id());
    c2.send(frame(2, 3));
    await(() -> drops("n2", "link-down") == 1);
  }

  // --- helpers

  private static Experiment.Fault fault(String kind, String target, Direction direction,
      Fault fault) {
    return new Experiment.Fault(Duration.ZERO, Optional.empty(), Optional.empty(), kind,
        Optional.of(target), direction, fault);
  }

  private static FaultView done(Reply<FaultView> reply) {
    assertInstanceOf(Reply.Done.class, reply, reply.toString());
    return ((Reply.Done<FaultView>) reply).value();
  }

  private static FaultView done(java.util.concurrent.CompletionStage<Reply<FaultView>> reply)
      throws Exception {
    return done(reply.toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  private long drops(String port, String cause) {
    for (Readings.PortReading p : control.readings().ports()) {
      if (p.port().equals(port)) {
        return p.drops().getOrDefault(cause, 0L);
      }
    }
    throw new AssertionError("no port " + port);
  }

  /** A broadcast of 60 bytes from sender {@code from}, numbered {@code n}. */
  private static byte[] frame(int from, int n) {
    byte[] f = new byte[60];
    for (int i = 0; i < 6; i++) {
      f[i] = (byte) 0xFF;
    }
    f[6] = 2;
    f[11] = (byte) from;
    f[12] = 0x08;
    f[14] = (byte) n;
    return f;
  }

  private static boolean firstFrameGetsThrough(FramedClient from, FramedClient to, int tag)
      throws IOException {
    long end = System.currentTimeMillis() + DEADLINE_MILLIS;
    while (System.currentTimeMillis() < end) {
      from.send(frame(tag, 0));
      Optional<byte[]> got = to.receive(200);
      if (got.isPresent()) {
        // drain copies of the retries already on their way
        while (to.receive(200).isPresent()) {
          // nothing
        }
        return true;
      }
    }
    return false;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.currentTimeMillis() + DEADLINE_MILLIS;
    while (!condition.getAsBoolean()) {
      assertFalse(System.currentTimeMillis() > end, "condition not met within the deadline");
      Thread.sleep(10);
    }
  }
}
