package io.fleetsim.experiment.run;

import io.fleetsim.capture.CaptureException;
import io.fleetsim.capture.PcapWriter;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.link.FrameTap;
import io.fleetsim.link.TappedPort;
import io.fleetsim.link.WiredPort;
import io.fleetsim.fault.FaultyPort;
import io.fleetsim.guest.os.GuestSystem;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.Neighbours;
import io.fleetsim.guest.Routing;
import io.fleetsim.netdev.NetdevStatus;
import io.fleetsim.netdev.Netdevs;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.time.Clock;
import io.fleetsim.vm.NicSpec;
import io.fleetsim.vm.VmDefaults;
import io.fleetsim.vm.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Builds an experiment's world in one actor system: a fabric per network (and per multicast group
 * its fleets share: the in-process bus), the networks' QEMU ports (started, and waited for), and
 * for every VM a fabric port wrapped in a fault chain, its NIC tap, and the VM itself (not yet
 * booted). Captures are opened here so a bad path fails before anything runs.
 */
final class Wiring {
  private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofSeconds(30);

  private final Experiment experiment;
  private final ExperimentRun.Machine machine;
  private final Clock clock;
  private final ActorSystem<Void> system;
  private final Path folder;
  private final Consumer<String> say;
  final Map<String, ActorRef<Fabric.Command>> fabrics = new LinkedHashMap<>();
  final List<ExternalPort> externalPorts = new ArrayList<>();
  final List<Link> links = new ArrayList<>();
  /** The links between networks ({@code links}), in file order. */
  final List<Interlink> interlinks = new ArrayList<>();
  final Map<String, FleetVm> vms = new LinkedHashMap<>();
  final List<PcapWriter> captures = new ArrayList<>();
  /** Every VM's stacks report their TCP goodput and retransmissions here (the run's series). */
  final RunMeter meter = new RunMeter();

  Wiring(Experiment experiment, ExperimentRun.Machine machine, Clock clock,
      ActorSystem<Void> system, Path folder, Consumer<String> say) {
    this.experiment = experiment;
    this.machine = machine;
    this.clock = clock;
    this.system = system;
    this.folder = folder;
    this.say = say;
  }

  /** Everything but booting the VMs; a port that does not start is a RunException. */
  void build(java.util.function.Function<String, Consumer<String>> consoles) throws RunException {
    Map<String, List<FrameTap>> taps = openCaptures();
    for (Experiment.Network network : experiment.networks().values()) {
      fabric(network.name(), network.type() == Experiment.NetworkType.SWITCH);
    }
    startExternalPorts(taps);
    Map<String, FabricPort> ports = attachVms();
    for (Experiment.Fleet fleet : experiment.fleets().values()) {
      double mhz = fleet.cpuMhz().isPresent() ? fleet.cpuMhz().getAsLong() : machine.vm().cpuMhz();
      for (Experiment.Vm vm : fleet.vms()) {
        List<NicSpec> nics = new ArrayList<>();
        List<GuestSystem.InterfaceSetup> setups = new ArrayList<>();
        List<PendingLink> pending = new ArrayList<>();
        for (Experiment.Nic n : vm.nics()) {
          MacAddress mac = MacAddress.tryParse(n.mac()).orElseThrow();
          NicTap tap = new NicTap();
          List<FrameTap> nicTaps = new ArrayList<>();
          nicTaps.add(tap);
          nicTaps.addAll(taps.getOrDefault(captureKey(vm, n), List.of()));
          Optional<String> network = networkOf(n.attachment(), fleet.bridge());
          Neighbours neighbours = fleet.arp() == Experiment.Arp.STATIC && network.isPresent()
              ? neighbours(network.get()) : Neighbours.NONE;
          if (network.isPresent()) {
            FabricPort port = ports.get(linkName(vm, n));
            if (fleet.arp() == Experiment.Arp.STATIC) {
              // provisioned L2 both ways: the guests know their neighbours, the switch knows the VMs
              port.addStaticAddress(mac);
            }
            FaultyPort faults = new FaultyPort(port, clock);
            WiredPort wire = wire(network.get(), faults);
            CrashLoss nicEnd = new CrashLoss(wire, tap::received);
            nics.add(new NicSpec(n.id(), mac, new NicSpec.FabricPort(nicEnd), nicTaps));
            pending.add(new PendingLink(linkName(vm, n), network.get(), tap, port, faults, wire,
                nicEnd));
          } else {
            // the NIC's own QEMU netdev (a socket connect, a udp= peer): its far end is outside
            nics.add(new NicSpec(n.id(), mac,
                new NicSpec.Netdev(((Experiment.ToNetdev) n.attachment()).netdev()), nicTaps));
          }
          setups.add(new GuestSystem.InterfaceSetup(n.ip(), n.dhcp(), neighbours));
        }
        VmDefaults d = machine.vm();
        VmSpec spec = new VmSpec(vm.name(), d.memoryBytes(), mhz, d.costs(), d.burst().toNanos(),
            d.driver(), nics, VmSpec.seed(experiment.seed(), vm.name()));
        Routing routing = vm.routing();
        FleetVm fleetVm = new FleetVm(vm.name(), fleet.name(), spec,
            () -> new GuestSystem(setups, vm.workloads(), true, meter, routing),
            consoles.apply(vm.name()), clock);
        vms.put(vm.name(), fleetVm);
        for (PendingLink l : pending) {
          links.add(new Link(l.name(), l.network(), fleetVm, l.tap(), l.port(), l.faults(),
              l.wire(), l.nicEnd()));
        }
      }
    }
    interlinks();
    refuseLinkFaultsWithoutLinks();
  }

