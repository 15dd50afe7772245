package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fleetsim.qemu.NetdevSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A fleet's NICs as written: the single-NIC keys on the fleet ({@code network}/{@code netdev},
 * {@code ip}/{@code dhcp}) or {@code nics = [{ ... }, ...]}, one entry per NIC, never both. An
 * entry's {@code network} and {@code ip} may hold {@code {index}}; they are filled in per VM by
 * {@link FleetsReader}.
 */
final class NicEntries {
  static final String INDEX = "{index}";
  private static final Set<String> NIC_KEYS = Set.of("network", "netdev", "ip", "dhcp");
  private static final List<String> SINGLE_KEYS = List.of("network", "netdev", "ip", "dhcp");

  /**
   * One NIC entry: {@code network} (a name, maybe with {index}) or {@code netdev} (parsed), and
   * {@code ip} (a CIDR text, maybe with {index}) or {@code dhcp}; paths and lines for errors.
   */
  record Entry(int index, Optional<String> network, Optional<NetdevSpec> netdev,
      Optional<String> ip, boolean dhcp, String networkPath, int networkLine, String ipPath,
      int ipLine) {
    String id() {
      return "eth" + index;
    }
  }

  private NicEntries() {}

  /** The entries of the fleet at {@code p}; empty when one is wrong (reported). */
  static Optional<List<Entry>> read(ExperimentFile in, String p, boolean defaultDhcp) {
    String nics = ExperimentFile.join(p, "nics");
    if (!in.root.hasPath(nics)) {
      return entry(in, in.root.getConfig(p), 0, k -> ExperimentFile.join(p, k), p,
          in.lineOf(p), defaultDhcp).map(List::of);
    }
    boolean ok = true;
    for (String k : SINGLE_KEYS) {
      if (in.root.hasPath(ExperimentFile.join(p, k))) {
        in.error(ExperimentFile.join(p, k), "give either nics = [...] or the single-NIC keys"
            + " (network/netdev, ip/dhcp), not both");
        ok = false;
      }
    }
    ConfigValue v = in.root.getValue(nics);
    if (v.valueType() != ConfigValueType.LIST || ((List<?>) v.unwrapped()).isEmpty()) {
      in.error(nics, "expected a non-empty list of NICs [{ network = ..., ip = ... }, ...], got "
          + ExperimentFile.describe(v));
      return Optional.empty();
    }
    List<Entry> out = new ArrayList<>();
    List<? extends ConfigValue> list = in.root.getList(nics);
    for (int i = 0; i < list.size(); i++) {
      String at = nics + "[" + i + "]";
      ConfigValue e = list.get(i);
      if (e.valueType() != ConfigValueType.OBJECT) {
        in.error(at, e.origin().lineNumber(), "expected a NIC { network = ..., ip = ... }, got "
            + ExperimentFile.describe(e));
        ok = false;
        continue;
      }
      in.unknownKeys(at, (ConfigObject) e, NIC_KEYS);
      Optional<Entry> entry = entry(in, ((ConfigObject) e).toConfig(), i, k -> at + "." + k, at,
          e.origin().lineNumber(), false);
      entry.ifPresent(out::add);
      ok &= entry.isPresent();
    }
    return ok ? Optional.of(out) : Optional.empty();
  }

  /** One NIC from {@code c} (the fleet's object, or a {@code nics} entry). */
  private static Optional<Entry> entry(ExperimentFile in, Config c, int index,
      UnaryOperator<String> path, String at, int atLine, boolean defaultDhcp) {
    Optional<String> network = string(in, c, "network", path);
    Optional<String> netdevText = string(in, c, "netdev", path);
    boolean ok = network.isPresent() || netdevText.isPresent();
    if (c.hasPath("network") && c.hasPath("netdev")) {
      in.error(at, line(c, "netdev"), "give either network or netdev, not both");
      return Optional.empty();
    }
    if (!c.hasPath("network") && !c.hasPath("netdev")) {
      in.error(at, atLine, "missing network (a network of this experiment) or netdev");
      return Optional.empty();
    }
    Optional<NetdevSpec> netdev = Optional.empty();
    if (netdevText.isPresent()) {
      netdev = NetworksReader.netdev(in, path.apply("netdev"), line(c, "netdev"), netdevText.get());
      ok &= netdev.isPresent();
    }
    boolean dhcp = defaultDhcp;
    if (c.hasPath("dhcp")) {
      try {
        dhcp = c.getBoolean("dhcp");
      } catch (ConfigException e) {
        in.error(path.apply("dhcp"), line(c, "dhcp"), ExperimentFile.rephrase(e, path.apply("dhcp")));
        return Optional.empty();
      }
    }
    Optional<String> ip = string(in, c, "ip", path);
    if (dhcp && c.hasPath("ip")) {
      in.error(path.apply("ip"), line(c, "ip"), "give either ip or dhcp = true, not both");
      return Optional.empty();
    }
    if (!dhcp && !c.hasPath("ip")) {
      in.error(at, atLine, "missing ip (a CIDR such as 10.0.0.0/24) or dhcp = true");
      return Optional.empty();
    }
    if (!dhcp && ip.isEmpty()) {
      return Optional.empty(); // an ip that is no string: reported
    }
    String networkPath = path.apply(network.isPresent() ? "network" : "netdev");
    int networkLine = line(c, network.isPresent() ? "network" : "netdev");
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(new Entry(index, network, netdev, ip, dhcp, networkPath, networkLine,
        path.apply("ip"), c.hasPath("ip") ? line(c, "ip") : atLine));
  }

  private static Optional<String> string(ExperimentFile in, Config c, String key,
      UnaryOperator<String> path) {
    if (!c.hasPath(key)) {
      return Optional.empty();
    }
    try {
      return Optional.of(c.getString(key));
    } catch (ConfigException e) {
      in.error(path.apply(key), line(c, key), ExperimentFile.rephrase(e, path.apply(key)));
      return Optional.empty();
    }
  }

  private static int line(Config c, String key) {
    return c.getValue(key).origin().lineNumber();
  }
}
