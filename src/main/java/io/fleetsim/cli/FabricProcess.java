package io.fleetsim.cli;

import io.fleetsim.api.ApiException;
import io.fleetsim.api.ApiServer;
import io.fleetsim.api.ApiSettings;
import io.fleetsim.capture.CaptureException;
import io.fleetsim.capture.PcapWriter;
import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fault.FaultyPort;
import io.fleetsim.link.FrameTap;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortStats;
import io.fleetsim.link.TappedPort;
import io.fleetsim.netdev.NetdevStatus;
import io.fleetsim.netdev.Netdevs;
import io.fleetsim.netdev.Splice;
import io.fleetsim.qemu.FilterDumpSpec;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.QemuConfig;
import io.fleetsim.time.Clock;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A running {@code fleetsim hub} or {@code fleetsim switch}: its fabrics (one per hub id), one port
 * per netdev, captures, and the report printed when it is stopped.
 */
final class FabricProcess {

  enum Kind {
    HUB("hub"), SWITCH("switch");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Kind kind;
  private final QemuConfig config;
  private final Settings settings;
  private final Clock clock;
  private final Optional<File> statsFile;
  private final PrintStream out;
  private final Optional<ApiSettings> api;
  private FabricControl control; // with --api, once the ports exist
  private ApiServer server;
  private final List<FabricPort> ports = new ArrayList<>();
  private final List<PcapWriter> captures = new ArrayList<>();
  private ActorSystem<Void> system;
  private volatile boolean statsWritten = true;
  private volatile boolean stopRequested;
  private volatile boolean running;

  private FabricProcess(Kind kind, QemuConfig config, Settings settings, Clock clock,
      Optional<File> statsFile, Optional<ApiSettings> api, PrintStream out) {
    this.kind = kind;
    this.config = config;
    this.settings = settings;
    this.clock = clock;
    this.statsFile = statsFile;
    this.out = out;
    this.api = api;
  }

  /** Starts everything, waits for a stop signal, reports, and returns the exit status. */
  static int run(Kind kind, QemuConfig config, Settings settings, Clock clock,
      Optional<File> stats, Optional<ApiSettings> api) throws Exception {
    FabricProcess process = new FabricProcess(kind, config, settings, clock, stats, api,
        System.out);
    // before start-up: "ready" is printed inside it, and a script may signal as soon as it sees it
    Signals.onStop(process::stop);
    process.start();
    process.running = true;
    if (process.stopRequested) {
      process.stop(); // it came during start-up: stop now that there is something to stop
    }
    process.system.getWhenTerminated().toCompletableFuture().get();
    return process.statsWritten ? 0 : 1;
  }

  private void start() throws Exception {
    Map<String, List<FrameTap>> taps = openCaptures();
    system = ActorSystem.create(Behaviors.<Void>empty(), "fleetsim", settings.config());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "fleetsim-report", () -> {
          report();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    try {
      Map<Integer, ActorRef<Fabric.Command>> fabrics = new TreeMap<>();
      List<CompletableFuture<NetdevStatus>> statuses = new ArrayList<>();
      List<NetdevSpec> backends = backends();
      Map<Integer, List<Integer>> byHub = new TreeMap<>();
      for (NetdevSpec spec : backends) {
        int hubId = hubOf(spec.id());
        ActorRef<Fabric.Command> fabric = fabrics.computeIfAbsent(hubId, id ->
            system.systemActorOf(kind == Kind.HUB ? Fabric.hub(settings.fabric(), clock)
                : Fabric.learningSwitch(settings.fabric(), clock), kind.label() + "-" + id,
                Props.empty()));
        FabricPort port = FabricPort.attach(fabric, settings.fabric(), spec.id())
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        ports.add(port);
        byHub.computeIfAbsent(hubId, id -> new ArrayList<>()).add(ports.size() - 1);
      }
      List<Port> netdevPorts = new ArrayList<>();
      List<FabricControl.Member> members = new ArrayList<>();
      for (int i = 0; i < backends.size(); i++) {
        Port port = ports.get(i);
        if (api.isPresent()) {
          // the API's faults act between the netdev and the fabric, as on an experiment's
          // network port; without --api the frame path stays as it was
          NetdevSpec spec = backends.get(i);
          FaultyPort faults = FaultyPort.networkPort(port, clock);
          members.add(new FabricControl.Member(kind.label() + "-" + hubOf(spec.id()), spec.id(),
              spec.source(), port.counters(), faults));
          port = faults;
        }
        netdevPorts.add(TappedPort.of(port, taps.getOrDefault(backends.get(i).id(), List.of())));
      }
      if (api.isPresent()) {
        control = new FabricControl(kind.label(), clock, system.executionContext(), members);
      }
      for (List<Integer> hub : byHub.values()) {
        if (control == null && spliceable(hub, backends, taps)) { // a splice bypasses the faults
          List<Port> spliced = Splice.pair(ports.get(hub.get(0)), ports.get(hub.get(1)),
              settings.netdev());
          netdevPorts.set(hub.get(0), spliced.get(0));
          netdevPorts.set(hub.get(1), spliced.get(1));
        }
      }
      for (int i = 0; i < backends.size(); i++) {
        statuses.add(startNetdev(backends.get(i), netdevPorts.get(i)));
      }
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < statuses.size(); i++) {
        NetdevSpec spec = backends.get(i);
        NetdevStatus status;
        try {
          status = statuses.get(i).get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          status = new NetdevStatus.Failed(spec.id(), "did not start within " + START_TIMEOUT.toSeconds() + " s");
        }
        if (status instanceof NetdevStatus.Failed failed) {
          failures.add("-netdev " + spec.source() + ": " + failed.reason());
        } else {
          out.println("netdev " + spec.id() + ": " + ((NetdevStatus.Ready) status).description());
        }
      }
      if (!failures.isEmpty()) {
        throw new UsageError(String.join(System.lineSeparator() + "fleetsim: ", failures));
      }
      out.println(kind.label() + " ready: " + ports.size() + " port" + (ports.size() == 1 ? "" : "s")
          + (fabrics.size() > 1 ? " on " + fabrics.size() + " " + kind.label() + "es" : ""));
      out.flush();
      if (control != null) {
        startApi(api.get());
      }
    } catch (Exception | Error e) {
      ports.clear(); // nothing ran: no report
      if (server != null) {
        server.close();
      }
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw e;
    }
  }

