package io.fleetsim.cli;

import io.fleetsim.capture.CaptureException;
import io.fleetsim.capture.PcapWriter;
import io.fleetsim.link.FrameTap;
import io.fleetsim.guest.os.GuestSystem;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.guest.workload.WorkloadSyntaxException;
import io.fleetsim.guest.workload.Workloads;
import io.fleetsim.qemu.DeviceSpec;
import io.fleetsim.qemu.FilterDumpSpec;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.qemu.QemuConfig;
import io.fleetsim.qemu.QemuOption;
import io.fleetsim.time.Clock;
import io.fleetsim.vm.NicSpec;
import io.fleetsim.vm.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code fleetsim vm}'s arguments checked and turned into a VM and its guest, before anything runs. */
record VmSetup(VmSpec spec, GuestSystem guest, List<PcapWriter> captures, boolean finite) {
  /** --dhcp without a netdev: every NIC that has no --ip. */
  static final String ALL_NICS = "*";

  static VmSetup from(String name, List<QemuOption> options, List<String> ips, List<String> dhcp,
      List<String> runs, Optional<Double> cpuMhz, Settings settings, Clock clock) {
    QemuConfig qemu = QemuCommandLine.parse(options);
    if (qemu.devices().isEmpty()) {
      throw new UsageError("a VM needs at least one -device e1000,netdev=ID");
    }
    Map<String, NetdevSpec> netdevs = new LinkedHashMap<>();
    for (NetdevSpec netdev : qemu.netdevs()) {
      if (netdev instanceof NetdevSpec.Hubport) {
        throw new UsageError("-netdev " + netdev.source() + ": a VM's NIC connects straight to its "
            + "netdev; hubs belong to 'fleetsim hub'");
      }
      netdevs.put(netdev.id(), netdev);
    }
    List<String> nicIds = new ArrayList<>();
    for (DeviceSpec device : qemu.devices()) {
      nicIds.add(device.netdev());
    }
    for (NetdevSpec netdev : netdevs.values()) {
      if (!nicIds.contains(netdev.id())) {
        throw new UsageError("-netdev " + netdev.source() + ": no -device e1000 uses it");
      }
    }

    List<GuestSystem.InterfaceSetup> interfaces = interfaces(nicIds, ips, dhcp);
    List<Workload> workloads = new ArrayList<>();
    for (String run : runs) {
      try {
        workloads.add(Workloads.parse(run));
      } catch (WorkloadSyntaxException e) {
        throw new UsageError("--run \"" + run + "\": " + e.getMessage());
      }
    }
    if (!workloads.isEmpty()
        && interfaces.stream().noneMatch(i -> i.dhcp() || i.address().isPresent())) {
      // without an address every workload fails at its first send ("Network is unreachable")
      throw new UsageError("--run needs an address: give a NIC --ip ADDR/PREFIX or --dhcp");
    }
    double mhz = cpuMhz.orElse(settings.vm().cpuMhz());
    if (!(mhz > 0)) {
      throw new UsageError("--cpu-mhz must be positive, got " + mhz);
    }

    List<PcapWriter> captures = new ArrayList<>();
    Map<String, List<FrameTap>> taps = new LinkedHashMap<>();
    for (FilterDumpSpec dump : qemu.dumps()) {
      try {
        PcapWriter writer = PcapWriter.open(dump.id(), Path.of(dump.file()), dump.maxlen(), clock);
        captures.add(writer);
        taps.computeIfAbsent(dump.netdev(), k -> new ArrayList<>()).add(writer);
      } catch (CaptureException e) {
        captures.forEach(PcapWriter::close);
        throw new UsageError(dump.source() + ": " + e.getMessage());
      }
    }

    List<NicSpec> nics = new ArrayList<>();
    int defaultMacs = 0;
    for (DeviceSpec device : qemu.devices()) {
      // QEMU numbers default MACs per process: 52:54:00:12:34:56, :57, ... for NICs without mac=
      MacAddress mac = device.mac().orElse(
          new MacAddress(MacAddress.QEMU_DEFAULT.bits() + defaultMacs++));
      nics.add(new NicSpec(device.netdev(), mac, new NicSpec.Netdev(netdevs.get(device.netdev())),
          taps.getOrDefault(device.netdev(), List.of())));
    }
    io.fleetsim.vm.VmDefaults vm = settings.vm();
    VmSpec spec;
    try {
      // no experiment seed here: the first MAC (set by the user to tell VMs apart) and the name
      spec = new VmSpec(name, vm.memoryBytes(), mhz, vm.costs(), vm.burst().toNanos(), vm.driver(),
          nics, VmSpec.seed(nics.get(0).mac().bits(), name));
    } catch (IllegalArgumentException e) {
      captures.forEach(PcapWriter::close);
      throw new UsageError(e.getMessage());
    }
    return new VmSetup(spec, new GuestSystem(interfaces, workloads), captures,
        workloads.stream().anyMatch(Workload::finite));
  }

