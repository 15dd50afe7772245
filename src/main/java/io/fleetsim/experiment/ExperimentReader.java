package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fleetsim.experiment.Experiment.Attachment;
import io.fleetsim.experiment.Experiment.Fault;
import io.fleetsim.experiment.Experiment.Fleet;
import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.experiment.Experiment.NetworkType;
import io.fleetsim.experiment.Experiment.Vm;
import io.fleetsim.fault.Direction;
import io.fleetsim.fault.FaultParameterException;
import io.fleetsim.fault.FaultParams;
import io.fleetsim.fault.FaultRegistry;
import io.fleetsim.fault.PartitionFault;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.guest.workload.WorkloadSyntaxException;
import io.fleetsim.guest.workload.Workloads;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.OptionException;
import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.qemu.SocketAddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pass over a parsed file. Each check records an error and carries on with what it could
 * read, so one run reports every problem; the result is built only when there were none.
 */
final class ExperimentReader {
  static final List<String> FAULT_KINDS = FaultRegistry.kinds();
  private static final String NEXT = "{next}";
  private static final String PREV = "{prev}";
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
  private static final int MAX_NAME = 100;
  private static final Set<String> TOP_KEYS = Set.of("name", "seed", "duration", "networks", "vms",
      "faults", "capture", "report");
  private static final Set<String> REPORT_KEYS = Set.of("directory", "html", "progress-interval");
  private static final Set<String> NETWORK_KEYS = Set.of("type", "ports");
  private static final Set<String> VM_KEYS = Set.of("count", "network", "netdev", "ip", "dhcp",
      "mac-prefix", "cpu", "workloads", "expect", "arp", "bridge");
  private static final Set<String> CPU_KEYS = Set.of("mhz");
  private static final Pattern WRONG_TYPE = Pattern.compile(".*has type (\\S+) rather than (.+)");

  private final String file;
  private final Config root;
  private final Config defaults;
  private final List<ValidationError> errors = new ArrayList<>();

  ExperimentReader(String file, Config root, Config defaults) {
    this.file = file;
    this.root = root;
    this.defaults = defaults;
  }

