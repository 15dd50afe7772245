package io.fleetsim.qemu;

import java.util.List;

/**
 * All {@code -netdev}, {@code -device} and {@code -object} options of one process, checked
 * against each other (duplicate ids, references to unknown netdevs).
 */
public record QemuConfig(List<NetdevSpec> netdevs, List<DeviceSpec> devices,
    List<FilterDumpSpec> dumps) {
  public QemuConfig {
    netdevs = List.copyOf(netdevs);
    devices = List.copyOf(devices);
    dumps = List.copyOf(dumps);
  }
}
