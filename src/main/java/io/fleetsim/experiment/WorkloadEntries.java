package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fleetsim.guest.workload.Criteria;
import io.fleetsim.guest.workload.Expectation;
import io.fleetsim.guest.workload.ExpectationSyntaxException;
import io.fleetsim.guest.workload.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fleet's {@code workloads} and {@code expect}. Each workload is a spec string or {@code { run
 * = "SPEC", expect = ["loss < 5%", ...] }}. A workload's own {@code expect} decides it (an empty
 * list: only that it started); else the fleet's {@code expect} entries whose metric its kind
 * measures; else its kind's default ({@link Criteria#DEFAULTS}). The specs themselves are the
 * reader's to parse; here only their first word, the kind, matters.
 */
final class WorkloadEntries {
  /** Where a problem is reported: the reader's error list. */
  interface Errors {
    void error(String path, int line, String message);
  }

  private static final Set<String> ENTRY_KEYS = Set.of("run", "expect");
  private static final String ENTRY_FORM = "a workload spec string or { run = \"SPEC\", expect = [...] }";

  /** An expectation that parsed, with where it was written. */
  private record Written(String path, ConfigValue value, Expectation expectation) {}

  private final Errors errors;
  private Optional<List<String>> specs = Optional.empty();
  private final List<Optional<List<Expectation>>> own = new ArrayList<>();
  private Optional<List<Written>> fleet = Optional.empty();
  private final Set<Integer> broken = new java.util.HashSet<>();
  private boolean ok = true;

  private WorkloadEntries(Errors errors) {
    this.errors = errors;
  }

  /** Reads {@code workloadsPath} and {@code expectPath} of {@code root}; problems go to {@code errors}. */
  static WorkloadEntries read(Config root, String workloadsPath, String expectPath, Errors errors) {
    WorkloadEntries e = new WorkloadEntries(errors);
    if (root.hasPath(workloadsPath)) {
      e.readWorkloads(workloadsPath, root.getValue(workloadsPath));
    }
    if (root.hasPath(expectPath)) {
      e.fleet = e.expectations(expectPath, root.getValue(expectPath), Optional.empty());
      e.checkFleetExpectations(expectPath, root.getValue(expectPath));
    }
    return e;
  }

  /** The spec strings in file order; empty when the fleet has no {@code workloads}. */
  Optional<List<String>> specs() {
    return specs;
  }

  boolean ok() {
    return ok;
  }

  /** Entry {@code i} has no spec to check (not a string, or an object without {@code run}). */
  boolean broken(int i) {
    return broken.contains(i);
  }

  /** Per workload, in order, what decides it (meaningful once every spec parsed). */
  List<Criteria> criteria() {
    List<Criteria> out = new ArrayList<>();
    for (int i = 0; specs.isPresent() && i < specs.get().size(); i++) {
      String kind = kindOf(specs.get().get(i));
      if (own.get(i).isPresent()) {
        out.add(new Criteria(own.get(i).get(), false));
        continue;
      }
      List<Expectation> applicable = new ArrayList<>();
      fleet.ifPresent(list -> list.stream().map(Written::expectation).filter(x -> x.appliesTo(kind))
          .forEach(applicable::add));
      out.add(applicable.isEmpty() ? Criteria.defaultFor(kind) : new Criteria(applicable, false));
    }
    return out;
  }

