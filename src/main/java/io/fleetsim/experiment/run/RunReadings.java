package io.fleetsim.experiment.run;

import io.fleetsim.control.Readings;
import io.fleetsim.control.Status;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.link.PortStats;
import io.fleetsim.qemu.NetdevSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running experiment's live figures for the control API: its networks with their ports and
 * peers, and every counter so far. Reads only thread-safe counters; called from the API's threads.
 *
 * <p>The figures are those of results.json, read from the same live counters: a port's frames in
 * and out are its fabric port's (the {@code VM/ethK out} row's delivered, the {@code in} row's
 * sent, a QEMU port's {@code (QEMU port)} row); its drops are the fabric port's and those of the
 * books of its link or netdev (fault chains, wire, crash), so the sum over ports and links is
 * results.json's {@code totals.droppedByCause} plus the fabric ports' no-peer drops. A link
 * direction's figures are its {@code wan a>b} row's. Drops list the causes seen so far, sorted by
 * label, as results.json does.
 */
final class RunReadings {
  private final List<Network> networks;
  private final List<Interlink> interlinks;
  private final List<FleetVm> vms;
  private final PingRtts rtts;
  private final RunMeter meter;

  /** A network's name, kind and ports (fixed once the world is wired). */
  private record Network(String name, String kind, List<Place> ports) {}

  /** One port and where its figures come from. */
  private interface Place {
    Status.PortView view();

    Readings.PortReading read(String network);
  }

  /** {@code wiring} is built: its lists no longer change, and are copied here. */
  RunReadings(Experiment experiment, Wiring wiring, PingRtts rtts, RunMeter meter) {
    this.rtts = rtts;
    this.meter = meter;
    this.interlinks = List.copyOf(wiring.interlinks);
    this.vms = List.copyOf(wiring.vms.values());
    Map<String, List<Place>> byNetwork = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    for (Experiment.Network n : experiment.networks().values()) {
      byNetwork.put(n.name(), new ArrayList<>());
      kinds.put(n.name(), n.type().hoconName());
    }
    // a multicast group's in-process bus is a hub the wiring made, after the file's networks
    for (String fabric : wiring.fabrics.keySet()) {
      byNetwork.computeIfAbsent(fabric, f -> new ArrayList<>());
      kinds.putIfAbsent(fabric, Experiment.NetworkType.HUB.hoconName());
    }
    for (Link link : wiring.links) {
      byNetwork.get(link.network()).add(new VmPort(link));
    }
    for (ExternalPort port : wiring.externalPorts) {
      byNetwork.get(port.network()).add(new QemuPort(port, netdevSource(experiment, port)));
    }
    for (Interlink link : interlinks) {
      byNetwork.get(link.spec().a()).add(new LinkEnd(link, true));
      byNetwork.get(link.spec().b()).add(new LinkEnd(link, false));
    }
    List<Network> out = new ArrayList<>();
    byNetwork.forEach((name, ports) -> out.add(new Network(name, kinds.get(name), List.copyOf(ports))));
    this.networks = List.copyOf(out);
  }

  /** Every network with its ports (VMs' NICs, QEMU netdevs, ends of links), in file order. */
  List<Status.NetworkView> networks() {
    List<Status.NetworkView> out = new ArrayList<>();
    for (Network n : networks) {
      List<Status.PortView> ports = new ArrayList<>();
      n.ports().forEach(p -> ports.add(p.view()));
      out.add(new Status.NetworkView(n.name(), n.kind(), ports));
    }
    return out;
  }

  /** Every counter so far. */
  Readings readings() {
    List<Readings.PortReading> ports = new ArrayList<>();
    for (Network n : networks) {
      n.ports().forEach(p -> ports.add(p.read(n.name())));
    }
    List<Readings.LinkReading> links = new ArrayList<>();
    for (Interlink link : interlinks) {
      Experiment.NetworkLink spec = link.spec();
      // delivered a>b is what entered b's port from the link, as the row's books count it
      links.add(direction(link.name(), spec.a() + ">" + spec.b(), link.portB(), link.out()));
      links.add(direction(link.name(), spec.b() + ">" + spec.a(), link.portA(), link.in()));
    }
    RunMeter.Reading tcp = meter.read();
    return new Readings(ports, links, vmsByState(), rtts.fleets(),
        new Readings.TcpReading(tcp.tcpBytes(), tcp.tcpRetransmissions()));
  }

  /** VMs running now. */
  int vmsRunning() {
    int n = 0;
    for (FleetVm vm : vms) {
      n += vm.state() == FleetVm.State.RUNNING ? 1 : 0;
    }
    return n;
  }