  /** A fabric port on each of a link's networks, joined by its wires (after the VMs' ports). */
  private void interlinks() throws RunException {
    int index = 0;
    boolean virtual = clock instanceof io.fleetsim.time.VirtualClock;
    for (Experiment.NetworkLink spec : experiment.links().values()) {
      FabricPort a = attach(spec.a(), spec.name());
      FabricPort b = attach(spec.b(), spec.name());
      Interlink link = new Interlink(spec, a, b, Interlink.seed(experiment.seed(), index++),
          virtual, clock);
      link.start(system);
      interlinks.add(link);
    }
  }

  private record PendingLink(String name, String network, NicTap tap, FabricPort port,
      FaultyPort faults, WiredPort wire, CrashLoss nicEnd) {}

  /** {@code VM/ethK}: a link's name in results. */
  static String linkName(Experiment.Vm vm, Experiment.Nic nic) {
    return vm.name() + "/" + nic.id();
  }

  /**
   * The capture file a NIC's frames go to: NAME for eth0, NAME-ethK for the others (one pcap per
   * NIC: a pcap has one link, and a router's two sides would otherwise interleave).
   */
  private static String captureKey(Experiment.Vm vm, Experiment.Nic nic) {
    return nic.id().equals("eth0") ? vm.name() : vm.name() + "-" + nic.id();
  }

  /**
   * The cable between a VM's NIC and its network's port (a multicast bus has the default one):
   * next to the NIC, so frames on it when the VM crashes are the crash's loss at the NIC's end.
   */
  private WiredPort wire(String network, FaultyPort faults) {
    Experiment.Network n = experiment.networks().get(network);
    java.time.Duration latency = n == null ? Experiment.Network.DEFAULT_LATENCY : n.latency();
    long rate = n == null ? Experiment.Network.DEFAULT_RATE : n.rateBitsPerSecond();
    // in real time the host's own speed stands in for the rate: sub-microsecond serialisation is
    // below what its timers can do
    boolean modelRate = clock instanceof io.fleetsim.time.VirtualClock;
    return WiredPort.of(faults, latency.toNanos(), rate, modelRate, clock);
  }

  /**
   * A frame fault on a VM that has no in-process link (its NICs are all on netdevs of their own)
   * could not act; on a VM with some, it acts on those.
   */
  private void refuseLinkFaultsWithoutLinks() throws RunException {
    java.util.Set<FleetVm> linked = new java.util.HashSet<>();
    links.forEach(l -> linked.add(l.vm()));
    for (int i = 0; i < experiment.faults().size(); i++) {
      Experiment.Fault f = experiment.faults().get(i);
      if (!(f.fault() instanceof io.fleetsim.fault.Fault.LinkFault) || f.target().isEmpty()) {
        continue;
      }
      for (FleetVm vm : vms.values()) {
        boolean targeted = vm.name().equals(f.target().get()) || vm.fleet().equals(f.target().get());
        if (targeted && !linked.contains(vm)) {
          throw new RunException("faults[" + i + "]: " + f.kind() + " on " + vm.name()
              + ": its NIC is on its own QEMU netdev, outside fleetsim's fabric; frame faults act on"
              + " networks (put the netdev in a network's ports and the VM on that network)");
        }
      }
    }
  }

