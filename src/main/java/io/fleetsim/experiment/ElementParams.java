package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import io.fleetsim.fault.FaultKind;
import io.fleetsim.fault.FaultParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A fault element's own keys for its kind's reader: the file's value, else the default its
 * {@link FaultKind} declares. Problems are reported under the element.
 */
final class ElementParams implements FaultParams {
  private final FaultElement element;
  private final Config given;
  private final Config merged;
  private final Map<String, List<String>> vmsOf;

  /** {@code vmsOf}: every VM and fleet name with the VMs it stands for. */
  ElementParams(FaultElement element, FaultKind kind, Map<String, List<String>> vmsOf) {
    this.element = element;
    this.given = element.config;
    this.merged = given.withFallback(ConfigFactory.parseString(kind.defaults()));
    this.vmsOf = vmsOf;
  }

  @Override
  public boolean has(String key) {
    return given.hasPath(key);
  }

  private <T> Optional<T> get(String key, Function<String, T> getter) {
    if (!merged.hasPath(key)) {
      element.error(key, "missing required key");
      return Optional.empty();
    }
    try {
      return Optional.of(getter.apply(key));
    } catch (ConfigException e) {
      element.error(key, ExperimentFile.rephrase(e, key));
      return Optional.empty();
    }
  }

  @Override
  public Optional<Duration> getDuration(String key) {
    return get(key, k -> Units.duration(merged, k));
  }

  @Override
  public Optional<Double> getDouble(String key) {
    return get(key, merged::getDouble);
  }

  @Override
  public Optional<Integer> getInt(String key) {
    return get(key, merged::getInt);
  }

  @Override
  public Optional<String> getString(String key) {
    return get(key, merged::getString);
  }

  @Override
  public Optional<Long> getBytes(String key) {
    return get(key, k -> Units.bytes(merged, k));
  }

  @Override
  public Optional<List<List<String>>> getStringLists(String key) {
    Optional<List<? extends Object>> raw = get(key, merged::getAnyRefList);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    List<List<String>> out = new ArrayList<>();
    for (Object element : raw.get()) {
      if (!(element instanceof List)
          || ((List<?>) element).stream().anyMatch(x -> !(x instanceof String))) {
        this.element.error(key,
            "expected a list of lists of names such as [[web-1, web-2], [pinger]]");
        return Optional.empty();
      }
      out.add(((List<?>) element).stream().map(String.class::cast).collect(Collectors.toList()));
    }
    return Optional.of(out);
  }

  @Override
  public Optional<List<List<String>>> vmGroups(String key, List<List<String>> groups) {
    List<List<String>> expanded = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    boolean ok = true;
    for (int g = 0; g < groups.size(); g++) {
      List<String> vms = new ArrayList<>();
      for (int j = 0; j < groups.get(g).size(); j++) {
        String name = groups.get(g).get(j);
        String at = key + "[" + g + "][" + j + "]";
        int line = lineOfElement(key, g, j);
        if (!vmsOf.containsKey(name)) {
          element.errorAt(at, line, "unknown vm or fleet '" + name + "'" + (vmsOf.isEmpty()
              ? " (there are no vms)"
              : " (known: " + String.join(", ", new TreeSet<>(vmsOf.keySet())) + ")"));
          ok = false;
          continue;
        }
        for (String vm : vmsOf.get(name)) {
          String other = seen.putIfAbsent(vm, name);
          if (other != null) {
            element.errorAt(at, line, "'" + vm + "' is already in the partition (as " + other
                + ")");
            ok = false;
          } else {
            vms.add(vm);
          }
        }
      }
      expanded.add(vms);
    }
    return ok ? Optional.of(expanded) : Optional.empty();
  }

  /** The line of {@code key[g][j]}, else the element's. */
  private int lineOfElement(String key, int g, int j) {
    ConfigValue group = given.getList(key).get(g);
    return group instanceof ConfigList ? ((ConfigList) group).get(j).origin().lineNumber()
        : element.line;
  }

  @Override
  public void error(String key, String message) {
    element.error(key, message);
  }
}