  private void readWorkloads(String path, ConfigValue value) {
    if (value.valueType() != ConfigValueType.LIST) {
      error(path, value, "expected a list of workloads (each " + ENTRY_FORM + "), got " + describe(value));
      return;
    }
    List<String> out = new ArrayList<>();
    ConfigList list = (ConfigList) value;
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      ConfigValue v = list.get(i);
      if (v.valueType() == ConfigValueType.OBJECT) {
        ConfigObject entry = (ConfigObject) v;
        for (Map.Entry<String, ConfigValue> key : entry.entrySet()) {
          if (!ENTRY_KEYS.contains(key.getKey())) {
            error(at + "." + key.getKey(), key.getValue(), "unknown key '" + key.getKey()
                + "' (expected run, expect)");
          }
        }
        ConfigValue run = entry.get("run");
        if (run == null || run.valueType() != ConfigValueType.STRING) {
          error(at + (run == null ? "" : ".run"), run == null ? v : run, run == null
              ? "missing run (the workload's spec, e.g. run = \"ping 10.0.0.2\")"
              : "expected a workload spec string, got " + describe(run));
          broken.add(i);
          out.add("");
        } else {
          out.add((String) run.unwrapped());
        }
        ConfigValue expect = entry.get("expect");
        own.add(expect == null ? Optional.empty()
            : expectations(at + ".expect", expect, Optional.of(kindOf(out.get(i))))
                .map(written -> written.stream().map(Written::expectation).toList()));
      } else if (v.valueType() == ConfigValueType.STRING || v.valueType() == ConfigValueType.NUMBER
          || v.valueType() == ConfigValueType.BOOLEAN) {
        out.add(String.valueOf(v.unwrapped())); // as getStringList reads them; the spec check says the rest
        own.add(Optional.empty());
      } else {
        error(at, v, "expected " + ENTRY_FORM + ", got " + describe(v));
        broken.add(i);
        out.add("");
        own.add(Optional.empty());
      }
    }
    specs = Optional.of(out);
  }

  /**
   * A list of expectation strings; with {@code kind}, each must be one of that kind's metrics
   * (an unknown kind is the spec check's to report).
   */
  private Optional<List<Written>> expectations(String path, ConfigValue value, Optional<String> kind) {
    if (value.valueType() != ConfigValueType.LIST) {
      error(path, value, "expected a list of expectations (" + Expectation.SYNTAX + "), got " + describe(value));
      return Optional.empty();
    }
    List<Written> out = new ArrayList<>();
    ConfigList list = (ConfigList) value;
    for (int i = 0; i < list.size(); i++) {
      ConfigValue v = list.get(i);
      if (v.valueType() != ConfigValueType.STRING) {
        error(path + "[" + i + "]", v, "expected an expectation string (" + Expectation.SYNTAX
            + "), got " + describe(v));
        continue;
      }
      try {
        Expectation e = Expectation.parse((String) v.unwrapped());
        if (kind.isPresent() && Metric.kinds().contains(kind.get())) {
          e.requireFor(kind.get());
        }
        out.add(new Written(path + "[" + i + "]", v, e));
      } catch (ExpectationSyntaxException ex) {
        error(path + "[" + i + "]", v, ex.getMessage());
      }
    }
    return Optional.of(out);
  }

  /** Each fleet-wide expectation must be measured by at least one of the fleet's workloads. */
  private void checkFleetExpectations(String path, ConfigValue value) {
    if (fleet.isEmpty()) {
      return;
    }
    if (specs.isEmpty() || specs.get().isEmpty()) {
      error(path, value, "expect without workloads: nothing to expect it of");
      return;
    }
    Set<String> kinds = new TreeSet<>();
    specs.get().stream().map(WorkloadEntries::kindOf).filter(Metric.kinds()::contains).forEach(kinds::add);
    for (Written w : fleet.get()) {
      Expectation e = w.expectation();
      // no spec with a known kind: the spec errors say why
      if (!kinds.isEmpty() && kinds.stream().noneMatch(e::appliesTo)) {
        StringBuilder has = new StringBuilder();
        for (String k : kinds) {
          has.append(has.length() == 0 ? "" : "; ").append(k).append(": ")
              .append(String.join(", ", Metric.of(k).keySet()));
        }
        error(w.path(), w.value(), "'" + e.text() + "': none of this fleet's workloads has metric "
            + e.metric() + " (" + has + ")");
      }
    }
  }

  private static String kindOf(String spec) {
    String trimmed = spec.trim();
    int space = trimmed.indexOf(' ');
    return space < 0 ? trimmed : trimmed.substring(0, space);
  }

  private static String describe(ConfigValue v) {
    return v.valueType().name().toLowerCase(Locale.ROOT) + " " + v.render(ConfigRenderOptions.concise());
  }

  private void error(String path, ConfigValue at, String message) {
    ok = false;
    errors.error(path, at.origin().lineNumber(), message);
  }
}