  /**
   * The fabric a NIC plugs into: its network, or for a multicast netdev the group's
   * in-process bus (shared by every fleet on that group; {@code bridge} also joins the real one),
   * or none for a VM on a QEMU netdev of its own.
   */
  private Optional<String> networkOf(Experiment.Attachment attachment, boolean bridge)
      throws RunException {
    if (attachment instanceof Experiment.ToNetwork n) {
      return Optional.of(n.network());
    }
    NetdevSpec spec = ((Experiment.ToNetdev) attachment).netdev();
    if (!(spec instanceof NetdevSpec.Multicast mcast)) {
      return Optional.empty();
    }
    String bus = busName(mcast);
    if (!fabrics.containsKey(bus)) {
      fabric(bus, false);
    }
    if (bridge && externalPorts.stream().noneMatch(p -> p.network().equals(bus))) {
      startExternal(bus, spec, Map.of());
    }
    return Optional.of(bus);
  }

  private static String busName(NetdevSpec.Multicast mcast) {
    return "mcast:" + mcast.group().host() + ":" + mcast.group().port();
  }

  private ActorRef<Fabric.Command> fabric(String name, boolean learningSwitch) {
    return fabrics.computeIfAbsent(name, n -> system.systemActorOf(
        learningSwitch ? Fabric.learningSwitch(machine.fabric(), clock)
            : Fabric.hub(machine.fabric(), clock),
        "fabric-" + n.replaceAll("[^A-Za-z0-9_-]", "_"),
        DispatcherSelector.fromConfig("fleetsim.fabric-dispatcher")));
  }