  /** --ip and --dhcp, matched to NICs by netdev id or, without one, in NIC order. */
  private static List<GuestSystem.InterfaceSetup> interfaces(List<String> nicIds, List<String> ips,
      List<String> dhcp) {
    GuestSystem.InterfaceSetup[] setups = new GuestSystem.InterfaceSetup[nicIds.size()];
    int next = 0;
    for (String ip : ips) {
      String text = ip;
      int nic;
      int eq = text.indexOf('=');
      if (eq > 0 && !text.substring(0, eq).contains(",")) {
        nic = nicIndex(nicIds, text.substring(0, eq), "--ip " + ip);
        text = text.substring(eq + 1);
      } else {
        while (next < setups.length && setups[next] != null) {
          next++;
        }
        if (next == setups.length) {
          throw new UsageError("--ip " + ip + ": more addresses than NICs (" + nicIds.size() + ")");
        }
        nic = next;
      }
      if (setups[nic] != null) {
        throw new UsageError("--ip " + ip + ": NIC " + nicIds.get(nic) + " already has an address");
      }
      setups[nic] = new GuestSystem.InterfaceSetup(Optional.of(parseAddress(text, ip)), false);
    }
    for (String d : dhcp) {
      if (d.equals(ALL_NICS)) {
        for (int i = 0; i < setups.length; i++) {
          if (setups[i] == null) {
            setups[i] = new GuestSystem.InterfaceSetup(Optional.empty(), true);
          }
        }
      } else {
        int nic = nicIndex(nicIds, d, "--dhcp " + d);
        if (setups[nic] != null) {
          throw new UsageError("--dhcp " + d + ": NIC " + d + " already has an address");
        }
        setups[nic] = new GuestSystem.InterfaceSetup(Optional.empty(), true);
      }
    }
    List<GuestSystem.InterfaceSetup> result = new ArrayList<>();
    for (GuestSystem.InterfaceSetup s : setups) {
      result.add(s == null ? GuestSystem.InterfaceSetup.unconfigured() : s);
    }
    return result;
  }

  private static int nicIndex(List<String> nicIds, String id, String option) {
    int i = nicIds.indexOf(id);
    if (i < 0) {
      throw new UsageError(option + ": no NIC on netdev '" + id + "' (NICs: " + String.join(", ", nicIds) + ")");
    }
    return i;
  }

  /** {@code ADDR/PREFIX[,gw=ADDR]}. */
  private static Ipv4Config parseAddress(String text, String option) {
    String[] parts = text.split(",");
    String[] cidr = parts[0].split("/");
    if (cidr.length != 2) {
      throw new UsageError("--ip " + option + ": expected ADDR/PREFIX, e.g. 10.0.0.2/24");
    }
    Ipv4Address address = Ipv4Address.tryParse(cidr[0]).orElseThrow(() ->
        new UsageError("--ip " + option + ": '" + cidr[0] + "' is not an IPv4 address"));
    int prefix;
    try {
      prefix = Integer.parseInt(cidr[1]);
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 1 || prefix > 32) {
      throw new UsageError("--ip " + option + ": prefix length must be 1..32, got '" + cidr[1] + "'");
    }
    Optional<Ipv4Address> gateway = Optional.empty();
    for (int i = 1; i < parts.length; i++) {
      if (!parts[i].startsWith("gw=")) {
        throw new UsageError("--ip " + option + ": unknown part '" + parts[i] + "' (expected gw=ADDR)");
      }
      String gw = parts[i].substring(3);
      gateway = Optional.of(Ipv4Address.tryParse(gw).orElseThrow(() ->
          new UsageError("--ip " + option + ": gateway '" + gw + "' is not an IPv4 address")));
    }
    try {
      return new Ipv4Config(address, prefix, gateway);
    } catch (IllegalArgumentException e) {
      throw new UsageError("--ip " + option + ": " + e.getMessage());
    }
  }
}
