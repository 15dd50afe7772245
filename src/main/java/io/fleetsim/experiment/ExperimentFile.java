package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file the section readers share: its parsed root, the defaults, and the errors found so far,
 * each with its path and line. A getter that fails records an error and returns empty, so every
 * section reads on and one run reports every problem.
 */
final class ExperimentFile {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
  private static final int MAX_NAME = 100;
  private static final Pattern WRONG_TYPE = Pattern.compile(".*has type (\\S+) rather than (.+)");

  private final String file;
  final Config root;
  final Config defaults;
  private final List<ValidationError> errors = new ArrayList<>();
  private final Set<String> reportedWrongType = new HashSet<>();

  ExperimentFile(String file, Config root, Config defaults) {
    this.file = file;
    this.root = root;
    this.defaults = defaults;
  }

  /** Every error so far, by line (in the order found within a line). */
  List<ValidationError> errors() {
    List<ValidationError> out = new ArrayList<>(errors);
    out.sort(Comparator.comparingInt(ValidationError::line));
    return out;
  }

  // ---- values

  <T> Optional<T> required(String path, Function<String, T> getter) {
    if (!root.hasPath(path)) {
      error(path, lineOf(parentOf(path)), "missing required key");
      return Optional.empty();
    }
    return optional(path, getter);
  }

  <T> Optional<T> optional(String path, Function<String, T> getter) {
    if (!root.hasPath(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(getter.apply(path));
    } catch (ConfigException e) {
      error(path, rephrase(e, path));
      return Optional.empty();
    }
  }

  Optional<Duration> positive(String path, Duration d) {
    if (d.isNegative() || d.isZero()) {
      error(path, "must be > 0, not " + DurationText.human(d));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  // ---- names and keys

  /** The keys of the object at {@code path}, in file order; bad names are reported and skipped. */
  List<String> names(String path) {
    List<String> out = new ArrayList<>();
    if (!root.hasPath(path)) {
      return out;
    }
    ConfigValue v = root.getValue(path);
    if (v.valueType() != ConfigValueType.OBJECT) {
      if (reportedWrongType.add(path)) {
        error(path, "expected an object { NAME { ... } }, got " + describe(v));
      }
      return out;
    }
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(((ConfigObject) v).entrySet());
    entries.sort(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
    for (Map.Entry<String, ConfigValue> e : entries) {
      if (isObjectNamed(path + "." + ConfigUtil.joinPath(e.getKey()), e.getKey(), e.getValue())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** Whether {@code value} at {@code p} is an object under a valid name; else reports it once. */
  private boolean isObjectNamed(String p, String key, ConfigValue value) {
    Optional<String> problem = nameProblem(key);
    if (problem.isPresent()) {
      if (reportedWrongType.add(p)) {
        error(p, value.origin().lineNumber(), problem.get());
      }
      return false;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      if (reportedWrongType.add(p)) {
        error(p, value.origin().lineNumber(), "expected an object { ... }, got " + describe(value));
      }
      return false;
    }
    return true;
  }

  void unknownKeys(String path, ConfigObject obj, Set<String> allowed) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        String p = path.isEmpty() ? ConfigUtil.joinPath(e.getKey())
            : path + "." + ConfigUtil.joinPath(e.getKey());
        error(p, e.getValue().origin().lineNumber(), "unknown key '" + e.getKey() + "'"
            + suggestion(e.getKey(), allowed));
      }
    }
  }

  private static String suggestion(String key, Set<String> allowed) {
    String best = null;
    int bestDistance = 3;
    for (String a : allowed) {
      int d = distance(key, a);
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best == null ? " (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")"
        : " (did you mean '" + best + "'?)";
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  Optional<String> named(String path, String value) {
    Optional<String> problem = nameProblem(value);
    problem.ifPresent(m -> error(path, m));
    return problem.isPresent() ? Optional.empty() : Optional.of(value);
  }

  /**
   * Names become folder and file names (results/NAME-TIMESTAMP/, NAME.pcap), so they are short
   * and portable; most file systems stop at 255 bytes.
   */
  private static Optional<String> nameProblem(String value) {
    if (value.length() > MAX_NAME) {
      return Optional.of("'" + value.substring(0, 20) + "...' is " + value.length()
          + " characters long; a name has at most " + MAX_NAME + " (it names folders and files)");
    }
    if (!NAME.matcher(value).matches()) {
      return Optional.of("'" + value + "' is not a valid name (use a-z, 0-9, - and _)");
    }
    return Optional.empty();
  }

  /** Every VM name and fleet name, each with the VMs it stands for. */
  Map<String, List<String>> vmsByName() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String f : names("vms")) {
      String countPath = join("vms", f, "count");
      int count = 1;
      if (root.hasPath(countPath)
          && root.getValue(countPath).valueType() == ConfigValueType.NUMBER) {
        count = root.getInt(countPath);
      }
      List<String> vms = new ArrayList<>();
      for (int i = 1; count > 1 && i <= count; i++) {
        vms.add(f + "-" + i);
        out.put(f + "-" + i, List.of(f + "-" + i));
      }
      out.put(f, count > 1 ? vms : List.of(f));
    }
    return out;
  }

  // ---- messages

  /** Config's message without its origin prefix and with "expected X, got Y" for type errors. */
  static String rephrase(ConfigException e, String path) {
    String m = e.getMessage();
    if (e.origin() != null) {
      String origin = e.origin().description() + ": ";
      if (m.startsWith(origin)) {
        m = m.substring(origin.length());
      }
    }
    m = m.replaceFirst("^\\d+: ", "");
    m = m.replaceFirst("^Invalid value at '[^']*': ", "");
    Matcher wrong = WRONG_TYPE.matcher(m);
    if (e instanceof ConfigException.WrongType && wrong.matches()) {
      return "expected " + wrong.group(2).toLowerCase(Locale.ROOT) + ", got "
          + wrong.group(1).toLowerCase(Locale.ROOT);
    }
    return m;
  }

  static String describe(ConfigValue v) {
    return v.valueType().name().toLowerCase(Locale.ROOT) + " " + v.render();
  }

  static String known(Set<String> names) {
    return names.isEmpty() ? " (there are no networks)"
        : " (known: " + String.join(", ", new TreeSet<>(names)) + ")";
  }

  // ---- paths, lines and errors

  int lineOf(String path) {
    if (path.isEmpty()) {
      return root.root().origin().lineNumber();
    }
    return root.hasPathOrNull(path) ? root.getValue(path).origin().lineNumber()
        : lineOf(parentOf(path));
  }

  int lineOfElement(String listPath, int i) {
    try {
      return root.getList(listPath).get(i).origin().lineNumber();
    } catch (ConfigException | IndexOutOfBoundsException e) {
      return lineOf(listPath);
    }
  }

  private static String parentOf(String path) {
    List<String> parts = ConfigUtil.splitPath(path);
    return parts.size() <= 1 ? "" : ConfigUtil.joinPath(parts.subList(0, parts.size() - 1));
  }

  static String join(String... parts) {
    List<String> all = new ArrayList<>();
    for (String p : parts) {
      all.addAll(ConfigUtil.splitPath(p));
    }
    return ConfigUtil.joinPath(all);
  }

  void error(String path, String message) {
    error(path, lineOf(path), message);
  }

  void error(String path, int line, String message) {
    errors.add(new ValidationError(file, path, line, message));
  }
}