  /** VMs per state, every state in enum order, zero included. */
  private Map<String, Integer> vmsByState() {
    Map<FleetVm.State, Integer> counts = new EnumMap<>(FleetVm.State.class);
    for (FleetVm.State s : FleetVm.State.values()) {
      counts.put(s, 0);
    }
    for (FleetVm vm : vms) {
      counts.merge(vm.state(), 1, Integer::sum);
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    counts.forEach((s, n) -> out.put(s.name().toLowerCase(Locale.ROOT), n));
    return Collections.unmodifiableMap(out);
  }

  private static Readings.LinkReading direction(String link, String direction, PortStats into,
      FrameBooks books) {
    return new Readings.LinkReading(link, direction, into.framesIn(), into.bytesIn(),
        Collections.unmodifiableMap(books.droppedByCause()));
  }

  /** A port's reading: its fabric port's counts, and its drops summed by cause over {@code drops}. */
  private static Readings.PortReading reading(String network, String port, String vm,
      PortStats stats, List<Map<String, Long>> drops) {
    Map<String, Long> byCause = new TreeMap<>();
    for (Map<String, Long> d : drops) {
      d.forEach((cause, n) -> byCause.merge(cause, n, Long::sum));
    }
    byCause.values().removeIf(n -> n == 0); // causes seen, as results.json lists them
    return new Readings.PortReading(network, port, vm, stats.framesIn(), stats.bytesIn(),
        stats.framesOut(), stats.bytesOut(), Collections.unmodifiableMap(byCause));
  }

  /** The option text of a network port's netdev (a bus's bridge is a NIC's own netdev). */
  private static String netdevSource(Experiment experiment, ExternalPort port) {
    Experiment.Network network = experiment.networks().get(port.network());
    for (NetdevSpec spec : network == null ? List.<NetdevSpec>of() : network.ports()) {
      if (spec.id().equals(port.id())) {
        return spec.source();
      }
    }
    for (Experiment.Fleet fleet : experiment.fleets().values()) {
      for (Experiment.Vm vm : fleet.vms()) {
        for (Experiment.Nic nic : vm.nics()) {
          if (nic.attachment() instanceof Experiment.ToNetdev to && to.netdev().id().equals(port.id())) {
            return to.netdev().source();
          }
        }
      }
    }
    return port.id();
  }

  /** A VM's NIC on the network: {@code VM/ethK}, up while the VM runs. */
  private static final class VmPort implements Place {
    private final Link link;
    private final String peer;

    VmPort(Link link) {
      this.link = link;
      // a link is named VM/ethK (Wiring.linkName)
      String nic = link.name().substring(link.vm().name().length() + 1);
      this.peer = "vm " + link.vm().name() + " " + nic;
    }

    @Override
    public Status.PortView view() {
      return new Status.PortView(link.name(), peer, link.vm().state() == FleetVm.State.RUNNING);
    }

    @Override
    public Readings.PortReading read(String network) {
      // the books' drops: fault chains, the cable's losses, a crash's at the NIC's end
      PortStats stats = link.portStats();
      return reading(network, link.name(), link.vm().name(), stats,
          List.of(stats.drops(), link.out().dropped(), link.in().dropped()));
    }
  }

  /** A network's QEMU netdev port, named by its id. */
  private static final class QemuPort implements Place {
    private final ExternalPort port;
    private final String peer;

    QemuPort(ExternalPort port, String source) {
      this.port = port;
      this.peer = "qemu " + source;
    }

    /**
     * Up: the netdev became ready (the run does not start otherwise). Whether a socket is
     * connected now is the netdev actor's own state, which no counter tells; a listen port with
     * nobody on it shows as no-peer drops instead.
     */
    @Override
    public Status.PortView view() {
      return new Status.PortView(port.id(), peer, true);
    }

    @Override
    public Readings.PortReading read(String network) {
      // the chains' drops and what a closing connection lost at their edges (link-closed)
      PortStats stats = port.stats();
      return reading(network, port.id(), "", stats,
          List.of(stats.drops(), port.out().dropped(), port.in().dropped()));
    }
  }

  /**
   * One end of a link between networks: the fabric port on {@code a} (or {@code b}); the link's
   * own losses are its {@link Readings.LinkReading}s, not this port's.
   */
  private static final class LinkEnd implements Place {
    private final Interlink link;
    private final boolean onA;
    private final String peer;

    LinkEnd(Interlink link, boolean onA) {
      this.link = link;
      this.onA = onA;
      this.peer = "link " + link.name() + " to " + (onA ? link.spec().b() : link.spec().a());
    }

    @Override
    public Status.PortView view() {
      return new Status.PortView(link.name(), peer, true);
    }

    @Override
    public Readings.PortReading read(String network) {
      PortStats stats = onA ? link.portA() : link.portB();
      return reading(network, link.name(), "", stats, List.of(stats.drops()));
    }
  }
}