  Experiment read() throws ExperimentException {
    unknownKeys("", root.root(), TOP_KEYS);
    Optional<String> name = required("name", root::getString).flatMap(n -> named("name", n));
    long seed = seed();
    Optional<Duration> duration = required("duration", path -> Units.duration(root, path))
        .flatMap(d -> positive("duration", d));
    Map<String, Network> networks = networks();
    Map<String, Fleet> fleets = fleets(networks);
    List<Fault> faults = faults(duration, networks, fleets);
    listenOverlaps(networks, fleets);
    portIdClashes(networks);
    List<String> capture = capture(networks, fleets);
    Experiment.Report report = report();
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(ValidationError::line));
      throw new ExperimentException(errors);
    }
    return new Experiment(name.get(), seed, duration.get(), networks, fleets, faults, capture,
        report);
  }

  /**
   * {@code seed}: a whole number from 0 to {@link Long#MAX_VALUE}. Config's getLong would cut
   * 1.5 to 1 and clamp 1e30, so two different seeds could give the same run.
   */
  private long seed() {
    if (!root.hasPath("seed")) {
      return defaults.getLong("seed");
    }
    ConfigValue v = root.getValue("seed");
    boolean string = v.valueType() == ConfigValueType.STRING;
    String text = string ? ((String) v.unwrapped()).trim() : v.render();
    if (v.valueType() == ConfigValueType.NUMBER || text.matches("[+-]?[0-9.]+([eE][+-]?[0-9]+)?")) {
      if (text.matches("[0-9]{1,19}") && new java.math.BigInteger(text)
          .compareTo(java.math.BigInteger.valueOf(Long.MAX_VALUE)) <= 0) {
        return Long.parseLong(text);
      }
      error("seed", "must be a whole number from 0 to " + Long.MAX_VALUE + ", not " + text);
    } else {
      error("seed", "expected number, got " + describe(v));
    }
    return defaults.getLong("seed");
  }

  // ---- capture and report

  /** {@code capture}: VM, fleet or network port (netdev id) names; each gets NAME.pcap. */
  private List<String> capture(Map<String, Network> networks, Map<String, Fleet> fleets) {
    List<String> out = new ArrayList<>();
    Optional<List<String>> names = optional("capture", root::getStringList);
    if (names.isEmpty()) {
      return out;
    }
    Set<String> known = new java.util.TreeSet<>();
    for (Fleet f : fleets.values()) {
      known.add(f.name());
      f.vms().forEach(vm -> known.add(vm.name()));
    }
    networks.values().forEach(n -> n.ports().forEach(port -> known.add(port.id())));
    for (int i = 0; i < names.get().size(); i++) {
      String name = names.get().get(i);
      if (!known.contains(name)) {
        error("capture[" + i + "]", lineOfElement("capture", i), "unknown capture target '" + name
            + "' (a vm, a fleet or a network port's netdev id)");
      } else if (out.contains(name)) {
        error("capture[" + i + "]", lineOfElement("capture", i), "'" + name + "' is listed twice");
      } else {
        out.add(name);
      }
    }
    return out;
  }

  private Experiment.Report report() {
    Config d = defaults.getConfig("report");
    if (root.hasPath("report") && optional("report", root::getObject).isPresent()) {
      unknownKeys("report", root.getObject("report"), REPORT_KEYS);
    }
    String directory = optional("report.directory", root::getString).orElse(d.getString("directory"));
    if (directory.isBlank()) {
      error("report.directory", "must not be empty");
    }
    boolean html = optional("report.html", root::getBoolean).orElse(d.getBoolean("html"));
    Duration interval = optional("report.progress-interval", path -> Units.duration(root, path))
        .flatMap(v -> positive("report.progress-interval", v))
        .orElse(Units.duration(d, "progress-interval"));
    return new Experiment.Report(directory, html, interval);
  }

  // ---- networks

  private Map<String, Network> networks() {
    Map<String, Network> out = new LinkedHashMap<>();
    Map<String, String> idOwners = new HashMap<>();
    for (String net : names("networks")) {
      String p = join("networks", net);
      unknownKeys(p, root.getObject(p), NETWORK_KEYS);
      Optional<NetworkType> type = required(join(p, "type"), root::getString)
          .flatMap(t -> networkType(join(p, "type"), t));
      List<NetdevSpec> ports = new ArrayList<>();
      boolean portsOk = true;
      Optional<List<String>> specs = optional(join(p, "ports"), root::getStringList);
      if (specs.isPresent()) {
        for (int i = 0; i < specs.get().size(); i++) {
          String at = join(p, "ports") + "[" + i + "]";
          int line = lineOfElement(join(p, "ports"), i);
          Optional<NetdevSpec> spec = netdev(at, line, specs.get().get(i));
          if (spec.isEmpty()) {
            portsOk = false;
            continue;
          }
          String owner = idOwners.putIfAbsent(spec.get().id(), at);
          if (owner != null) {
            error(at, line, "duplicate netdev id '" + spec.get().id() + "' (also " + owner + ")");
          }
          ports.add(spec.get());
        }
      }
      if (type.isPresent() && portsOk) {
        out.put(net, new Network(net, type.get(), ports));
      }
    }
    return out;
  }

  /** Each VM's workloads with {next} / {prev} filled in (the specs already parsed once). */
  private static List<Vm> neighbourWorkloads(List<Vm> vms, List<String> specs) {
    List<Vm> out = new ArrayList<>(vms.size());
    for (int i = 0; i < vms.size(); i++) {
      String next = vms.get((i + 1) % vms.size()).ip().orElseThrow().address().toString();
      String prev = vms.get((i + vms.size() - 1) % vms.size()).ip().orElseThrow().address().toString();
      List<Workload> own = new ArrayList<>();
      for (String spec : specs) {
        own.add(Workloads.parse(spec.replace(NEXT, next).replace(PREV, prev)));
      }
      Vm vm = vms.get(i);
      out.add(new Vm(vm.name(), vm.mac(), vm.ip(), own));
    }
    return out;
  }

  private Optional<Experiment.Arp> arp(String path, String text) {
    for (Experiment.Arp a : Experiment.Arp.values()) {
      if (a.name().toLowerCase(Locale.ROOT).equals(text)) {
        return Optional.of(a);
      }
    }
    error(path, "unknown arp mode '" + text + "' (expected dynamic or static)");
    return Optional.empty();
  }

  private Optional<NetworkType> networkType(String path, String text) {
    for (NetworkType t : NetworkType.values()) {
      if (t.hoconName().equals(text)) {
        return Optional.of(t);
      }
    }
    error(path, "unknown network type '" + text + "' (expected hub or switch)");
    return Optional.empty();
  }

  private Optional<NetdevSpec> netdev(String path, int line, String text) {
    try {
      return Optional.of(QemuCommandLine.parseNetdev(text));
    } catch (OptionException e) {
      error(path, line, e.getMessage());
      return Optional.empty();
    }
  }

  // ---- vms

  private Map<String, Fleet> fleets(Map<String, Network> networks) {
    Map<String, Fleet> out = new LinkedHashMap<>();
    Set<String> networkNames = names("networks").stream().collect(java.util.stream.Collectors.toSet());
    Map<String, String> macOwners = new HashMap<>();
    Map<String, Integer> macNext = new HashMap<>();
    // an address is unique within its L2 segment; separate networks may reuse it
    Segments segments = Segments.of(networks);
    Map<SegmentAddress, IpOwner> ipOwners = new HashMap<>();
    Config vmDefaults = defaults.getConfig("vm");
    for (String fleet : names("vms")) {
      String p = join("vms", fleet);
      boolean ok = true;
      unknownKeys(p, root.getObject(p), VM_KEYS);
      if (networkNames.contains(fleet)) {
        error(p, "'" + fleet + "' names both a network and a vm fleet (fault targets would be ambiguous)");
      }
      int count = optional(join(p, "count"), root::getInt).orElse(vmDefaults.getInt("count"));
      if (count < 1) {
        error(join(p, "count"), "must be at least 1, not " + count);
        ok = false;
      }
      Optional<Attachment> attachment = attachment(p, networkNames, networks, count);
      ok &= attachment.isPresent();
      boolean dhcp = optional(join(p, "dhcp"), root::getBoolean).orElse(vmDefaults.getBoolean("dhcp"));
      Optional<String> cidrText = optional(join(p, "ip"), root::getString);
      Optional<Ipv4Config> base = Optional.empty();
      if (dhcp && cidrText.isPresent()) {
        error(join(p, "ip"), "give either ip or dhcp = true, not both");
        ok = false;
      } else if (!dhcp && cidrText.isEmpty() && !root.hasPath(join(p, "ip"))) {
        error(p, lineOf(p), "missing ip (a CIDR such as 10.0.0.0/24) or dhcp = true");
        ok = false;
      } else if (cidrText.isPresent()) {
        base = cidr(join(p, "ip"), cidrText.get(), Math.max(count, 1));
        ok &= base.isPresent();
      }
      String macPrefix = optional(join(p, "mac-prefix"), root::getString)
          .orElse(vmDefaults.getString("mac-prefix"));
      Optional<int[]> prefixBytes = macPrefix(join(p, "mac-prefix"), macPrefix);
      ok &= prefixBytes.isPresent();
      OptionalLong mhz = OptionalLong.empty();
      if (root.hasPath(join(p, "cpu"))) {
        if (optional(join(p, "cpu"), root::getObject).isPresent()) {
          unknownKeys(join(p, "cpu"), root.getObject(join(p, "cpu")), CPU_KEYS);
          Optional<Long> m = optional(join(p, "cpu", "mhz"), root::getLong);
          if (m.isPresent() && m.get() <= 0) {
            error(join(p, "cpu", "mhz"), "must be > 0, not " + m.get());
            ok = false;
          } else if (m.isPresent()) {
            mhz = OptionalLong.of(m.get());
          }
        }
      }
      List<Workload> workloads = new ArrayList<>();
      WorkloadEntries entries = WorkloadEntries.read(root, join(p, "workloads"), join(p, "expect"), this::error);
      ok &= entries.ok(); // strings or { run, expect }, and the expectations' syntax
      Optional<List<String>> specs = entries.specs();
      boolean templated = false;
      Map<List<Object>, Integer> firstIndex = new HashMap<>();
      for (int i = 0; specs.isPresent() && i < specs.get().size(); i++) {
        String spec = specs.get().get(i);
        if (entries.broken(i)) {
          continue; // an entry without a spec: reported already
        }
        boolean neighbour = spec.contains(NEXT) || spec.contains(PREV);
        templated |= neighbour;
        if (neighbour && (dhcp || count < 2)) {
          error(join(p, "workloads") + "[" + i + "]", lineOfElement(join(p, "workloads"), i),
              NEXT + " and " + PREV + " need a fleet of at least 2 VMs with static addresses (ip = CIDR)");
          ok = false;
          continue;
        }
        try {
          // stand-in addresses check the rest of the syntax once; each VM gets its own below
          Workload w = Workloads.parse(spec.replace(NEXT, "192.0.2.1").replace(PREV, "192.0.2.2"));
          workloads.add(w);
          // the same workload twice: results could not tell them apart, a 2nd sink could not bind
          Integer first = firstIndex.putIfAbsent(List.of(neighbour, w), i);
          if (first != null) {
            error(join(p, "workloads") + "[" + i + "]", lineOfElement(join(p, "workloads"), i),
                "the same workload as workloads[" + first + "] (\"" + specs.get().get(first).trim()
                + "\"); give each workload once");
            ok = false;
          }
        } catch (WorkloadSyntaxException e) {
          error(join(p, "workloads") + "[" + i + "]", lineOfElement(join(p, "workloads"), i),
              e.getMessage());
          ok = false;
        }
      }
      String arpText = optional(join(p, "arp"), root::getString).orElse(vmDefaults.getString("arp"));
      Optional<Experiment.Arp> arpMode = arp(join(p, "arp"), arpText);
      ok &= arpMode.isPresent();
      Experiment.Arp arp = arpMode.orElse(Experiment.Arp.DYNAMIC);
      boolean bridge = optional(join(p, "bridge"), root::getBoolean).orElse(vmDefaults.getBoolean("bridge"));
      if (bridge && !(attachment.orElse(null) instanceof Experiment.ToNetdev n
          && n.netdev() instanceof NetdevSpec.Multicast)) {
        error(join(p, "bridge"), "bridge = true needs a multicast netdev (netdev = \"socket,mcast=...\")");
        ok = false;
      }
      if (!ok || count < 1) {
        continue;
      }
      List<Vm> vms = new ArrayList<>();
      String segment = segments.of(fleet, attachment.get());
      List<Workload> shared = List.copyOf(workloads); // one list for the fleet, not one per VM
      for (int i = 1; i <= count; i++) {
        String vmName = count == 1 ? fleet : fleet + "-" + i;
        String mac = allocateMac(macPrefix, prefixBytes.get(), macOwners, macNext, vmName);
        if (mac == null) {
          error(join(p, "mac-prefix"), "mac-prefix " + macPrefix + " has no free address left for " + vmName);
          ok = false;
          break;
        }
        Optional<Ipv4Config> ip = Optional.empty();
        if (base.isPresent()) {
          Ipv4Config b = base.get();
          int bits = b.address().bits() + i - 1;
          ip = Optional.of(new Ipv4Config(new io.fleetsim.addr.Ipv4Address(bits), b.prefixLength(),
              Optional.empty()));
          IpOwner other = ipOwners.putIfAbsent(new SegmentAddress(segment, bits),
              new IpOwner(vmName, attachment.get()));
          if (other != null) {
            String joined = other.attachment().equals(attachment.get()) ? ""
                : " (" + where(other.attachment()) + " and " + where(attachment.get())
                    + " are one L2 segment, joined by their sockets)";
            error(join(p, "ip"), "address " + ip.get().address() + " of " + vmName
                + " is already allocated to " + other.vm() + joined);
            ok = false;
          }
        }
        vms.add(new Vm(vmName, mac, ip, templated ? List.of() : shared));
      }
      if (ok && templated) {
        vms = neighbourWorkloads(vms, specs.get());
      }
      if (ok) {
        out.put(fleet, new Fleet(fleet, count, attachment.get(), dhcp, mhz, workloads,
            entries.criteria(), vms, arp, bridge));
      }
    }
    return out;
  }

  private record SegmentAddress(String segment, int bits) {}

  private record IpOwner(String vm, Attachment attachment) {}

  private static String where(Attachment a) {
    return a instanceof Experiment.ToNetwork n ? "network " + n.network()
        : "netdev " + ((Experiment.ToNetdev) a).netdev().source();
  }

  private Optional<Attachment> attachment(String p, Set<String> networkNames,
      Map<String, Network> networks, int count) {
    Optional<String> network = optional(join(p, "network"), root::getString);
    Optional<String> netdev = optional(join(p, "netdev"), root::getString);
    boolean hasNetwork = root.hasPath(join(p, "network"));
    boolean hasNetdev = root.hasPath(join(p, "netdev"));
    if (hasNetwork && hasNetdev) {
      error(p, lineOf(join(p, "netdev")), "give either network or netdev, not both");
      return Optional.empty();
    }
    if (!hasNetwork && !hasNetdev) {
      error(p, lineOf(p), "missing network (a network of this experiment) or netdev");
      return Optional.empty();
    }
    if (network.isPresent()) {
      if (!networkNames.contains(network.get())) {
        error(join(p, "network"), "unknown network '" + network.get() + "'"
            + known(networkNames));
        return Optional.empty();
      }
      return Optional.of(new Experiment.ToNetwork(network.get()));
    }
    if (netdev.isPresent()) {
      return netdev(join(p, "netdev"), lineOf(join(p, "netdev")), netdev.get())
          .map(Experiment.ToNetdev::new);
    }
    return Optional.empty();
  }

  /** The first address to allocate and its prefix, if the block holds {@code needed} hosts. */
  private Optional<Ipv4Config> cidr(String path, String text, int needed) {
    int slash = text.indexOf('/');
    Optional<io.fleetsim.addr.Ipv4Address> addr = slash < 0 ? Optional.empty()
        : io.fleetsim.addr.Ipv4Address.tryParse(text.substring(0, slash));
    int prefix;
    try {
      prefix = slash < 0 ? -1 : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (addr.isEmpty() || prefix < 1 || prefix > 32) {
      error(path, "'" + text + "' is not a CIDR such as 10.0.0.0/24");
      return Optional.empty();
    }
    long mask = Integer.toUnsignedLong(io.fleetsim.addr.Ipv4Address.mask(prefix));
    long a = Integer.toUnsignedLong(addr.get().bits());
    long network = a & mask;
    long broadcast = network | (~mask & 0xFFFF_FFFFL);
    // /31 and /32 have no network or broadcast address (RFC 3021); bigger blocks lose both
    long firstHost = prefix >= 31 ? network : network + 1;
    long lastHost = prefix >= 31 ? broadcast : broadcast - 1;
    long start = Math.max(a, firstHost);
    long holds = Math.max(0, lastHost - start + 1);
    if (holds < needed) {
      error(path, text + " holds " + holds + " host address" + (holds == 1 ? "" : "es")
          + ", the fleet needs " + needed);
      return Optional.empty();
    }
    try {
      return Optional.of(new Ipv4Config(new io.fleetsim.addr.Ipv4Address((int) start), prefix,
          Optional.empty()));
    } catch (IllegalArgumentException e) {
      error(path, text + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<int[]> macPrefix(String path, String text) {
    String[] parts = text.isEmpty() ? new String[0] : text.split(":", -1);
    if (parts.length < 1 || parts.length > 5) {
      error(path, "'" + text + "' is not a MAC prefix of 1 to 5 bytes such as 52:54:00");
      return Optional.empty();
    }
    int[] bytes = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].matches("[0-9a-fA-F]{2}")) {
        error(path, "'" + text + "' is not a MAC prefix of 1 to 5 bytes such as 52:54:00");
        return Optional.empty();
      }
      bytes[i] = Integer.parseInt(parts[i], 16);
    }
    if ((bytes[0] & 1) != 0) {
      error(path, "'" + text + "' is a multicast prefix (the first byte's lowest bit is set)");
      return Optional.empty();
    }
    return Optional.of(bytes);
  }

  /** The next MAC under {@code prefix} not used anywhere in the experiment, or null. */
  private static String allocateMac(String prefix, int[] bytes, Map<String, String> owners,
      Map<String, Integer> next, String vm) {
    int suffixBytes = 6 - bytes.length;
    long limit = 1L << (8 * suffixBytes);
    String key = prefix.toLowerCase(Locale.ROOT);
    long n = next.getOrDefault(key, 1);
    for (; n < limit; n++) {
      StringBuilder mac = new StringBuilder(key);
      for (int b = suffixBytes - 1; b >= 0; b--) {
        mac.append(':').append(String.format("%02x", (n >> (8 * b)) & 0xFF));
      }
      if (owners.putIfAbsent(mac.toString(), vm) == null) {
        next.put(key, (int) Math.min(n + 1, Integer.MAX_VALUE));
        return mac.toString();
      }
    }
    return null;
  }

  // ---- faults

  private static final Set<String> FAULT_COMMON_KEYS = Set.of("at", "for", "every", "kind");
  /** Kinds that act on a VM itself, so their target must be a VM or fleet. */
  private static final Set<String> VM_ONLY_KINDS = Set.of("link-down", "crash", "restart",
      "pause", "resume");

  private List<Fault> faults(Optional<Duration> duration, Map<String, Network> networks,
      Map<String, Fleet> fleets) {
    List<Fault> out = new ArrayList<>();
    if (!root.hasPath("faults")) {
      return out;
    }
    Optional<List<? extends ConfigObject>> list = optional("faults", root::getObjectList);
    if (list.isEmpty()) {
      return out;
    }
    Set<String> networkNames = new java.util.HashSet<>(names("networks"));
    Map<String, List<String>> vmsOf = vmsByName();
    List<ControlOrder.Indexed> indexed = new ArrayList<>();
    for (int i = 0; i < list.get().size(); i++) {
      String p = "faults[" + i + "]";
      Config fault = list.get().get(i).toConfig();
      int line = list.get().get(i).origin().lineNumber();
      FaultReader r = new FaultReader(p, line, fault);
      Optional<Duration> at = r.required("at", key -> Units.duration(fault, key))
          .flatMap(d -> r.within("at", d, duration, true));
      Optional<Duration> dur = r.optional("for", key -> Units.duration(fault, key))
          .flatMap(d -> r.length("for", d));
      Optional<Duration> every = r.optional("every", key -> Units.duration(fault, key))
          .flatMap(d -> r.length("every", d));
      endsInTime(r, at, dur, every, duration);
      if (dur.isPresent() && every.isPresent() && dur.get().compareTo(every.get()) >= 0) {
        // each repetition must end before the next begins, or one would undo the other
        r.error("for", "for = " + human(dur.get()) + " must be shorter than every = " + human(every.get()));
      }
      Optional<String> kind = r.required("kind", fault::getString);
      if (kind.isPresent() && !FAULT_KINDS.contains(kind.get())) {
        r.error("kind", "unknown fault kind '" + kind.get() + "' (expected one of: "
            + String.join(", ", FAULT_KINDS) + ")");
        kind = Optional.empty();
      }
      Optional<FaultRegistry.Kind> k = kind.flatMap(FaultRegistry::kind);
      boolean partition = kind.isPresent() && kind.get().equals("partition");
      Optional<String> target = Optional.empty();
      if (!partition) {
        target = r.required("target", fault::getString);
        Set<String> portIds = new java.util.HashSet<>();
        networks.values().forEach(n -> n.ports().forEach(port -> portIds.add(port.id())));
        if (target.isPresent() && !vmsOf.containsKey(target.get())
            && !networkNames.contains(target.get()) && !portIds.contains(target.get())) {
          r.error("target", "unknown target '" + target.get()
              + "' (not a vm, fleet, network or network port of this experiment)");
          target = Optional.empty();
        } else if (target.isPresent() && kind.isPresent() && kind.get().equals("disconnect")
            && !networkNames.contains(target.get()) && !portIds.contains(target.get())) {
          r.error("target", "disconnect needs a network or a network's socket port (netdev id), not '"
              + target.get() + "'");
          target = Optional.empty();
        } else if (target.isPresent() && kind.isPresent() && VM_ONLY_KINDS.contains(kind.get())
            && !vmsOf.containsKey(target.get())) {
          r.error("target", "'" + target.get() + "' is a network or port; " + kind.get()
              + " needs a vm or fleet");
          target = Optional.empty();
        }
      }
      if (k.isEmpty()) {
        continue;
      }
      Set<String> allowed = new java.util.HashSet<>(FAULT_COMMON_KEYS);
      allowed.addAll(k.get().keys());
      if (!partition) {
        allowed.add("target");
      }
      if (k.get().link()) {
        allowed.add("direction");
      }
      unknownKeys(p, list.get().get(i), allowed);
      Direction direction = Direction.BOTH;
      if (k.get().link()) {
        Optional<String> text = r.optional("direction", fault::getString);
        try {
          direction = Direction.parse("direction",
              text.orElse(defaults.getString("faults.direction")));
        } catch (FaultParameterException e) {
          r.error("direction", e.getMessage());
        }
      }
      Optional<io.fleetsim.fault.Fault> built = FaultRegistry.build(kind.get(),
          new Params(r, fault, kind.get()));
      if (built.isPresent() && built.get() instanceof PartitionFault.Groups) {
        built = partitionGroups(r, fault, (PartitionFault.Groups) built.get(), vmsOf);
      }
      if (at.isPresent() && built.isPresent() && (partition || target.isPresent()) && r.ok) {
        out.add(new Fault(at.get(), dur, every, kind.get(), target, direction, built.get()));
        indexed.add(new ControlOrder.Indexed(i, out.get(out.size() - 1)));
      }
    }
    if (duration.isPresent()) {
      for (ControlOrder.Problem problem : ControlOrder.check(indexed, vmsOf, duration.get())) {
        int l = list.get().get(problem.index()).origin().lineNumber();
        error("faults[" + problem.index() + "]", l, problem.message());
      }
    }
    return out;
  }

  /**
   * A fault's first occurrence must end by the end of the run ({@code at + for <= duration}), and
   * {@code every} must leave room for a repetition.
   */
  private void endsInTime(FaultReader r, Optional<Duration> at, Optional<Duration> dur,
      Optional<Duration> every, Optional<Duration> total) {
    if (total.isEmpty()) {
      return;
    }
    Duration end = total.get();
    if (dur.isPresent() && at.isPresent() && at.get().plus(dur.get()).compareTo(end) > 0) {
      r.errorHere(r.lineOf("for"), "at " + human(at.get()) + " + for " + human(dur.get())
          + " ends at " + human(at.get().plus(dur.get())) + ", after the experiment's duration "
          + human(end));
    } else if (dur.isPresent() && at.isEmpty() && dur.get().compareTo(end) > 0) {
      r.error("for", "for " + human(dur.get()) + " is longer than the experiment's duration "
          + human(end));
    }
    if (every.isPresent() && every.get().compareTo(end) > 0) {
      r.error("every", "every " + human(every.get()) + " is longer than the experiment's duration "
          + human(end) + ", so the fault would never repeat");
    }
  }

  /** Every VM name and fleet name, each with the VMs it stands for. */
  private Map<String, List<String>> vmsByName() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String f : names("vms")) {
      String countPath = join("vms", f, "count");
      int count = 1;
      if (root.hasPath(countPath) && root.getValue(countPath).valueType() == ConfigValueType.NUMBER) {
        count = root.getInt(countPath);
      }
      List<String> vms = new ArrayList<>();
      for (int i = 1; count > 1 && i <= count; i++) {
        vms.add(f + "-" + i);
        out.put(f + "-" + i, List.of(f + "-" + i));
      }
      out.put(f, count > 1 ? vms : List.of(f));
    }
    return out;
  }

  /** Checks a partition's names against the VMs and fleets, and expands fleets to their VMs. */
  private Optional<io.fleetsim.fault.Fault> partitionGroups(FaultReader r, Config fault,
      PartitionFault.Groups raw, Map<String, List<String>> vmsOf) {
    List<List<String>> expanded = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    boolean ok = true;
    for (int g = 0; g < raw.groups().size(); g++) {
      List<String> vms = new ArrayList<>();
      for (int j = 0; j < raw.groups().get(g).size(); j++) {
        String name = raw.groups().get(g).get(j);
        String at = "groups[" + g + "][" + j + "]";
        int line = fault.getList("groups").get(g) instanceof com.typesafe.config.ConfigList
            ? ((com.typesafe.config.ConfigList) fault.getList("groups").get(g)).get(j).origin().lineNumber()
            : r.line;
        if (!vmsOf.containsKey(name)) {
          r.errorAt(at, line, "unknown vm or fleet '" + name + "'" + (vmsOf.isEmpty()
              ? " (there are no vms)" : " (known: " + String.join(", ", new java.util.TreeSet<>(vmsOf.keySet())) + ")"));
          ok = false;
          continue;
        }
        for (String vm : vmsOf.get(name)) {
          String other = seen.putIfAbsent(vm, name);
          if (other != null) {
            r.errorAt(at, line, "'" + vm + "' is already in the partition (as " + other + ")");
            ok = false;
          } else {
            vms.add(vm);
          }
        }
      }
      expanded.add(vms);
    }
    return ok ? Optional.of(new PartitionFault.Groups(expanded)) : Optional.empty();
  }

  /**
   * A fault's own parameters for {@link FaultRegistry}: the file's value, else the kind's default
   * from {@code fleetsim.experiment-defaults.faults.KIND} in reference.conf.
   */
  private final class Params implements FaultParams {
    private final FaultReader r;
    private final Config given;
    private final Config merged;

    Params(FaultReader r, Config given, String kind) {
      this.r = r;
      this.given = given;
      String defaultsPath = join("faults", kind);
      this.merged = defaults.hasPath(defaultsPath)
          ? given.withFallback(defaults.getConfig(defaultsPath)) : given;
    }

    @Override
    public boolean has(String key) {
      return given.hasPath(key);
    }

    private <T> Optional<T> get(String key, Function<String, T> getter) {
      if (!merged.hasPath(key)) {
        r.error(key, "missing required key");
        return Optional.empty();
      }
      try {
        return Optional.of(getter.apply(key));
      } catch (ConfigException e) {
        r.error(key, rephrase(e, key));
        return Optional.empty();
      }
    }

    @Override
    public Optional<Duration> getDuration(String key) {
      return get(key, k -> Units.duration(merged, k));
    }

    @Override
    public Optional<Double> getDouble(String key) {
      return get(key, merged::getDouble);
    }

    @Override
    public Optional<Integer> getInt(String key) {
      return get(key, merged::getInt);
    }

    @Override
    public Optional<String> getString(String key) {
      return get(key, merged::getString);
    }

    @Override
    public Optional<Long> getBytes(String key) {
      return get(key, k -> Units.bytes(merged, k));
    }

    @Override
    public Optional<List<List<String>>> getStringLists(String key) {
      Optional<List<? extends Object>> raw = get(key, merged::getAnyRefList);
      if (raw.isEmpty()) {
        return Optional.empty();
      }
      List<List<String>> out = new ArrayList<>();
      for (Object element : raw.get()) {
        if (!(element instanceof List) || ((List<?>) element).stream().anyMatch(x -> !(x instanceof String))) {
          r.error(key, "expected a list of lists of names such as [[web-1, web-2], [pinger]]");
          return Optional.empty();
        }
        out.add(((List<?>) element).stream().map(String.class::cast)
            .collect(java.util.stream.Collectors.toList()));
      }
      return Optional.of(out);
    }

    @Override
    public void error(String key, String message) {
      r.error(key, message);
    }
  }

  /** Reads one element of {@code faults}: paths are relative to it, lines come from it. */
  private final class FaultReader {
    final String prefix;
    final int line;
    final Config config;
    boolean ok = true;

    FaultReader(String prefix, int line, Config config) {
      this.prefix = prefix;
      this.line = line;
      this.config = config;
    }

    <T> Optional<T> required(String key, Function<String, T> getter) {
      if (!config.hasPath(key)) {
        ok = false;
        ExperimentReader.this.error(prefix, line, "missing required key '" + key + "'");
        return Optional.empty();
      }
      return optional(key, getter);
    }

    <T> Optional<T> optional(String key, Function<String, T> getter) {
      if (!config.hasPath(key)) {
        return Optional.empty();
      }
      try {
        return Optional.of(getter.apply(key));
      } catch (ConfigException e) {
        error(key, rephrase(e, key));
        return Optional.empty();
      }
    }

    Optional<Duration> within(String key, Duration d, Optional<Duration> total, boolean zeroOk) {
      if (d.isNegative() || (!zeroOk && d.isZero())) {
        error(key, "must be " + (zeroOk ? ">= 0" : "> 0") + ", not " + human(d));
        return Optional.empty();
      }
      if (total.isPresent() && d.compareTo(total.get()) > (zeroOk ? -1 : 0)) {
        error(key, human(d) + " is not within the experiment's duration " + human(total.get()));
        return Optional.empty();
      }
      return Optional.of(d);
    }

    /** A length ({@code for}, {@code every}): > 0; how it fits the duration is checked apart. */
    Optional<Duration> length(String key, Duration d) {
      if (d.isNegative() || d.isZero()) {
        error(key, "must be > 0, not " + human(d));
        return Optional.empty();
      }
      return Optional.of(d);
    }

    int lineOf(String key) {
      return config.hasPath(key) ? config.getValue(key).origin().lineNumber() : line;
    }

    /** An error about the fault as a whole (several of its keys together). */
    void errorHere(int l, String message) {
      ok = false;
      ExperimentReader.this.error(prefix, l, message);
    }

    void error(String key, String message) {
      errorAt(key, lineOf(key), message);
    }

    void errorAt(String relativePath, int l, String message) {
      ok = false;
      ExperimentReader.this.error(prefix + "." + relativePath, l, message);
    }
  }

  // ---- cross checks

  /**
   * A fault or capture target names a vm, fleet, network or port (netdev id); a port id that is
   * also one of the others would make the target ambiguous.
   */
  private void portIdClashes(Map<String, Network> networks) {
    Map<String, List<String>> vmsOf = vmsByName();
    Set<String> fleetNames = new java.util.HashSet<>(names("vms"));
    Set<String> networkNames = new java.util.HashSet<>(names("networks"));
    for (Network n : networks.values()) {
      for (int i = 0; i < n.ports().size(); i++) {
        String id = n.ports().get(i).id();
        String what = networkNames.contains(id) ? "a network"
            : fleetNames.contains(id) ? (vmsOf.get(id).size() > 1 ? "a fleet" : "a vm")
            : vmsOf.containsKey(id) ? "a vm" : null;
        if (what != null) {
          String at = join("networks", n.name(), "ports") + "[" + i + "]";
          error(at, lineOfElement(join("networks", n.name(), "ports"), i), "netdev id '" + id
              + "' is also the name of " + what
              + " (fault and capture targets would be ambiguous)");
        }
      }
    }
  }

  /** Two netdevs listening on one host:port cannot both start ("" or 0.0.0.0 overlaps every host). */
  private void listenOverlaps(Map<String, Network> networks, Map<String, Fleet> fleets) {
    Map<String, String> seen = new LinkedHashMap<>();
    for (Network n : networks.values()) {
      for (int i = 0; i < n.ports().size(); i++) {
        String at = join("networks", n.name(), "ports") + "[" + i + "]";
        listen(n.ports().get(i), at, lineOfElement(join("networks", n.name(), "ports"), i), seen);
      }
    }
    for (Fleet f : fleets.values()) {
      if (f.attachment() instanceof Experiment.ToNetdev) {
        NetdevSpec spec = ((Experiment.ToNetdev) f.attachment()).netdev();
        String at = join("vms", f.name(), "netdev");
        for (int i = 0; i < f.count(); i++) {
          listen(spec, at, lineOf(at), seen);
        }
      }
    }
  }

  private void listen(NetdevSpec spec, String at, int line, Map<String, String> seen) {
    if (!(spec instanceof NetdevSpec.Stream) || !((NetdevSpec.Stream) spec).server()) {
      return;
    }
    SocketAddr addr = ((NetdevSpec.Stream) spec).addr();
    if (!(addr instanceof SocketAddr.Inet)) {
      return;
    }
    SocketAddr.Inet inet = (SocketAddr.Inet) addr;
    boolean wildcard = inet.host().isEmpty() || inet.host().equals("0.0.0.0");
    for (Map.Entry<String, String> e : seen.entrySet()) {
      String[] hp = e.getKey().split("\\|", 2);
      boolean samePort = hp[1].equals(String.valueOf(inet.port()));
      boolean otherWildcard = hp[0].isEmpty() || hp[0].equals("0.0.0.0");
      if (samePort && (wildcard || otherWildcard || hp[0].equals(inet.host()))) {
        error(at, line, "overlapping ports: listens on " + inet + " as "
            + e.getValue() + " does");
        return;
      }
    }
    seen.put(inet.host() + "|" + inet.port(), at);
  }

  // ---- helpers

  /** The keys of the object at {@code path}, in file order; invalid names are reported and skipped. */
  private List<String> names(String path) {
    List<String> out = new ArrayList<>();
    if (!root.hasPath(path)) {
      return out;
    }
    ConfigValue v = root.getValue(path);
    if (v.valueType() != ConfigValueType.OBJECT) {
      if (!reportedWrongType.contains(path)) {
        reportedWrongType.add(path);
        error(path, "expected an object { NAME { ... } }, got " + describe(v));
      }
      return out;
    }
    ConfigObject obj = (ConfigObject) v;
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(obj.entrySet());
    entries.sort(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
    for (Map.Entry<String, ConfigValue> e : entries) {
      String key = e.getKey();
      String p = path + "." + ConfigUtil.joinPath(key);
      Optional<String> problem = nameProblem(key);
      if (problem.isPresent()) {
        if (reportedWrongType.add(p)) {
          error(p, e.getValue().origin().lineNumber(), problem.get());
        }
        continue;
      }
      if (e.getValue().valueType() != ConfigValueType.OBJECT) {
        if (reportedWrongType.add(p)) {
          error(p, e.getValue().origin().lineNumber(), "expected an object { ... }, got " + describe(e.getValue()));
        }
        continue;
      }
      out.add(key);
    }
    return out;
  }

  private final Set<String> reportedWrongType = new java.util.HashSet<>();

  private void unknownKeys(String path, ConfigObject obj, Set<String> allowed) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        String p = path.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : path + "." + ConfigUtil.joinPath(e.getKey());
        error(p, e.getValue().origin().lineNumber(), "unknown key '" + e.getKey() + "'"
            + suggestion(e.getKey(), allowed));
      }
    }
  }

  private static String suggestion(String key, Set<String> allowed) {
    String best = null;
    int bestDistance = 3;
    for (String a : allowed) {
      int d = distance(key, a);
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best == null ? " (expected one of: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"
        : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private <T> Optional<T> required(String path, Function<String, T> getter) {
    if (!root.hasPath(path)) {
      String parent = parentOf(path);
      error(path, lineOf(parent), "missing required key");
      return Optional.empty();
    }
    return optional(path, getter);
  }

  private <T> Optional<T> optional(String path, Function<String, T> getter) {
    if (!root.hasPath(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(getter.apply(path));
    } catch (ConfigException e) {
      error(path, rephrase(e, path));
      return Optional.empty();
    }
  }

  private Optional<String> named(String path, String value) {
    Optional<String> problem = nameProblem(value);
    problem.ifPresent(m -> error(path, m));
    return problem.isPresent() ? Optional.empty() : Optional.of(value);
  }

  /**
   * Names become folder and file names (results/NAME-TIMESTAMP/, NAME.pcap), so they are short
   * and portable; most file systems stop at 255 bytes.
   */
  private static Optional<String> nameProblem(String value) {
    if (value.length() > MAX_NAME) {
      return Optional.of("'" + value.substring(0, 20) + "...' is " + value.length()
          + " characters long; a name has at most " + MAX_NAME + " (it names folders and files)");
    }
    if (!NAME.matcher(value).matches()) {
      return Optional.of("'" + value + "' is not a valid name (use a-z, 0-9, - and _)");
    }
    return Optional.empty();
  }

  private Optional<Duration> positive(String path, Duration d) {
    if (d.isNegative() || d.isZero()) {
      error(path, "must be > 0, not " + human(d));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  /** Config's message without its origin prefix and with "expected X, got Y" for type errors. */
  static String rephrase(ConfigException e, String path) {
    String m = e.getMessage();
    if (e.origin() != null) {
      String origin = e.origin().description() + ": ";
      if (m.startsWith(origin)) {
        m = m.substring(origin.length());
      }
    }
    m = m.replaceFirst("^\\d+: ", "");
    m = m.replaceFirst("^Invalid value at '[^']*': ", "");
    Matcher wrong = WRONG_TYPE.matcher(m);
    if (e instanceof ConfigException.WrongType && wrong.matches()) {
      return "expected " + wrong.group(2).toLowerCase(Locale.ROOT) + ", got "
          + wrong.group(1).toLowerCase(Locale.ROOT);
    }
    return m;
  }

  private static String describe(ConfigValue v) {
    return v.valueType().name().toLowerCase(Locale.ROOT) + " " + v.render();
  }

  private static String known(Set<String> names) {
    return names.isEmpty() ? " (there are no networks)"
        : " (known: " + String.join(", ", new java.util.TreeSet<>(names)) + ")";
  }

  static String human(Duration d) {
    return io.fleetsim.guest.workload.Durations.format(d);
  }

  private int lineOf(String path) {
    if (path.isEmpty()) {
      return root.root().origin().lineNumber();
    }
    return root.hasPathOrNull(path) ? root.getValue(path).origin().lineNumber() : lineOf(parentOf(path));
  }

  private int lineOfElement(String listPath, int i) {
    try {
      return root.getList(listPath).get(i).origin().lineNumber();
    } catch (ConfigException | IndexOutOfBoundsException e) {
      return lineOf(listPath);
    }
  }

  private static String parentOf(String path) {
    List<String> parts = ConfigUtil.splitPath(path);
    return parts.size() <= 1 ? "" : ConfigUtil.joinPath(parts.subList(0, parts.size() - 1));
  }

  private static String join(String... parts) {
    List<String> all = new ArrayList<>();
    for (String p : parts) {
      all.addAll(ConfigUtil.splitPath(p));
    }
    return ConfigUtil.joinPath(all);
  }

  private void error(String path, String message) {
    error(path, lineOf(path), message);
  }

  private void error(String path, int line, String message) {
    errors.add(new ValidationError(file, path, line, message));
  }
}
