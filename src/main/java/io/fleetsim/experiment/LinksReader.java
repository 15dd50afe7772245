package io.fleetsim.experiment;

import static io.fleetsim.time.DurationText.human;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.experiment.Experiment.NetworkLink;
import io.fleetsim.fault.FaultParameterException;
import io.fleetsim.fault.RateLimitFault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code links.NAME}: a link between two networks of the file with its standing latency, jitter,
 * rate and loss. A link's name is a fault target, so it may not also name a network, fleet, VM
 * or port; and links may not close a loop (learning switches without a spanning tree would
 * circle every broadcast for ever).
 */
final class LinksReader {
  private static final Set<String> LINK_KEYS = Set.of("between", "latency", "jitter", "rate",
      "loss");
  /** {@code 0.1%}: a percentage, the unit required as for every other quantity. */
  private static final Pattern PERCENT = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*%\\s*");

  private final ExperimentFile in;
  private final Config defaults;
  private final Map<String, Network> networks;
  // union-find over network names, for loops
  private final Map<String, String> joined = new HashMap<>();

  private LinksReader(ExperimentFile in, Map<String, Network> networks) {
    this.in = in;
    this.defaults = in.defaults.getConfig("link");
    this.networks = networks;
  }

  /** The links without errors, in file order. */
  static Map<String, NetworkLink> read(ExperimentFile in, Map<String, Network> networks) {
    LinksReader r = new LinksReader(in, networks);
    Map<String, NetworkLink> out = new LinkedHashMap<>();
    for (String name : in.names("links")) {
      r.link(name).ifPresent(l -> out.put(name, l));
    }
    return out;
  }

  private Optional<NetworkLink> link(String name) {
    String p = ExperimentFile.join("links", name);
    in.unknownKeys(p, in.root.getObject(p), LINK_KEYS);
    boolean named = nameFree(name, p);
    Optional<List<String>> between = between(ExperimentFile.join(p, "between"));
    Optional<Duration> latency = duration(ExperimentFile.join(p, "latency"), "latency");
    Optional<Duration> jitter = duration(ExperimentFile.join(p, "jitter"), "jitter");
    if (latency.isPresent() && jitter.isPresent() && jitter.get().compareTo(latency.get()) > 0) {
      // latency - jitter would be negative: a frame cannot arrive before it left
      in.error(ExperimentFile.join(p, "jitter"), "jitter " + human(jitter.get())
          + " is more than the latency " + human(latency.get())
          + " (each frame's delay is latency +- jitter, which may not go below 0)");
      jitter = Optional.empty();
    }
    OptionalLong rate = rate(ExperimentFile.join(p, "rate"));
    Optional<Double> loss = loss(ExperimentFile.join(p, "loss"));
    if (between.isPresent() && !loopFree(name, p, between.get())) {
      between = Optional.empty();
    }
    if (!named || between.isEmpty() || latency.isEmpty() || jitter.isEmpty() || rate.isEmpty()
        || loss.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new NetworkLink(name, between.get(), latency.get(), jitter.get(),
        rate.getAsLong(), loss.get()));
  }

  /** A fault or capture target names one thing: a link's name is not also another name. */
  private boolean nameFree(String name, String p) {
    Map<String, List<String>> vmsOf = in.vmsByName();
    String what = in.names("networks").contains(name) ? "a network"
        : in.names("vms").contains(name) ? (vmsOf.get(name).size() > 1 ? "a fleet" : "a vm")
        : vmsOf.containsKey(name) ? "a vm"
        : networks.values().stream().anyMatch(n -> n.ports().stream()
            .anyMatch(port -> port.id().equals(name))) ? "a network port (netdev id)" : null;
    if (what != null) {
      in.error(p, in.lineOf(p), "link name '" + name + "' is also the name of " + what
          + " (fault targets would be ambiguous)");
      return false;
    }
    return true;
  }

  /** {@code between = [a, b]}: two different networks of this file. */
  private Optional<List<String>> between(String path) {
    Optional<List<String>> names = in.required(path, in.root::getStringList);
    if (names.isEmpty()) {
      return names;
    }
    List<String> b = names.get();
    if (b.size() != 2) {
      in.error(path, "a link is between exactly two networks, not " + b.size() + " " + b);
      return Optional.empty();
    }
    boolean ok = true;
    List<String> known = in.names("networks");
    for (int i = 0; i < 2; i++) {
      if (!known.contains(b.get(i))) {
        in.error(path + "[" + i + "]", in.lineOfElement(path, i), "unknown network '" + b.get(i)
            + "'" + ExperimentFile.known(new java.util.TreeSet<>(known)));
        ok = false;
      }
    }
    if (ok && b.get(0).equals(b.get(1))) {
      in.error(path, "links network '" + b.get(0) + "' to itself; a link joins two networks");
      ok = false;
    }
    // a network that is known but has errors of its own: those are reported already
    return ok && networks.containsKey(b.get(0)) && networks.containsKey(b.get(1)) ? names
        : Optional.empty();
  }

  /** Whether joining {@code between} keeps the links a forest; else reports the loop. */
  private boolean loopFree(String name, String p, List<String> between) {
    String ra = find(between.get(0));
    String rb = find(between.get(1));
    if (ra.equals(rb)) {
      in.error(ExperimentFile.join(p, "between"), "link '" + name + "' closes a loop: "
          + between.get(0) + " and " + between.get(1) + " are already joined by links, and"
          + " switches without a spanning tree would circle broadcasts for ever");
      return false;
    }
    joined.put(ra, rb);
    return true;
  }

  private String find(String network) {
    String up = joined.getOrDefault(network, network);
    return up.equals(network) ? network : find(up);
  }

  private Optional<Duration> duration(String path, String key) {
    if (!in.root.hasPath(path)) {
      return Optional.of(Units.duration(defaults, key));
    }
    Optional<Duration> d = in.optional(path, k -> Units.duration(in.root, k));
    if (d.isPresent() && d.get().isNegative()) {
      in.error(path, "must be >= 0, not " + human(d.get()));
      return Optional.empty();
    }
    return d;
  }

  /** Bits per second with a unit, as a network's or a rate fault's {@code rate}. */
  private OptionalLong rate(String path) {
    String text = in.root.hasPath(path) ? in.optional(path, in.root::getString).orElse(null)
        : defaults.getString("rate");
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      long bits = RateLimitFault.parseRate("rate", text);
      if (bits <= 0) {
        in.error(path, "must be above 0 bit/s, not " + text.trim());
        return OptionalLong.empty();
      }
      return OptionalLong.of(bits);
    } catch (FaultParameterException e) {
      in.error(path, e.getMessage());
      return OptionalLong.empty();
    }
  }

  /** A percentage from 0% to 100% ({@code 0.1%}); a bare number is refused, as units are. */
  private Optional<Double> loss(String path) {
    ConfigValue v = in.root.hasPath(path) ? in.root.getValue(path) : null;
    String text = v == null ? defaults.getString("loss")
        : v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : v.render();
    Matcher m = PERCENT.matcher(text);
    if (!m.matches()) {
      in.error(path, "expected a percentage such as 0.1% or 2%, not " + text.trim());
      return Optional.empty();
    }
    BigDecimal percent = new BigDecimal(m.group(1));
    if (percent.compareTo(BigDecimal.valueOf(100)) > 0) {
      in.error(path, "must be 0% to 100%, not " + text.trim());
      return Optional.empty();
    }
    return Optional.of(percent.doubleValue() / 100.0);
  }
}
