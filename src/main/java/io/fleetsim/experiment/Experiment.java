package io.fleetsim.experiment;

import io.fleetsim.fault.Direction;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.Routing;
import io.fleetsim.guest.workload.Criteria;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.qemu.NetdevSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A validated experiment: networks, fleets of VMs (with their MACs and addresses already
 * allocated) and a fault schedule. Maps keep the file's order.
 */
public record Experiment(String name, long seed, Duration duration, Map<String, Network> networks,
    Map<String, Fleet> fleets, List<Fault> faults, List<String> capture, Report report,
    ClockMode clock, Map<String, NetworkLink> links) {

  public Experiment {
    networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
    fleets = Collections.unmodifiableMap(new LinkedHashMap<>(fleets));
    faults = List.copyOf(faults);
    capture = List.copyOf(capture);
  }

  /** An experiment without links between its networks. */
  public Experiment(String name, long seed, Duration duration, Map<String, Network> networks,
      Map<String, Fleet> fleets, List<Fault> faults, List<String> capture, Report report,
      ClockMode clock) {
    this(name, seed, duration, networks, fleets, faults, capture, report, clock, Map.of());
  }

  /**
   * {@code report}: where results go ({@code directory}/NAME-TIMESTAMP/), whether report.html
   * is written, and how often progress is printed when the output is not a terminal.
   */
  public record Report(String directory, boolean html, Duration progressInterval) {}

  /** The same experiment on another clock (checked by the caller: see {@link #qemuPorts()}). */
  public Experiment withClock(ClockMode mode) {
    return new Experiment(name, seed, duration, networks, fleets, faults, capture, report, mode,
        links);
  }

  /** The same experiment writing its results under another folder. */
  public Experiment withReportDirectory(String directory) {
    return new Experiment(name, seed, duration, networks, fleets, faults, capture,
        new Report(directory, report.html(), report.progressInterval()), clock, links);
  }

  /**
   * Every socket by which something outside the process takes part (a QEMU VM, another
   * fleetsim), as files name it: a network's ports, a fleet on a netdev of its own, a multicast
   * fleet bridged to the real group. Virtual time cannot include them.
   */
  public List<String> qemuPorts() {
    List<String> out = new java.util.ArrayList<>();
    networks.values().forEach(n -> n.ports().forEach(p ->
        out.add("networks." + n.name() + ".ports " + p.id() + " (" + p.source() + ")")));
    for (Fleet f : fleets.values()) {
      // a netdev is the same for every VM of the fleet ({index} is for networks and addresses)
      List<Nic> nics = f.vms().get(0).nics();
      for (int i = 0; i < nics.size(); i++) {
        if (nics.get(i).attachment() instanceof ToNetdev td
            && (!(td.netdev() instanceof NetdevSpec.Multicast) || f.bridge())) {
          String at = nics.size() == 1 ? "" : ".nics[" + i + "]";
          out.add("vms." + f.name() + at + ".netdev (" + td.netdev().source() + ")");
        }
      }
    }
    return out;
  }

  /** All VMs of all fleets. */
  public int vmCount() {
    return fleets.values().stream().mapToInt(f -> f.vms().size()).sum();
  }

  public enum NetworkType {
    HUB, SWITCH;

    public String hoconName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * {@code networks.NAME}: a hub or switch and the netdevs (ports) the outside world reaches it by;
   * the cable of each VM's link to it: {@code latency} one way, serialisation at {@code
   * rateBitsPerSecond}.
   */
  public record Network(String name, NetworkType type, List<NetdevSpec> ports,
      Duration latency, long rateBitsPerSecond) {
    /** No propagation delay unless a file asks for one. */
    public static final Duration DEFAULT_LATENCY = Duration.ZERO;
    /** The e1000's PHY: 1000 Mbit/s. */
    public static final long DEFAULT_RATE = 1_000_000_000L;

    public Network {
      ports = List.copyOf(ports);
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must be >= 0, not " + latency);
      }
      if (rateBitsPerSecond <= 0) {
        throw new IllegalArgumentException("rate must be > 0 bit/s, not " + rateBitsPerSecond);
      }
    }
  }

  /**
   * {@code links.NAME}: a point-to-point L2 link between two networks ({@code between}, in file
   * order: {@link #a()} then {@link #b()}), with standing properties each way: {@code latency}
   * (one way), {@code jitter} (each frame's delay drawn from latency +- jitter, never overtaking
   * the frame before), {@code rate} (serialisation, as a network's cable) and {@code loss} (the
   * probability, 0 to 1, that a frame is lost on the way). Direction {@code out} is from {@code
   * a} to {@code b}, {@code in} the reverse.
   */
  public record NetworkLink(String name, List<String> between, Duration latency, Duration jitter,
      long rateBitsPerSecond, double loss) {
    public static final Duration DEFAULT_LATENCY = Duration.ZERO;
    public static final Duration DEFAULT_JITTER = Duration.ZERO;
    public static final long DEFAULT_RATE = Network.DEFAULT_RATE;

    public NetworkLink {
      between = List.copyOf(between);
      if (between.size() != 2 || between.get(0).equals(between.get(1))) {
        throw new IllegalArgumentException("a link is between two networks, not " + between);
      }
      if (latency.isNegative() || jitter.isNegative() || jitter.compareTo(latency) > 0) {
        throw new IllegalArgumentException("need 0 <= jitter <= latency, not " + jitter + " > "
            + latency);
      }
      if (rateBitsPerSecond <= 0) {
        throw new IllegalArgumentException("rate must be > 0 bit/s, not " + rateBitsPerSecond);
      }
      if (!(loss >= 0 && loss <= 1)) {
        throw new IllegalArgumentException("loss must be 0 to 1, not " + loss);
      }
    }

    /** The first network of {@code between}: where direction {@code out} starts. */
    public String a() {
      return between.get(0);
    }

    /** The second network of {@code between}. */
    public String b() {
      return between.get(1);
    }
  }

  /** Where a fleet's VMs plug in: a network of this experiment, or their own netdev. */
  public sealed interface Attachment permits ToNetwork, ToNetdev {}

  public record ToNetwork(String network) implements Attachment {}

  public record ToNetdev(NetdevSpec netdev) implements Attachment {}

  /**
   * {@code vms.NAME}: {@code count} VMs alike but for their MACs and addresses (and whatever
   * {@code {index}} varies: a NIC's network and ip, the gateway, the routes), each with its own
   * {@link Vm#nics()}. {@code router}: the VMs forward between their NICs. {@code criteria}
   * decide each workload's pass or fail, one per workload in the same order (each VM's
   * workloads are the fleet's, in order).
   */
  public record Fleet(String name, int count, boolean router, OptionalLong cpuMhz,
      List<Workload> workloads, List<Criteria> criteria, List<Vm> vms, Arp arp, boolean bridge) {
    public Fleet {
      workloads = List.copyOf(workloads);
      criteria = List.copyOf(criteria);
      vms = List.copyOf(vms);
    }
  }

  /**
   * {@code vms.NAME.arp}: {@code dynamic} (ARP requests and announcements, the default) or
   * {@code static} (every VM of the network is a permanent neighbour: no ARP traffic at all).
   */
  public enum Arp { DYNAMIC, STATIC }

  /**
   * One VM of a fleet: {@code NAME} for a fleet of one, else {@code NAME-1 .. NAME-count}, with
   * its NICs in order (eth0, eth1, ...), its routing (the fleet's {@code router} flag and its
   * {@code routes}, {@code {index}} filled in) and its workloads: the fleet's with {@code {next}}
   * / {@code {prev}} replaced by the eth0 address of the next / previous VM (wrapping around).
   */
  public record Vm(String name, List<Nic> nics, Routing routing, List<Workload> workloads) {
    public Vm {
      nics = List.copyOf(nics);
      workloads = List.copyOf(workloads);
      if (nics.isEmpty()) {
        throw new IllegalArgumentException(name + " has no NIC");
      }
    }
  }

  /**
   * One NIC of a VM: its guest name ({@code eth0}, ...), where it plugs in, its MAC, and either a
   * static address ({@code ip}, with the VM's {@code gateway} on the NIC whose subnet holds it)
   * or {@code dhcp}.
   */
  public record Nic(String id, Attachment attachment, String mac, Optional<Ipv4Config> ip,
      boolean dhcp) {
    public Nic {
      if (dhcp == ip.isPresent()) {
        throw new IllegalArgumentException(id + ": either a static address or dhcp");
      }
    }
  }

  /**
   * {@code faults[i]}: {@code kind} on {@code target} (a vm, fleet, network, port or link name; absent for a
   * partition, whose groups name its VMs) from {@code at}, for {@code for} (absent: until the
   * end), repeated {@code every}. {@code fault} is the validated fault itself, which says what it
   * does ({@link io.fleetsim.fault.Fault#apply}); a frame fault acts in {@code direction}
   * (relative to the target; {@code BOTH} for a kind that takes none).
   */
  public record Fault(Duration at, Optional<Duration> duration, Optional<Duration> every,
      String kind, Optional<String> target, Direction direction, io.fleetsim.fault.Fault fault) {}
}
