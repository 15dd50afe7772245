package io.fleetsim.experiment;

import com.typesafe.config.Config;
import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.experiment.Experiment.Attachment;
import io.fleetsim.experiment.Experiment.Fleet;
import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.experiment.Experiment.Nic;
import io.fleetsim.experiment.Experiment.Vm;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.Routing;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.qemu.NetdevSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code vms.NAME}: a fleet of {@code count} VMs, their NICs (where each attaches, MACs under
 * the fleet's prefix, IPv4 from each NIC's CIDR or DHCP), routing ({@code router}, {@code
 * routes}, {@code gateway}), CPU, workloads, ARP mode and bridging.
 */
final class FleetsReader {
  private static final Set<String> VM_KEYS = Set.of("count", "network", "netdev", "ip", "dhcp",
      "nics", "router", "routes", "gateway", "mac-prefix", "cpu", "workloads", "expect", "arp",
      "bridge");
  private static final Set<String> CPU_KEYS = Set.of("mhz");

  private final ExperimentFile in;
  private final Config vmDefaults;
  private final Set<String> networkNames;
  private final MacAllocator macs;
  // an address is unique within its L2 segment; separate networks may reuse it
  private final Segments segments;
  private final Map<SegmentAddress, IpOwner> ipOwners = new HashMap<>();

  private record SegmentAddress(String segment, int bits) {}

  private record IpOwner(String vm, Attachment attachment) {}

  private FleetsReader(ExperimentFile in, Map<String, Network> networks,
      Map<String, Experiment.NetworkLink> links) {
    this.in = in;
    this.vmDefaults = in.defaults.getConfig("vm");
    this.networkNames = new HashSet<>(in.names("networks"));
    this.macs = new MacAllocator(in);
    this.segments = Segments.of(networks, links);
  }

  /** The fleets without errors, in file order. */
  static Map<String, Fleet> read(ExperimentFile in, Map<String, Network> networks,
      Map<String, Experiment.NetworkLink> links) {
    FleetsReader r = new FleetsReader(in, networks, links);
    Map<String, Fleet> out = new LinkedHashMap<>();
    for (String fleet : in.names("vms")) {
      r.fleet(fleet).ifPresent(f -> out.put(fleet, f));
    }
    return out;
  }

