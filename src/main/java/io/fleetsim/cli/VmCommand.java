package io.fleetsim.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vm", mixinStandardHelpOptions = true,
    description = {"Runs one simulated VM: e1000 NICs on QEMU netdevs, a small IPv4 guest, workloads.",
        "With --run it exits when every finite workload has ended (0 if all succeeded);",
        "without, it serves (ARP, ping, echo) until SIGINT or SIGTERM."})
final class VmCommand implements Callable<Integer> {

  @Mixin
  QemuArgs qemu = new QemuArgs();

  @Option(names = "--ip", paramLabel = "[NETDEV=]ADDR/PREFIX[,gw=ADDR]",
      description = "A static address for the next NIC, or for the NIC on NETDEV.")
  List<String> ips = new ArrayList<>();

  @Option(names = "--dhcp", arity = "0..1", fallbackValue = VmSetup.ALL_NICS, paramLabel = "NETDEV",
      description = "Get an address by DHCP: for NETDEV's NIC, or for every NIC without --ip.")
  List<String> dhcp = new ArrayList<>();

  @Option(names = "--run", paramLabel = "WORKLOAD",
      description = {"A workload, e.g. \"ping 10.0.0.1 count=5\", \"udp-send 10.0.0.1:5000 rate=1000\",",
          "\"udp-sink 5000\", \"echo 7\". Repeat for several."})
  List<String> runs = new ArrayList<>();

  @Option(names = "--name", defaultValue = "vm", description = "The VM's name in reports (default: vm).")
  String name;

  @Option(names = "--cpu-mhz", paramLabel = "MHZ", description = "The vCPU's clock (default: fleetsim.vm.cpu.mhz).")
  Double cpuMhz;

  @Option(names = "--stats", paramLabel = "FILE",
      description = "At exit, write NIC statistics registers, counters and workload results as JSON.")
  File stats;

  @Option(names = "--config", paramLabel = "FILE",
      description = "HOCON file overriding fleetsim's defaults (see reference.conf).")
  File config;

  @Override
  public Integer call() throws Exception {
    Settings settings = Settings.load(Optional.ofNullable(config));
    VmSetup setup = VmSetup.from(name, qemu.options(), ips, dhcp, runs, Optional.ofNullable(cpuMhz),
        settings);
    return VmProcess.run(setup, settings, Optional.ofNullable(stats));
  }
}