  private void startApi(ApiSettings settings) {
    control.ready();
    try {
      server = ApiServer.start(control, settings);
    } catch (ApiException e) {
      throw new UsageError("--api: " + e.getMessage());
    }
    out.println("api listening on " + server.address());
    if (!settings.loopback()) {
      out.println("warning: the API listens on " + settings.host()
          + ", which is not a loopback address");
    }
    out.flush();
  }

  /**
   * Whether the hub of these two ports ({@code hub}: indexes into {@code backends}) can forward
   * socket to socket: each frame can only go to the one other stream socket, and no capture
   * needs to see it.
   */
  private boolean spliceable(List<Integer> hub, List<NetdevSpec> backends,
      Map<String, List<FrameTap>> taps) {
    if (kind != Kind.HUB || !settings.fabric().splice() || hub.size() != 2) {
      return false;
    }
    for (int i : hub) {
      NetdevSpec spec = backends.get(i);
      if (!Splice.supports(spec) || taps.containsKey(spec.id())) {
        return false;
      }
    }
    return true;
  }

  /** Netdevs that carry frames; hubport entries only say which hub a netdev is on. */
  private List<NetdevSpec> backends() {
    List<NetdevSpec> result = new ArrayList<>();
    for (NetdevSpec spec : config.netdevs()) {
      if (!(spec instanceof NetdevSpec.Hubport)) {
        result.add(spec);
      }
    }
    return result;
  }

  private int hubOf(String netdevId) {
    for (NetdevSpec spec : config.netdevs()) {
      if (spec instanceof NetdevSpec.Hubport hp && hp.netdev().filter(netdevId::equals).isPresent()) {
        return hp.hubId();
      }
    }
    return 0;
  }

  private Map<String, List<FrameTap>> openCaptures() {
    Map<String, List<FrameTap>> taps = new LinkedHashMap<>();
    for (FilterDumpSpec dump : config.dumps()) {
      PcapWriter writer;
      try {
        writer = PcapWriter.open(dump.id(), Path.of(dump.file()), dump.maxlen(), clock);
      } catch (CaptureException e) {
        captures.forEach(PcapWriter::close);
        throw new UsageError(dump.source() + ": " + e.getMessage());
      }
      captures.add(writer);
      taps.computeIfAbsent(dump.netdev(), k -> new ArrayList<>()).add(writer);
    }
    return taps;
  }

  private CompletableFuture<NetdevStatus> startNetdev(NetdevSpec spec, Port port) {
    CompletableFuture<NetdevStatus> status = new CompletableFuture<>();
    ActorRef<NetdevStatus> replyTo = system.systemActorOf(
        Behaviors.<NetdevStatus>receiveMessage(s -> {
          status.complete(s);
          return Behaviors.stopped();
        }), "status-" + spec.id(), Props.empty());
    spawn(Netdevs.behavior(spec, port, settings.netdev(), clock, replyTo), "netdev-" + spec.id());
    return status;
  }

  private <T> void spawn(Behavior<T> behavior, String name) {
    system.systemActorOf(behavior, name, Props.empty());
  }

  /** From the signal thread; during start-up only noted, so that start-up gets to its end. */
  private void stop() {
    stopRequested = true;
    if (running) {
      CoordinatedShutdown.get(system).run(CoordinatedShutdown.jvmExitReason());
    }
  }

  /** Flushes captures, prints per-port counters and writes --stats. Runs once, at shutdown. */
  private void report() {
    if (control != null) {
      control.stop(); // the faults still on end now, before the counters are read
    }
    if (server != null) {
      server.close();
    }
    for (PcapWriter capture : captures) {
      capture.close();
    }
    if (ports.isEmpty()) {
      return;
    }
    List<PortStats> stats = new ArrayList<>();
    for (FabricPort port : ports) {
      stats.add(port.counters().snapshot(port.name()));
    }
    out.print(CounterTable.render(stats));
    out.flush();
    if (statsFile.isPresent()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("fabric", kind.label());
      json.put("ports", stats);
      if (control != null) {
        json.put("faults", control.faults());
      }
      statsWritten = Json.write(statsFile.get(), json);
    }
  }
}
