package io.fleetsim.vm;

import io.fleetsim.link.FrameTap;
import io.fleetsim.link.Port;
import java.util.List;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.qemu.NetdevSpec;

/** One e1000 of a VM and what its wire is plugged into. */
public record NicSpec(String id, MacAddress mac, Attachment attachment, List<FrameTap> taps) {
  public NicSpec {
    taps = List.copyOf(taps);
  }

  /** Where a NIC's frames go: a QEMU netdev backend, or a port of an in-process fabric. */
  public sealed interface Attachment permits Netdev, FabricPort {}

  public record Netdev(NetdevSpec spec) implements Attachment {}

  public record FabricPort(Port port) implements Attachment {}
}
