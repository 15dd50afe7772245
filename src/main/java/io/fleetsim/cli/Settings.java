package io.fleetsim.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.netdev.NetdevSettings;
import java.io.File;
import java.util.Optional;

/** HOCON to typed settings: the one place the runtime layers' tunables are read. */
record Settings(Config config, NetdevSettings netdev, FabricSettings fabric) {

  /** reference.conf, overridden by {@code file} when given, then by -D system properties. */
  static Settings load(Optional<File> file) {
    Config base = ConfigFactory.load();
    Config config = base;
    if (file.isPresent()) {
      if (!file.get().isFile()) {
        throw new UsageError("--config " + file.get() + ": no such file");
      }
      config = ConfigFactory.systemProperties()
          .withFallback(ConfigFactory.parseFile(file.get()))
          .withFallback(base)
          .resolve();
    }
    try {
      NetdevSettings netdev = new NetdevSettings(
          config.getInt("fleetsim.netdev.max-frame"),
          Math.toIntExact(config.getBytes("fleetsim.netdev.write-batch")));
      FabricSettings fabric = new FabricSettings(
          config.getInt("fleetsim.fabric.ingress-batch-frames"),
          config.getInt("fleetsim.fabric.port-queue-frames"),
          config.getDuration("fleetsim.switch.mac-ageing"));
      return new Settings(config, netdev, fabric);
    } catch (ConfigException | IllegalArgumentException | ArithmeticException e) {
      throw new UsageError("configuration: " + e.getMessage());
    }
  }
}
