package io.fleetsim.report;

import static io.fleetsim.report.Html.NONE;
import static io.fleetsim.report.Html.esc;
import static io.fleetsim.report.Html.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Table cells and row limits shared by the report's tables. */
final class Cells {
  /**
   * Rows a table shows at most, then says "N more in results.json": a 100,000-VM fleet would
   * otherwise make a page no browser opens. Beyond it the failed (imbalanced) rows come first
   * ({@link Rows}), so what went wrong is on the page however many rows there are.
   */
  static final int MAX_ROWS = 200;

  private Cells() {}

  static void td(StringBuilder h, JsonNode v) {
    h.append("<td>").append(value(v)).append("</td>");
  }

  /** A cell of already escaped text. */
  static void td(StringBuilder h, String html) {
    h.append("<td>").append(html).append("</td>");
  }

  static void num(StringBuilder h, JsonNode v) {
    h.append("<td class=\"num\">").append(value(v)).append("</td>");
  }

  /** A right-aligned cell of already escaped text. */
  static void num(StringBuilder h, String html) {
    h.append("<td class=\"num\">").append(html).append("</td>");
  }

  /** A VM or link name: kept on one line unless it is longer than the table is wide. */
  static void name(StringBuilder h, JsonNode v) {
    h.append("<td class=\"name\">").append(value(v)).append("</td>");
  }

  /** Column headers; a header starting with '#' is right-aligned, for numbers. */
  static void head(StringBuilder h, String id, String... headers) {
    h.append("<table id=\"").append(id).append("\">\n<thead><tr>");
    for (String header : headers) {
      boolean number = header.startsWith("#");
      h.append(number ? "<th class=\"num\">" : "<th>").append(number ? header.substring(1) : header)
          .append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
  }

  static boolean failed(JsonNode workload) {
    return workload.path("success").isBoolean() && !workload.path("success").booleanValue();
  }

  static String failedClass(JsonNode workload) {
    return failed(workload) ? " class=\"failed\"" : "";
  }

  static String result(JsonNode success) {
    if (!success.isBoolean()) {
      return NONE;
    }
    return success.booleanValue()
        ? "<span class=\"badge ok\">ok</span>" : "<span class=\"badge bad\">failed</span>";
  }

  static void omitted(StringBuilder h, int omitted, String what) {
    if (omitted > 0) {
      h.append("<p class=\"muted small omitted\">").append(Html.count(omitted)).append(" more ").append(what)
          .append(" in results.json (a table lists at most ").append(MAX_ROWS)
          .append(" rows; beyond that, failed ones first)</p>\n");
    }
  }

  /** Fields beyond the {@code known} ones, as key path = value pairs (nested keys joined with dots). */
  static String fields(JsonNode node, Set<String> known) {
    StringBuilder d = new StringBuilder();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (known.contains(f.getKey())) {
        continue;
      }
      for (Map.Entry<String, JsonNode> e : KeyPaths.flatten(f.getValue()).entrySet()) {
        String key = e.getKey().equals("(value)") ? f.getKey()
            : f.getKey() + (e.getKey().startsWith("[") ? "" : ".") + e.getKey();
        d.append("<span class=\"kv\"><span class=\"k\">").append(esc(key)).append("</span> ")
            .append(value(e.getValue())).append("</span> ");
      }
    }
    return d.length() == 0 ? NONE : d.toString().trim();
  }
}
