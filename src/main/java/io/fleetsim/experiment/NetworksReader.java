package io.fleetsim.experiment;

import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.experiment.Experiment.NetworkType;
import io.fleetsim.fault.FaultParameterException;
import io.fleetsim.fault.RateLimitFault;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.OptionException;
import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code networks.NAME}: a hub or switch, its socket ports (QEMU netdev strings), and the cable of
 * its VMs' links ({@code latency}, {@code rate}).
 */
final class NetworksReader {
  private static final Set<String> NETWORK_KEYS = Set.of("type", "ports", "latency", "rate");

  private final ExperimentFile in;
  // netdev id -> the port that has it, across every network
  private final Map<String, String> idOwners = new HashMap<>();

  private NetworksReader(ExperimentFile in) {
    this.in = in;
  }

  /** The networks without errors, in file order. */
  static Map<String, Network> read(ExperimentFile in) {
    NetworksReader r = new NetworksReader(in);
    Map<String, Network> out = new LinkedHashMap<>();
    for (String net : in.names("networks")) {
      r.network(net).ifPresent(n -> out.put(net, n));
    }
    return out;
  }

  private Optional<Network> network(String net) {
    String p = ExperimentFile.join("networks", net);
    in.unknownKeys(p, in.root.getObject(p), NETWORK_KEYS);
    Optional<NetworkType> type = in.required(ExperimentFile.join(p, "type"), in.root::getString)
        .flatMap(t -> networkType(ExperimentFile.join(p, "type"), t));
    Optional<List<NetdevSpec>> ports = ports(ExperimentFile.join(p, "ports"));
    Optional<Duration> latency = latency(ExperimentFile.join(p, "latency"));
    OptionalLong rate = rate(ExperimentFile.join(p, "rate"));
    return type.isPresent() && ports.isPresent() && latency.isPresent() && rate.isPresent()
        ? Optional.of(new Network(net, type.get(), ports.get(), latency.get(), rate.getAsLong()))
        : Optional.empty();
  }

  /** One way, on every VM's link to the network; empty (reported) when bad. */
  private Optional<Duration> latency(String path) {
    if (!in.root.hasPath(path)) {
      return Optional.of(Network.DEFAULT_LATENCY);
    }
    Optional<Duration> d = in.optional(path, k -> Units.duration(in.root, k));
    if (d.isPresent() && d.get().isNegative()) {
      in.error(path, "must be >= 0, not " + DurationText.human(d.get()));
      return Optional.empty();
    }
    return d;
  }

  /** Bits per second, read as a rate fault's {@code rate}; empty (reported) when bad. */
  private OptionalLong rate(String path) {
    if (!in.root.hasPath(path)) {
      return OptionalLong.of(Network.DEFAULT_RATE);
    }
    Optional<String> text = in.optional(path, in.root::getString);
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long bits = RateLimitFault.parseRate("rate", text.get());
      if (bits <= 0) {
        in.error(path, "must be above 0 bit/s, not " + text.get().trim());
        return OptionalLong.empty();
      }
      return OptionalLong.of(bits);
    } catch (FaultParameterException e) {
      in.error(path, e.getMessage());
      return OptionalLong.empty();
    }
  }

  /** Empty when a port did not parse; a duplicate id is reported but keeps the network. */
  private Optional<List<NetdevSpec>> ports(String path) {
    List<NetdevSpec> ports = new ArrayList<>();
    boolean ok = true;
    Optional<List<String>> specs = in.optional(path, in.root::getStringList);
    for (int i = 0; specs.isPresent() && i < specs.get().size(); i++) {
      String at = path + "[" + i + "]";
      int line = in.lineOfElement(path, i);
      Optional<NetdevSpec> spec = netdev(in, at, line, specs.get().get(i));
      if (spec.isEmpty()) {
        ok = false;
        continue;
      }
      String owner = idOwners.putIfAbsent(spec.get().id(), at);
      if (owner != null) {
        in.error(at, line, "duplicate netdev id '" + spec.get().id() + "' (also " + owner + ")");
      }
      ports.add(spec.get());
    }
    return ok ? Optional.of(ports) : Optional.empty();
  }

  private Optional<NetworkType> networkType(String path, String text) {
    for (NetworkType t : NetworkType.values()) {
      if (t.hoconName().equals(text)) {
        return Optional.of(t);
      }
    }
    in.error(path, "unknown network type '" + text + "' (expected hub or switch)");
    return Optional.empty();
  }

  /** A QEMU {@code -netdev} string, a network's port or a fleet's own netdev. */
  static Optional<NetdevSpec> netdev(ExperimentFile in, String path, int line, String text) {
    try {
      return Optional.of(QemuCommandLine.parseNetdev(text));
    } catch (OptionException e) {
      in.error(path, line, e.getMessage());
      return Optional.empty();
    }
  }
}
