package io.fleetsim.qemu;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key=value syntax of a QEMU option string, before any meaning is given to the keys.
 *
 * <p>Text form, as QEMU 7.2's QemuOpts and keyval parsers read it:
 * <ul>
 *   <li>elements are separated by {@code ,}; {@code ,,} is a literal comma inside a value;
 *   <li>the first element, if it has no {@code =}, is the value of the implied key
 *       ({@code type} for -netdev, {@code driver} for -device, {@code qom-type} for -object);
 *   <li>a later element without {@code =} is a bare key: QemuOpts reads {@code foo} as
 *       {@code foo=on} (QEMU 7.2 warns it is deprecated), keyval (stream/dgram) refuses it; both
 *       are recorded here ({@link #bareKeys()}) and the caller decides;
 *   <li>a repeated key: the last value wins, as in QEMU;
 *   <li>empty elements (a trailing comma) are skipped.
 * </ul>
 *
 * <p>JSON form ({@code {"type":"stream",...}}): nested objects flatten to dotted keys
 * ({@code addr.host}), booleans to {@code on}/{@code off}, numbers to their decimal text. This is
 * laxer than QEMU, which insists on JSON booleans and strings per key; the same validation then
 * runs on both forms.
 */
public record QemuOpts(Map<String, String> values, Set<String> bareKeys) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public QemuOpts {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    bareKeys = Collections.unmodifiableSet(new LinkedHashSet<>(bareKeys));
  }

  /** True when the text is QEMU's JSON form (QEMU looks at the first character too). */
  public static boolean isJson(String text) {
    return text.startsWith("{");
  }

  /**
   * Parses the text form. Never fails: every string has a reading, and meaning is checked later.
   *
   * @param impliedKey the key of a leading element without {@code =}, or null for none
   */
  public static QemuOpts parse(String text, String impliedKey) {
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> bare = new LinkedHashSet<>();
    int n = text.length();
    int pos = 0;
    boolean first = true;
    while (pos < n) {
      int eq = -1;
      int i = pos;
      while (i < n && text.charAt(i) != ',') {
        if (text.charAt(i) == '=') {
          eq = i;
          break;
        }
        i++;
      }
      if (eq >= 0) {
        String key = text.substring(pos, eq);
        StringBuilder value = new StringBuilder();
        pos = readValue(text, eq + 1, value);
        values.put(key, value.toString());
        bare.remove(key);
      } else if (first && impliedKey != null) {
        StringBuilder value = new StringBuilder();
        pos = readValue(text, pos, value);
        values.put(impliedKey, value.toString());
      } else {
        // Bare key: the name runs to the next comma; an empty element is skipped.
        String key = text.substring(pos, i);
        if (!key.isEmpty()) {
          values.put(key, "on");
          bare.add(key);
        }
        pos = Math.min(n, i + 1);
      }
      first = false;
    }
    return new QemuOpts(values, bare);
  }

  /** Reads a value from {@code start} up to a single comma; returns the index after it. */
  private static int readValue(String text, int start, StringBuilder out) {
    int n = text.length();
    int i = start;
    while (i < n) {
      char c = text.charAt(i);
      if (c == ',') {
        if (i + 1 < n && text.charAt(i + 1) == ',') {
          out.append(',');
          i += 2;
          continue;
        }
        return i + 1;
      }
      out.append(c);
      i++;
    }
    return n;
  }

  /**
   * Parses the JSON form.
   *
   * @param option the option name and text, for messages ({@code -netdev {...}})
   * @throws OptionException for malformed JSON, a non-object, arrays or nulls
   */
  public static QemuOpts parseJson(String option, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JacksonException e) {
      throw new OptionException(option + ": " + jsonError(e));
    }
    if (root == null || !root.isObject()) {
      throw new OptionException(option + ": JSON option must be an object");
    }
    Map<String, String> values = new LinkedHashMap<>();
    flatten(option, "", root, values);
    return new QemuOpts(values, Set.of());
  }

  /**
   * A JSON syntax error in QEMU's words where they are known, else Jackson's reason without its
   * decorations ({@code [Source: REDACTED ...]}, {@code (code 125)}, class and feature names).
   */
  private static String jsonError(JacksonException e) {
    if (e instanceof JsonEOFException) {
      return "JSON parse error, premature end of input";
    }
    if (e instanceof MismatchedInputException) {
      return "Expecting at most one JSON value"; // the only one readTree makes: trailing tokens
    }
    String why = String.valueOf(e.getOriginalMessage());
    Matcher token = Pattern.compile("^Unrecognized token '([^']*)'").matcher(why);
    if (token.find()) {
      why = "invalid keyword '" + token.group(1) + "'";
    } else if (why.startsWith("Unrecognized character escape")) {
      why = "invalid escape sequence in string";
    } else if (why.contains("was expecting a colon")) {
      why = "missing : in object pair";
    } else {
      why = why.replaceAll(" \\(code \\d+\\)", "")
          .replaceAll("\\s*\\(start marker at \\[Source:.*", "")
          .replaceAll("\\s*\\[Source:.*", "");
      why = why.isEmpty() ? why : Character.toLowerCase(why.charAt(0)) + why.substring(1);
    }
    JsonLocation at = e.getLocation();
    return "JSON parse error, " + why
        + (at != null && at.getColumnNr() > 0 ? " (column " + at.getColumnNr() + ")" : "");
  }

  private static void flatten(String option, String prefix, JsonNode node,
      Map<String, String> out) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatten(option, key + ".", v, out);
      } else if (v.isBoolean()) {
        out.put(key, v.booleanValue() ? "on" : "off");
      } else if (v.isTextual()) {
        out.put(key, v.textValue());
      } else if (v.isNumber()) {
        out.put(key, v.asText());
      } else {
        throw new OptionException(
            option + ": Invalid parameter type for '" + key + "', expected: scalar or object");
      }
    }
  }

  /** Escapes a value for the text form: every comma doubled. */
  public static String escape(String value) {
    return value.replace(",", ",,");
  }
}
