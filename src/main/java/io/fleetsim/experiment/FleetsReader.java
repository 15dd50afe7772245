package io.fleetsim.experiment;

import com.typesafe.config.Config;
import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.experiment.Experiment.Attachment;
import io.fleetsim.experiment.Experiment.Fleet;
import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.experiment.Experiment.Vm;
import io.fleetsim.guest.Ipv4Config;
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
 * {@code vms.NAME}: a fleet of {@code count} VMs, where they attach, their addresses (MACs under
 * the fleet's prefix, IPv4 from its CIDR or DHCP), CPU, workloads, ARP mode and bridging.
 */
final class FleetsReader {
  private static final Set<String> VM_KEYS = Set.of("count", "network", "netdev", "ip", "dhcp",
      "mac-prefix", "cpu", "workloads", "expect", "arp", "bridge");
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

  private FleetsReader(ExperimentFile in, Map<String, Network> networks) {
    this.in = in;
    this.vmDefaults = in.defaults.getConfig("vm");
    this.networkNames = new HashSet<>(in.names("networks"));
    this.macs = new MacAllocator(in);
    this.segments = Segments.of(networks);
  }

  /** The fleets without errors, in file order. */
  static Map<String, Fleet> read(ExperimentFile in, Map<String, Network> networks) {
    FleetsReader r = new FleetsReader(in, networks);
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
    Optional<Attachment> attachment = attachment(p);
    boolean dhcp = in.optional(key(p, "dhcp"), in.root::getBoolean)
        .orElse(vmDefaults.getBoolean("dhcp"));
    Optional<Optional<Ipv4Config>> base = addressBlock(p, dhcp, count);
    String macPrefix = in.optional(key(p, "mac-prefix"), in.root::getString)
        .orElse(vmDefaults.getString("mac-prefix"));
    Optional<int[]> prefixBytes = macs.prefix(key(p, "mac-prefix"), macPrefix);
    Optional<OptionalLong> mhz = cpu(p);
    WorkloadsReader.Read workloads = WorkloadsReader.read(in, p, dhcp, count);
    Optional<Experiment.Arp> arp = arp(key(p, "arp"), in.optional(key(p, "arp"),
        in.root::getString).orElse(vmDefaults.getString("arp")));
    Optional<Boolean> bridge = bridge(p, attachment);
    ok &= attachment.isPresent() && base.isPresent() && prefixBytes.isPresent()
        && mhz.isPresent() && workloads.ok() && arp.isPresent() && bridge.isPresent();
    if (workloads.ok() && base.isPresent()) {
      ok &= DhcpServerChecks.check(in, p, workloads.workloads(), count, base.get().stream()
          .map(c -> new Cidr(c.address(), c.prefixLength())).toList());
    }
    if (!ok) {
      return Optional.empty();
    }
    Optional<List<Vm>> vms = vms(p, fleet, count, attachment.get(), base.get(), macPrefix,
        prefixBytes.get(), workloads);
    return vms.map(list -> new Fleet(fleet, count, attachment.get(), dhcp, mhz.get(),
        workloads.workloads(), workloads.criteria(), list, arp.get(), bridge.get()));
  }

  /**
   * The VMs {@code NAME} or {@code NAME-1 .. NAME-count}, each with its MAC and address; empty
   * when the prefix ran out of MACs or an address is taken on the segment.
   */
  private Optional<List<Vm>> vms(String p, String fleet, int count, Attachment attachment,
      Optional<Ipv4Config> base, String macPrefix, int[] prefixBytes,
      WorkloadsReader.Read workloads) {
    boolean ok = true;
    List<Vm> vms = new ArrayList<>();
    String segment = segments.of(fleet, attachment);
    // one list for the fleet, not one per VM
    List<Workload> shared = List.copyOf(workloads.workloads());
    for (int i = 1; i <= count; i++) {
      String vmName = count == 1 ? fleet : fleet + "-" + i;
      String mac = macs.allocate(macPrefix, prefixBytes, vmName);
      if (mac == null) {
        in.error(key(p, "mac-prefix"), "mac-prefix " + macPrefix + " has no free address left for "
            + vmName);
        ok = false;
        break;
      }
      int offset = i - 1;
      Optional<Ipv4Config> ip = base.map(b -> new Ipv4Config(
          new Ipv4Address(b.address().bits() + offset), b.prefixLength(), Optional.empty()));
      if (ip.isPresent()) {
        ok &= addressFree(p, segment, ip.get(), vmName, attachment);
      }
      vms.add(new Vm(vmName, mac, ip, workloads.templated() ? List.of() : shared));
    }
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(workloads.templated() ? WorkloadsReader.perVm(vms, workloads.specs()) : vms);
  }

  /** Books {@code ip} for {@code vm} on its segment; false (reported) when it is taken there. */
  private boolean addressFree(String p, String segment, Ipv4Config ip, String vm,
      Attachment attachment) {
    IpOwner other = ipOwners.putIfAbsent(new SegmentAddress(segment, ip.address().bits()),
        new IpOwner(vm, attachment));
    if (other == null) {
      return true;
    }
    String joined = other.attachment().equals(attachment) ? ""
        : " (" + where(other.attachment()) + " and " + where(attachment)
            + " are one L2 segment, joined by their sockets)";
    in.error(key(p, "ip"), "address " + ip.address() + " of " + vm + " is already allocated to "
        + other.vm() + joined);
    return false;
  }

  private static String where(Attachment a) {
    return a instanceof Experiment.ToNetwork n ? "network " + n.network()
        : "netdev " + ((Experiment.ToNetdev) a).netdev().source();
  }

  /** {@code network} (one of this experiment's) or {@code netdev}, exactly one of them. */
  private Optional<Attachment> attachment(String p) {
    Optional<String> network = in.optional(key(p, "network"), in.root::getString);
    Optional<String> netdev = in.optional(key(p, "netdev"), in.root::getString);
    boolean hasNetwork = in.root.hasPath(key(p, "network"));
    boolean hasNetdev = in.root.hasPath(key(p, "netdev"));
    if (hasNetwork && hasNetdev) {
      in.error(p, in.lineOf(key(p, "netdev")), "give either network or netdev, not both");
      return Optional.empty();
    }
    if (!hasNetwork && !hasNetdev) {
      in.error(p, in.lineOf(p), "missing network (a network of this experiment) or netdev");
      return Optional.empty();
    }
    if (network.isPresent()) {
      if (!networkNames.contains(network.get())) {
        in.error(key(p, "network"), "unknown network '" + network.get() + "'"
            + ExperimentFile.known(networkNames));
        return Optional.empty();
      }
      return Optional.of(new Experiment.ToNetwork(network.get()));
    }
    if (netdev.isPresent()) {
      return NetworksReader.netdev(in, key(p, "netdev"), in.lineOf(key(p, "netdev")), netdev.get())
          .map(Experiment.ToNetdev::new);
    }
    return Optional.empty();
  }

  /**
   * {@code ip} (a CIDR) or {@code dhcp = true}, one of them: the block's first address to give
   * out, none for DHCP; empty when that is wrong (reported).
   */
  private Optional<Optional<Ipv4Config>> addressBlock(String p, boolean dhcp, int count) {
    Optional<String> cidrText = in.optional(key(p, "ip"), in.root::getString);
    if (dhcp && cidrText.isPresent()) {
      in.error(key(p, "ip"), "give either ip or dhcp = true, not both");
      return Optional.empty();
    } else if (!dhcp && cidrText.isEmpty() && !in.root.hasPath(key(p, "ip"))) {
      in.error(p, in.lineOf(p), "missing ip (a CIDR such as 10.0.0.0/24) or dhcp = true");
      return Optional.empty();
    } else if (cidrText.isPresent()) {
      return cidr(key(p, "ip"), cidrText.get(), Math.max(count, 1)).map(Optional::of);
    }
    // dhcp, or an ip that is no string (reported by optional; the fleet stays, without addresses)
    return Optional.of(Optional.empty());
  }

  /** The first address to allocate and its prefix, if the block holds {@code needed} hosts. */
  private Optional<Ipv4Config> cidr(String path, String text, int needed) {
    Optional<Cidr> cidr = Cidr.tryParse(text).filter(c -> c.prefixLength() >= 1);
    if (cidr.isEmpty()) {
      in.error(path, "'" + text + "' is not a CIDR such as 10.0.0.0/24");
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
      in.error(path, text + " holds " + holds + " host address" + (holds == 1 ? "" : "es")
          + ", the fleet needs " + needed);
      return Optional.empty();
    }
    try {
      return Optional.of(new Ipv4Config(new Ipv4Address((int) start), prefix, Optional.empty()));
    } catch (IllegalArgumentException e) {
      in.error(path, text + ": " + e.getMessage());
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
  private Optional<Boolean> bridge(String p, Optional<Attachment> attachment) {
    boolean bridge = in.optional(key(p, "bridge"), in.root::getBoolean)
        .orElse(vmDefaults.getBoolean("bridge"));
    if (bridge && !(attachment.orElse(null) instanceof Experiment.ToNetdev n
        && n.netdev() instanceof NetdevSpec.Multicast)) {
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
