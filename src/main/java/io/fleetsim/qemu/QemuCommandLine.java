package io.fleetsim.qemu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entry points: one option at a time, or all options of a process checked against each other.
 * Parsing opens no socket, resolves no name, touches no file, and fails only with
 * {@link OptionException}, whose message names the option and the offending part in QEMU 7.2's
 * words where QEMU has them.
 */
public final class QemuCommandLine {

  private QemuCommandLine() {}

  /** One {@code -netdev} value, e.g. {@code socket,id=n0,listen=:1234} or a JSON object. */
  public static NetdevSpec parseNetdev(String value) {
    return NetdevParser.parse(value);
  }

  /** One {@code -device} value: {@code e1000,netdev=ID[,mac=..][,id=..]}. */
  public static DeviceSpec parseDevice(String value) {
    return DeviceParser.parse(value);
  }

  /** One {@code -object} value: only {@code filter-dump,id=F,netdev=N,file=PATH[,maxlen=N]}. */
  public static FilterDumpSpec parseObject(String value) {
    return FilterDumpParser.parse(value);
  }

  /**
   * All options of one process. Each is parsed alone, then they are checked together the way
   * QEMU creates them: netdevs first in command-line order (so a hubport's {@code netdev=} must
   * name an earlier -netdev), then devices and objects, which may name any netdev. A netdev has
   * at most one peer: a device or one hubport's {@code netdev=}.
   */
  public static QemuConfig parse(List<QemuOption> options) {
    List<NetdevSpec> netdevs = new ArrayList<>();
    List<DeviceSpec> devices = new ArrayList<>();
    List<FilterDumpSpec> dumps = new ArrayList<>();
    for (QemuOption o : options) {
      switch (canonicalName(o.name())) {
        case "-netdev":
          netdevs.add(parseNetdev(o.value()));
          break;
        case "-device":
          devices.add(parseDevice(o.value()));
          break;
        case "-object":
          dumps.add(parseObject(o.value()));
          break;
        default:
          throw new OptionException(o.name() + " " + o.value() + ": fleetsim does not support"
              + " option '" + o.name() + "' here (supported: -netdev, -device, -object)");
      }
    }
    Map<String, NetdevSpec> byId = new HashMap<>();
    // netdev id -> who took it as its peer, for messages
    Map<String, String> peerOf = new HashMap<>();
    for (NetdevSpec n : netdevs) {
      if (n instanceof NetdevSpec.Hubport) {
        NetdevSpec.Hubport h = (NetdevSpec.Hubport) n;
        if (h.netdev().isPresent()) {
          String target = h.netdev().get();
          if (!byId.containsKey(target)) {
            throw netdevError(n, "netdev '" + target + "' not found"
                + " (a hubport's netdev= must name a -netdev given before it)");
          }
          String taken = peerOf.get(target);
          if (taken != null) {
            throw netdevError(n, "netdev '" + target + "' is already connected (to " + taken
                + "); a netdev can be on one hub only");
          }
          peerOf.put(target, "hubport '" + h.id() + "' of hub " + h.hubId());
        }
      }
      if (byId.putIfAbsent(n.id(), n) != null) {
        throw netdevError(n, "Duplicate ID '" + n.id() + "' for netdev");
      }
    }
    Set<String> deviceIds = new HashSet<>();
    for (DeviceSpec d : devices) {
      if (d.id().isPresent() && !deviceIds.add(d.id().get())) {
        throw deviceError(d, "Duplicate ID '" + d.id().get() + "' for device");
      }
      String prop = "Property '" + d.model() + ".netdev' ";
      if (!byId.containsKey(d.netdev())) {
        throw deviceError(d, prop + "can't find value '" + d.netdev() + "'");
      }
      String taken = peerOf.get(d.netdev());
      if (taken != null) {
        throw deviceError(d, prop + "can't take value '" + d.netdev() + "', it's in use (by "
            + taken + ")");
      }
      peerOf.put(d.netdev(), "-device " + d.source());
    }
    Set<String> objectIds = new HashSet<>();
    for (FilterDumpSpec f : dumps) {
      if (!objectIds.add(f.id())) {
        throw objectError(f, "Duplicate ID '" + f.id() + "' for object");
      }
      if (!byId.containsKey(f.netdev())) {
        throw objectError(f, "Parameter 'netdev' expects a network backend id ('" + f.netdev()
            + "' is not a -netdev id)");
      }
    }
    return new QemuConfig(netdevs, devices, dumps);
  }

  private static String canonicalName(String name) {
    return name.startsWith("--") ? name.substring(1) : name;
  }

  private static OptionException netdevError(NetdevSpec n, String message) {
    return new OptionException(NetdevParser.OPTION + " " + n.source() + ": " + message);
  }

  private static OptionException deviceError(DeviceSpec d, String message) {
    return new OptionException(DeviceParser.OPTION + " " + d.source() + ": " + message);
  }

  private static OptionException objectError(FilterDumpSpec f, String message) {
    return new OptionException(FilterDumpParser.OPTION + " " + f.source() + ": " + message);
  }
}