  private Optional<Fleet> fleet(String fleet) {
    String p = ExperimentFile.join("vms", fleet);
    in.unknownKeys(p, in.root.getObject(p), VM_KEYS);
    if (networkNames.contains(fleet)) {
      in.error(p, "'" + fleet
          + "' names both a network and a vm fleet (fault targets would be ambiguous)");
    }
    int count = in.optional(key(p, "count"), in.root::getInt).orElse(vmDefaults.getInt("count"));
    boolean ok = true;
    if (count < 1) {
      in.error(key(p, "count"), "must be at least 1, not " + count);
      ok = false;
    }
    Optional<List<NicEntries.Entry>> nics = NicEntries.read(in, p, vmDefaults.getBoolean("dhcp"));
    // checked once for the fleet where {index} does not vary them
    List<Optional<Ipv4Config>> bases = new ArrayList<>();
    for (NicEntries.Entry e : nics.orElse(List.of())) {
      if (e.network().isPresent() && !e.network().get().contains(NicEntries.INDEX)
          && !networkNames.contains(e.network().get())) {
        in.error(e.networkPath(), e.networkLine(), "unknown network '" + e.network().get() + "'"
            + ExperimentFile.known(networkNames));
        ok = false;
      }
      // the first address of the NIC's block (VM i gets base + i - 1)
      Optional<Ipv4Config> b = Optional.empty();
      if (e.ip().isPresent() && !e.ip().get().contains(NicEntries.INDEX)) {
        b = cidr(e.ipPath(), e.ipLine(), e.ip().get(), Math.max(count, 1));
        ok &= b.isPresent();
      }
      bases.add(b);
    }
    boolean router = in.optional(key(p, "router"), in.root::getBoolean).orElse(false);
    if (router && nics.isPresent() && nics.get().size() < 2) {
      in.error(key(p, "router"), "a router needs at least two NICs (nics = [{ network = a, ... },"
          + " { network = b, ... }]) to forward between");
      ok = false;
    }
    Optional<List<String>> routes = in.root.hasPath(key(p, "routes"))
        ? in.optional(key(p, "routes"), in.root::getStringList) : Optional.of(List.of());
    Optional<String> gateway = in.optional(key(p, "gateway"), in.root::getString);
    ok &= routes.isPresent() && (gateway.isPresent() || !in.root.hasPath(key(p, "gateway")));
    String macPrefix = in.optional(key(p, "mac-prefix"), in.root::getString)
        .orElse(vmDefaults.getString("mac-prefix"));
    Optional<int[]> prefixBytes = macs.prefix(key(p, "mac-prefix"), macPrefix);
    Optional<OptionalLong> mhz = cpu(p);
    // {next} and {prev} are the neighbours' eth0 addresses
    boolean firstDhcp = nics.map(n -> n.get(0).dhcp()).orElse(false);
    WorkloadsReader.Read workloads = WorkloadsReader.read(in, p, firstDhcp, count);
    Optional<Experiment.Arp> arp = arp(key(p, "arp"), in.optional(key(p, "arp"),
        in.root::getString).orElse(vmDefaults.getString("arp")));
    Optional<Boolean> bridge = bridge(p, nics);
    ok &= nics.isPresent() && prefixBytes.isPresent()
        && mhz.isPresent() && workloads.ok() && arp.isPresent() && bridge.isPresent();
    if (!ok) {
      return Optional.empty();
    }
    Optional<List<Vm>> vms = vms(p, fleet, count, nics.get(), bases, router, routes.get(), gateway,
        macPrefix, prefixBytes.get(), workloads);
    // a dhcp-server must serve on one of the (first) VM's static subnets
    if (vms.isPresent() && !DhcpServerChecks.check(in, p, workloads.workloads(), count,
        vms.get().get(0).nics().stream().flatMap(n -> n.ip().stream())
            .map(c -> new Cidr(c.address(), c.prefixLength())).toList())) {
      return Optional.empty();
    }
    return vms.map(list -> new Fleet(fleet, count, router, mhz.get(), workloads.workloads(),
        workloads.criteria(), list, arp.get(), bridge.get()));
  }

  /**
   * The VMs {@code NAME} or {@code NAME-1 .. NAME-count}, each with its NICs (MACs, addresses),
   * routes and gateway; empty when something is wrong for some VM (reported once per path, for
   * the first VM it is wrong for).
   */
  private Optional<List<Vm>> vms(String p, String fleet, int count,
      List<NicEntries.Entry> entries, List<Optional<Ipv4Config>> bases, boolean router, List<String> routes,
      Optional<String> gateway, String macPrefix, int[] prefixBytes,
      WorkloadsReader.Read workloads) {
    Set<String> reported = new HashSet<>();
    RoutesReader.Report once = (path, line, msg) -> {
      if (reported.add(path)) {
        in.error(path, line, msg);
      }
    };
    boolean ok = true;
    List<Vm> vms = new ArrayList<>();
    // one list for the fleet, not one per VM
    List<Workload> shared = List.copyOf(workloads.workloads());
    for (int i = 1; i <= count && ok; i++) {
      String vmName = count == 1 ? fleet : fleet + "-" + i;
      String index = Integer.toString(i);
      List<Nic> nics = new ArrayList<>();
      for (NicEntries.Entry e : entries) {
        Optional<Attachment> attachment = attachment(e, index, once);
        String mac = macs.allocate(macPrefix, prefixBytes, vmName);
        if (mac == null) {
          in.error(key(p, "mac-prefix"), "mac-prefix " + macPrefix + " has no free address left"
              + " for " + vmName + (entries.size() > 1 ? " " + e.id() : ""));
          return Optional.empty();
        }
        Optional<Ipv4Config> ip = Optional.empty();
        if (!e.dhcp()) {
          int offset = i - 1;
          ip = e.ip().get().contains(NicEntries.INDEX)
              ? cidr(e.ipPath(), e.ipLine(), e.ip().get().replace(NicEntries.INDEX, index), 1,
                  once)
              : bases.get(e.index()).map(b -> new Ipv4Config(
                  new Ipv4Address(b.address().bits() + offset), b.prefixLength(),
                  Optional.empty()));
        }
        if (attachment.isEmpty() || (!e.dhcp() && ip.isEmpty())) {
          ok = false;
          continue;
        }
        nics.add(new Nic(e.id(), attachment.get(), mac, ip, e.dhcp()));
      }
      if (!ok) {
        break;
      }
      ok &= oneNicPerSegment(fleet, vmName, entries, nics, once);
      List<String> texts = routes.stream().map(r -> r.replace(NicEntries.INDEX, index)).toList();
      RoutesReader.Read r = RoutesReader.read(in, p, vmName, texts,
          gateway.map(g -> g.replace(NicEntries.INDEX, index)), nics, once);
      ok &= r.ok();
      for (int k = 0; k < r.nics().size(); k++) {
        Nic n = r.nics().get(k);
        if (n.ip().isPresent()) {
          NicEntries.Entry e = entries.get(k);
          ok &= addressFree(e.ipPath(), e.ipLine(), segments.of(owner(fleet, k), n.attachment()),
              n.ip().get(), label(vmName, entries.size(), n), n.attachment());
        }
      }
      vms.add(new Vm(vmName, r.nics(), new Routing(router, r.routes()),
          workloads.templated() ? List.of() : shared));
    }
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(workloads.templated() ? WorkloadsReader.perVm(vms, workloads.specs()) : vms);
  }

