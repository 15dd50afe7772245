package io.fleetsim.cli;

import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.qemu.QemuConfig;
import io.fleetsim.qemu.QemuOption;
import io.fleetsim.time.RealClock;
import java.io.File;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code fleetsim hub} and {@code fleetsim switch} share: netdevs on one fabric. */
abstract class FabricCommand implements Callable<Integer> {

  @Mixin
  QemuArgs qemu = new QemuArgs();

  /** Not listed in --help: accepted only to refuse it with a reason (see {@link #call}). */
  @Option(names = {"-device", "--device"}, hidden = true)
  void device(String value) {
    qemu.add(new QemuOption("-device", value));
  }

  @Option(names = "--stats", paramLabel = "FILE",
      description = "At exit, also write the per-port counters to FILE as JSON.")
  File stats;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Settings over fleetsim's defaults, in HOCON (the keys are in reference.conf).")
  File config;

  abstract FabricProcess.Kind kind();

  @Override
  public Integer call() throws Exception {
    QemuConfig parsed = QemuCommandLine.parse(qemu.options());
    if (parsed.netdevs().isEmpty()) {
      throw new UsageError(kind().label() + " needs at least one -netdev");
    }
    if (!parsed.devices().isEmpty()) {
      throw new UsageError(parsed.devices().get(0).source()
          + ": a " + kind().label() + " has no guest to put a NIC in; -device belongs to a VM");
    }
    if (stats != null) {
      Writable.file("--stats " + stats, stats.toPath());
    }
    Settings settings = Settings.load(Optional.ofNullable(config));
    return FabricProcess.run(kind(), parsed, settings, RealClock.system(),
        Optional.ofNullable(stats));
  }
}
