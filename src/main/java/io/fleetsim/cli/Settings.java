package io.fleetsim.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.netdev.NetdevSettings;
import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.vm.VmDefaults;
import io.fleetsim.vm.hw.CostTable;
import java.io.File;
import java.util.Optional;

/** HOCON to typed settings: the one place the runtime layers' tunables are read. */
public record Settings(Config config, NetdevSettings netdev, FabricSettings fabric, VmDefaults vm) {

  /** reference.conf, overridden by {@code file} when given, then by -D system properties. */
  public static Settings load(Optional<File> file) {
    Config base = ConfigFactory.load();
    Config config = base;
    if (file.isPresent()) {
      if (!file.get().isFile()) {
        throw new UsageError("--config " + file.get() + ": no such file");
      }
      try {
        config = ConfigFactory.systemProperties()
            .withFallback(ConfigFactory.parseFile(file.get()))
            .withFallback(base)
            .resolve();
      } catch (ConfigException e) {
        throw new UsageError("--config " + e.getMessage()); // "FILE: LINE: what is wrong"
      }
    }
    try {
      NetdevSettings netdev = new NetdevSettings(
          config.getInt("fleetsim.netdev.max-frame"),
          Math.toIntExact(config.getBytes("fleetsim.netdev.write-batch")));
      FabricSettings fabric = new FabricSettings(
          config.getInt("fleetsim.fabric.ingress-batch-frames"),
          config.getInt("fleetsim.fabric.port-queue-frames"),
          config.getDuration("fleetsim.switch.mac-ageing"),
          config.getBoolean("fleetsim.fabric.splice"));
      return new Settings(config, netdev, fabric, vm(config.getConfig("fleetsim.vm")));
    } catch (ConfigException | IllegalArgumentException | ArithmeticException e) {
      throw new UsageError("configuration: " + e.getMessage());
    }
  }

  private static VmDefaults vm(Config vm) {
    Config costs = vm.getConfig("cpu.costs");
    return new VmDefaults(
        vm.getBytes("memory"),
        vm.getDouble("cpu.mhz"),
        vm.getDuration("cpu.burst"),
        new CostTable(costs.getLong("mmio-read"), costs.getLong("mmio-write"),
            costs.getLong("interrupt-entry"), costs.getDouble("per-byte-copy"),
            costs.getLong("rx-packet"), costs.getLong("tx-packet"), costs.getLong("timer-tick")),
        new E1000Driver.Config(vm.getInt("e1000.rx-descriptors"), vm.getInt("e1000.tx-descriptors"),
            Math.toIntExact(vm.getBytes("e1000.tx-buffer")), vm.getInt("e1000.poll-budget"),
            vm.getInt("e1000.interrupt-throttle")),
        new E1000Nic.Settings(vm.getInt("nic.ingress-batch-frames"),
            vm.getInt("nic.transmit-queue-frames")));
  }
}