  /** The key a NIC on a netdev this file cannot follow (an fd) is its own segment by. */
  private static String owner(String fleet, int nic) {
    return "fleet:" + fleet + "/eth" + nic;
  }

  private static String label(String vm, int nics, Nic n) {
    return nics == 1 ? vm : vm + " " + n.id();
  }

  /**
   * Two NICs of one VM on one L2 segment would both answer for the VM there (and its replies
   * could leave by either): refused, as a VM on a network needs one NIC on it.
   */
  private boolean oneNicPerSegment(String fleet, String vm, List<NicEntries.Entry> entries,
      List<Nic> nics, RoutesReader.Report once) {
    boolean ok = true;
    Map<String, Integer> seen = new HashMap<>();
    for (int k = 0; k < nics.size(); k++) {
      Integer other = seen.putIfAbsent(segments.of(owner(fleet, k), nics.get(k).attachment()), k);
      if (other != null) {
        NicEntries.Entry e = entries.get(k);
        once.error(e.networkPath(), e.networkLine(), vm + "'s eth" + other + " and eth" + k
            + " are on one L2 segment (" + where(nics.get(other).attachment()) + ", "
            + where(nics.get(k).attachment()) + "); give a VM one NIC per network");
        ok = false;
      }
    }
    return ok;
  }

  /** Books {@code ip} for {@code vm} on its segment; false (reported) when it is taken there. */
  private boolean addressFree(String path, int line, String segment, Ipv4Config ip, String vm,
      Attachment attachment) {
    IpOwner other = ipOwners.putIfAbsent(new SegmentAddress(segment, ip.address().bits()),
        new IpOwner(vm, attachment));
    if (other == null) {
      return true;
    }
    String joined = other.attachment().equals(attachment) ? ""
        : " (" + where(other.attachment()) + " and " + where(attachment)
            + " are one L2 segment, joined by their sockets)";
    in.error(path, line, "address " + ip.address() + " of " + vm + " is already allocated to "
        + other.vm() + joined);
    return false;
  }

  private static String where(Attachment a) {
    return a instanceof Experiment.ToNetwork n ? "network " + n.network()
        : "netdev " + ((Experiment.ToNetdev) a).netdev().source();
  }