  /**
   * Every VM's fabric port, asked for all at once and awaited together (one turn of a virtual
   * clock for the whole fleet, not one per VM); each fabric numbers its ports in file order.
   */
  private Map<String, FabricPort> attachVms() throws RunException {
    Map<String, String> networks = new LinkedHashMap<>();
    Map<String, String> portNames = new HashMap<>();
    for (Experiment.Fleet fleet : experiment.fleets().values()) {
      for (Experiment.Vm vm : fleet.vms()) {
        for (Experiment.Nic nic : vm.nics()) {
          Optional<String> network = networkOf(nic.attachment(), fleet.bridge());
          if (network.isPresent()) {
            networks.put(linkName(vm, nic), network.get());
            // a single-NIC VM's port keeps the VM's name
            portNames.put(linkName(vm, nic), vm.nics().size() == 1 ? vm.name() : linkName(vm, nic));
          }
        }
      }
    }
    Map<String, CompletableFuture<FabricPort>> asked = new LinkedHashMap<>();
    networks.forEach((link, network) -> asked.put(link, FabricPort.attach(fabrics.get(network),
        machine.fabric(), portNames.get(link)).toCompletableFuture()));
    CompletableFuture<Void> all = CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new));
    try {
      clock.await(all, clock.nanos() + START_TIMEOUT.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunException("interrupted while the VMs' ports were attached");
    }
    Map<String, FabricPort> out = new LinkedHashMap<>();
    for (Map.Entry<String, CompletableFuture<FabricPort>> e : asked.entrySet()) {
      CompletableFuture<FabricPort> port = e.getValue();
      if (!port.isDone() || port.isCompletedExceptionally()) {
        throw new RunException("could not attach " + e.getKey() + " to " + networks.get(e.getKey())
            + ": " + (port.isDone() ? port.handle((p, err) -> err).join() : "no answer in "
            + START_TIMEOUT.toSeconds() + " s"));
      }
      out.put(e.getKey(), port.join());
    }
    return out;
  }

  private FabricPort attach(String network, String portName) throws RunException {
    try {
      CompletableFuture<FabricPort> port = FabricPort.attach(fabrics.get(network), machine.fabric(),
          portName).toCompletableFuture();
      if (!clock.await(port, clock.nanos() + START_TIMEOUT.toNanos())) {
        throw new RunException("could not attach " + portName + " to " + network + ": no answer in "
            + START_TIMEOUT.toSeconds() + " s");
      }
      return port.get();
    } catch (RunException e) {
      throw e;
    } catch (Exception e) {
      throw new RunException("could not attach " + portName + " to " + network + ": " + e);
    }
  }

  /** Every VM with a static address on {@code network}, for fleets with {@code arp = static}. */
  private Map<String, Neighbours> neighbourTables = new HashMap<>();

  private Neighbours neighbours(String network) {
    return neighbourTables.computeIfAbsent(network, n -> {
      Map<io.fleetsim.addr.Ipv4Address, MacAddress> entries = new HashMap<>();
      for (Experiment.Fleet f : experiment.fleets().values()) {
        for (Experiment.Vm vm : f.vms()) {
          // each NIC on this network with a static address: a router is a neighbour on each side
          for (Experiment.Nic nic : vm.nics()) {
            String on = nic.attachment() instanceof Experiment.ToNetwork tn ? tn.network()
                : nic.attachment() instanceof Experiment.ToNetdev td
                    && td.netdev() instanceof NetdevSpec.Multicast m ? busName(m) : "";
            if (on.equals(n)) {
              nic.ip().map(Ipv4Config::address).ifPresent(ip ->
                  entries.put(ip, MacAddress.tryParse(nic.mac()).orElseThrow()));
            }
          }
        }
      }
      return Neighbours.of(entries);
    });
  }

  private void startExternalPorts(Map<String, List<FrameTap>> taps) throws RunException {
    for (Experiment.Network network : experiment.networks().values()) {
      for (NetdevSpec spec : network.ports()) {
        startExternal(network.name(), spec, taps);
      }
    }
  }

  private void startExternal(String network, NetdevSpec spec, Map<String, List<FrameTap>> taps)
      throws RunException {
    FabricPort port = attach(network, spec.id());
    FaultyPort faults = FaultyPort.networkPort(port, clock);
    CompletableFuture<NetdevStatus> status = new CompletableFuture<>();
    ActorRef<NetdevStatus> replyTo = system.systemActorOf(Behaviors.<NetdevStatus>receiveMessage(s -> {
      status.complete(s);
      return Behaviors.stopped();
    }), "status-" + spec.id(), Props.empty());
    system.systemActorOf(Netdevs.behavior(spec, TappedPort.of(faults, taps.getOrDefault(spec.id(), List.of())),
        machine.netdev(), clock, replyTo), "netdev-" + spec.id(), Props.empty());
    NetdevStatus s;
    try {
      s = clock.await(status, clock.nanos() + START_TIMEOUT.toNanos()) ? status.get()
          : new NetdevStatus.Failed(spec.id(), "did not start within " + START_TIMEOUT.toSeconds() + " s");
    } catch (Exception e) {
      s = new NetdevStatus.Failed(spec.id(), e.toString());
    }
    if (s instanceof NetdevStatus.Failed failed) {
      throw new RunException("-netdev " + spec.source() + ": " + failed.reason());
    }
    String line = "netdev " + spec.id() + " (" + network + "): " + ((NetdevStatus.Ready) s).description();
    say.accept(line);
    externalPorts.add(new ExternalPort(spec.id(), network, port, faults, line));
  }

  /**
   * One pcap per capture target, NAME.pcap, keyed by VM name or netdev id; a fleet's name
   * captures each of its VMs to a file of its own; a VM's NICs beyond eth0 go to NAME-ethK.pcap.
   */
  private Map<String, List<FrameTap>> openCaptures() throws RunException {
    Map<String, List<FrameTap>> taps = new HashMap<>();
    Map<String, Experiment.Vm> vmsByName = new HashMap<>();
    experiment.fleets().values().forEach(f -> f.vms().forEach(v -> vmsByName.put(v.name(), v)));
    for (String name : experiment.capture()) {
      Experiment.Fleet fleet = experiment.fleets().get(name);
      List<Experiment.Vm> vmsOf = fleet != null ? fleet.vms()
          : vmsByName.containsKey(name) ? List.of(vmsByName.get(name)) : List.of();
      List<String> files = new ArrayList<>();
      for (Experiment.Vm vm : vmsOf) {
        vm.nics().forEach(nic -> files.add(captureKey(vm, nic)));
      }
      if (vmsOf.isEmpty()) {
        files.add(name); // a network port's netdev id
      }
      for (String file : files) {
        try {
          PcapWriter writer = PcapWriter.open(file, folder.resolve(file + ".pcap"), 65535, clock);
          captures.add(writer);
          taps.computeIfAbsent(file, k -> new ArrayList<>()).add(writer);
        } catch (CaptureException e) {
          captures.forEach(PcapWriter::close);
          throw new RunException("capture " + file + ": " + e.getMessage());
        }
      }
    }
    return taps;
  }
}
