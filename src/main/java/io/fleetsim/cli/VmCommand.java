package io.fleetsim.cli;

import io.fleetsim.guest.workload.Workloads;
import io.fleetsim.qemu.QemuOption;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vm", mixinStandardHelpOptions = true,
    header = "Runs one simulated VM: e1000 NICs on QEMU netdevs, an IPv4 guest, workloads.",
    description = "With --run it exits when every finite workload has ended (0 if all succeeded); "
        + "without, it answers ARP and ping until SIGINT or SIGTERM.",
    footer = {"", "Workloads (--run \"KIND ARGS\", one per --run):",
        "  " + Workloads.PING_USAGE,
        "  " + Workloads.TRACEROUTE_USAGE,
        "  " + Workloads.UDP_SEND_USAGE,
        "  " + Workloads.UDP_SINK_USAGE,
        "  " + Workloads.ECHO_USAGE,
        // the longer ones split by hand: a footer line picocli wraps loses its indent
        "  " + Workloads.TCP_STREAM_USAGE_START, "      " + Workloads.USER_TIMEOUT_OPTION,
        "  " + Workloads.TCP_SINK_USAGE,
        "  " + Workloads.TCP_RR_USAGE_START, "      " + Workloads.USER_TIMEOUT_OPTION,
        "  " + Workloads.TCP_ECHO_USAGE,
        "  " + Workloads.HTTP_SERVE_USAGE,
        "  " + Workloads.HTTP_GET_USAGE,
        "  " + Workloads.DHCP_SERVER_USAGE,
        "  " + Workloads.APP_USAGE,
        "    (CLASS: an App on FLEETSIM_CLASSPATH; README, Writing a workload)",
        "Values take their units: a DURATION 200ms, 1s or 2m; a SIZE 1200B or 1KiB;",
        "an AMOUNT (of stream data) 1500B, 64KiB, 10MB or 1GiB; a rate 300/s."})
final class VmCommand implements Callable<Integer> {

  @Mixin
  QemuArgs qemu = new QemuArgs();

  @Option(names = {"-device", "--device"}, paramLabel = "e1000,netdev=ID,...",
      description = "A QEMU NIC: e1000 with netdev= and optional mac=.")
  void device(String value) {
    qemu.add(new QemuOption("-device", value));
  }

  @Option(names = "--ip", paramLabel = "[NETDEV=]ADDR/PREFIX[,gw=ADDR]",
      description = "A static address for the next NIC, or for the NIC on NETDEV.")
  List<String> ips = new ArrayList<>();

  @Option(names = "--dhcp", arity = "0..1", fallbackValue = VmSetup.ALL_NICS, paramLabel = "NETDEV",
      description = "Get an address by DHCP: for NETDEV's NIC, or for every NIC without --ip.")
  List<String> dhcp = new ArrayList<>();

  @Option(names = "--run", paramLabel = "WORKLOAD",
      description = "A workload, e.g. \"ping 10.0.0.1 count=5\" (the kinds are listed below). "
          + "Repeat for several.")
  List<String> runs = new ArrayList<>();

  @Option(names = "--name", defaultValue = "vm", paramLabel = "NAME", description = "The VM's name in reports (default: vm).")
  String name;

  @Option(names = "--cpu-mhz", paramLabel = "MHZ", description = "The vCPU's clock (default: fleetsim.vm.cpu.mhz).")
  Double cpuMhz;

  @Option(names = "--stats", paramLabel = "FILE",
      description = "At exit, write NIC statistics registers, counters and workload results as JSON.")
  File stats;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Settings over fleetsim's defaults, in HOCON (the keys are in reference.conf).")
  File config;

  @Override
  public Integer call() throws Exception {
    if (stats != null) {
      Writable.file("--stats " + stats, stats.toPath());
    }
    Settings settings = Settings.load(Optional.ofNullable(config));
    Clock clock = RealClock.system(); // the one clock of this process
    VmSetup setup = VmSetup.from(name, qemu.options(), ips, dhcp, runs, Optional.ofNullable(cpuMhz),
        settings, clock);
    return VmProcess.run(setup, settings, clock, Optional.ofNullable(stats));
  }
}