  /** A NIC's network (one of this experiment's, {index} filled in) or its netdev. */
  private Optional<Attachment> attachment(NicEntries.Entry e, String index,
      RoutesReader.Report once) {
    if (e.netdev().isPresent()) {
      return Optional.of(new Experiment.ToNetdev(e.netdev().get()));
    }
    String network = e.network().get().replace(NicEntries.INDEX, index);
    if (!networkNames.contains(network)) {
      once.error(e.networkPath(), e.networkLine(), "unknown network '" + network + "'"
          + (network.equals(e.network().get()) ? "" : " (" + e.network().get() + " for VM "
              + index + ")") + ExperimentFile.known(networkNames));
      return Optional.empty();
    }
    return Optional.of(new Experiment.ToNetwork(network));
  }

  /** The first address to allocate and its prefix, if the block holds {@code needed} hosts. */
  private Optional<Ipv4Config> cidr(String path, int line, String text, int needed) {
    return cidr(path, line, text, needed, in::error);
  }

  private Optional<Ipv4Config> cidr(String path, int line, String text, int needed,
      RoutesReader.Report report) {
    Optional<Cidr> cidr = Cidr.tryParse(text).filter(c -> c.prefixLength() >= 1);
    if (cidr.isEmpty()) {
      report.error(path, line, "'" + text + "' is not a CIDR such as 10.0.0.0/24");
      return Optional.empty();
    }
    int prefix = cidr.get().prefixLength();
    long mask = Integer.toUnsignedLong(Ipv4Address.mask(prefix));
    long a = Integer.toUnsignedLong(cidr.get().address().bits());
    long network = a & mask;
    long broadcast = network | (~mask & 0xFFFF_FFFFL);
    // /31 and /32 have no network or broadcast address (RFC 3021); bigger blocks lose both
    long firstHost = prefix >= 31 ? network : network + 1;
    long lastHost = prefix >= 31 ? broadcast : broadcast - 1;
    long start = Math.max(a, firstHost);
    long holds = Math.max(0, lastHost - start + 1);
    if (holds < needed) {
      report.error(path, line, text + " holds " + holds + " host address" + (holds == 1 ? "" : "es")
          + ", the fleet needs " + needed);
      return Optional.empty();
    }
    try {
      return Optional.of(new Ipv4Config(new Ipv4Address((int) start), prefix, Optional.empty()));
    } catch (IllegalArgumentException e) {
      report.error(path, line, text + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** {@code cpu.mhz}, if given; empty when it is not > 0 (reported). */
  private Optional<OptionalLong> cpu(String p) {
    String cpu = key(p, "cpu");
    if (!in.root.hasPath(cpu) || in.optional(cpu, in.root::getObject).isEmpty()) {
      return Optional.of(OptionalLong.empty());
    }
    in.unknownKeys(cpu, in.root.getObject(cpu), CPU_KEYS);
    Optional<Long> m = in.optional(key(cpu, "mhz"), in.root::getLong);
    if (m.isPresent() && m.get() <= 0) {
      in.error(key(cpu, "mhz"), "must be > 0, not " + m.get());
      return Optional.empty();
    }
    return Optional.of(m.isPresent() ? OptionalLong.of(m.get()) : OptionalLong.empty());
  }

  private Optional<Experiment.Arp> arp(String path, String text) {
    for (Experiment.Arp a : Experiment.Arp.values()) {
      if (a.name().toLowerCase(Locale.ROOT).equals(text)) {
        return Optional.of(a);
      }
    }
    in.error(path, "unknown arp mode '" + text + "' (expected dynamic or static)");
    return Optional.empty();
  }

  /** {@code bridge}; empty when it is asked for without a multicast netdev (reported). */
  private Optional<Boolean> bridge(String p, Optional<List<NicEntries.Entry>> nics) {
    boolean bridge = in.optional(key(p, "bridge"), in.root::getBoolean)
        .orElse(vmDefaults.getBoolean("bridge"));
    if (bridge && nics.isPresent() && nics.get().stream()
        .noneMatch(e -> e.netdev().orElse(null) instanceof NetdevSpec.Multicast)) {
      in.error(key(p, "bridge"),
          "bridge = true needs a multicast netdev (netdev = \"socket,mcast=...\")");
      return Optional.empty();
    }
    return Optional.of(bridge);
  }

  private static String key(String path, String key) {
    return ExperimentFile.join(path, key);
  }
}
