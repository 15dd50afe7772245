package io.fleetsim.report;

import static io.fleetsim.report.Html.NONE;
import static io.fleetsim.report.Html.esc;
import static io.fleetsim.report.Html.value;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes report.html from an experiment's results tree (the results.json schema). Tables are
 * rendered here, so they read without scripts; the charts are drawn in the page by uPlot from the
 * results embedded as JSON. Missing or odd fields render as what is there, never an exception.
 */
public final class ReportWriter {
  /** Element id of the embedded results; report.js and tests read it. */
  public static final String DATA_ID = "fleetsim-results";
  /** How many charts a report has; {@code data-rendered} reaches this when all have data. */
  public static final int CHARTS = 3;
  /** Fault colours, kept in step with the {@code --fault-N} variables in report.css. */
  static final int FAULT_COLOURS = 8;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PING_FIELDS =
      Set.of("vm", "workload", "kind", "success", "transmitted", "received", "lossPercent", "rttMillis");
  private static final Set<String> LINK_FIELDS =
      Set.of("name", "network", "sent", "delivered", "held", "dropped", "balanced");
  private static final String[] RTT = {"min", "p50", "p90", "p99", "max"};
  /**
   * Rows a table shows before it says "N more in results.json" (failed and imbalanced rows are
   * always shown): a 10,000-VM fleet would otherwise make a page no browser opens.
   */
  static final int MAX_ROWS = 200;

  private ReportWriter() {}

  public static void write(JsonNode results, Path html) throws IOException {
    Path parent = html.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(html, render(results), StandardCharsets.UTF_8);
  }

  public static String render(JsonNode results) {
    JsonNode r = results == null ? MissingNode.getInstance() : results;
    Assets assets = Assets.get();
    JsonNode exp = r.path("experiment");
    String name = exp.path("name").asText("experiment");

    StringBuilder h = new StringBuilder(96 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>fleetsim \u00b7 ").append(esc(name)).append("</title>\n")
        .append("<style>\n").append(assets.uplotCss()).append("\n</style>\n")
        .append("<style>\n").append(assets.reportCss()).append("\n</style>\n")
        .append("</head>\n<body>\n")
        // first in body, so it sees errors from every later script, uPlot's included
        .append("<script>window.onerror=function(m,s,l,c){var b=document.body,")
        .append("t=String(m)+' ('+(s||'page')+':'+l+':'+c+')';")
        .append("b.dataset.errors=b.dataset.errors?b.dataset.errors+'\\n'+t:t;};")
        .append("window.addEventListener('unhandledrejection',function(e){")
        .append("window.onerror('unhandled rejection: '+e.reason,'',0,0);});</script>\n")
        .append("<main>\n");
    header(h, exp, name);
    accounting(h, r.path("accounting"));
    summary(h, r.path("series"), r.path("totals"), r.path("workloads"));
    charts(h, r.path("faults"));
    workloads(h, r.path("workloads"));
    faults(h, r.path("faults"));
    links(h, r.path("links"));
    vms(h, r.path("vms"));
    h.append("<footer>fleetsim ").append(esc(exp.path("fleetsimVersion").asText("")))
        .append(" \u00b7 charts by uPlot</footer>\n</main>\n")
        .append("<script type=\"application/json\" id=\"").append(DATA_ID).append("\">")
        .append(embeddedJson(chartData(r))).append("</script>\n")
        .append("<script>\n").append(assets.uplotJs()).append("\n</script>\n")
        .append("<script>\n").append(assets.reportJs()).append("\n</script>\n")
        .append("</body>\n</html>\n");
    return h.toString();
  }

  /** What the charts draw; the tables are HTML already, and results.json has everything. */
  static JsonNode chartData(JsonNode r) {
    if (!r.isObject()) {
      return r;
    }
    com.fasterxml.jackson.databind.node.ObjectNode data = JSON.createObjectNode();
    for (String key : new String[] {"experiment", "series", "faults"}) {
      if (r.has(key)) {
        data.set(key, r.get(key));
      }
    }
    return data;
  }

  private static void omitted(StringBuilder h, int omitted, String what) {
    if (omitted > 0) {
      h.append("<p class=\"muted small\">").append(Html.decimal(omitted)).append(" more ").append(what)
          .append(" in results.json</p>\n");
    }
  }

  /**
   * The results as JSON safe inside a script element: '<' only occurs inside JSON strings, where
   * its \\u escape means the same, so no "</script" or "<!--" can reach the HTML parser.
   */
  static String embeddedJson(JsonNode r) {
    try {
      return (r.isMissingNode() ? "{}" : JSON.writeValueAsString(r)).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void header(StringBuilder h, JsonNode exp, String name) {
    h.append("<header>\n<div class=\"brand\">fleetsim experiment report</div>\n")
        .append("<h1>").append(esc(name)).append("</h1>\n<dl class=\"meta\">\n");
    meta(h, "Config", exp.path("file"));
    meta(h, "Seed", exp.path("seed"));
    JsonNode dur = exp.path("durationSeconds");
    h.append("<div><dt>Duration</dt><dd>").append(value(dur)).append(dur.isNumber() ? " s" : "")
        .append("</dd></div>\n");
    meta(h, "Started", exp.path("startedAt"));
    meta(h, "VMs", exp.path("vmCount"));
    h.append("</dl>\n</header>\n");
  }

  private static void meta(StringBuilder h, String label, JsonNode v) {
    h.append("<div><dt>").append(label).append("</dt><dd>").append(value(v)).append("</dd></div>\n");
  }

  private static void accounting(StringBuilder h, JsonNode acc) {
    JsonNode errors = acc.path("errors");
    boolean failed = acc.path("ok").isBoolean() && !acc.path("ok").booleanValue()
        || errors.isArray() && errors.size() > 0;
    if (failed) {
      h.append("<section class=\"banner error\" id=\"accounting-errors\">\n")
          .append("<strong>Frame accounting failed</strong>\n<ul>\n");
      for (JsonNode e : errors) {
        h.append("<li>").append(value(e)).append("</li>\n");
      }
      if (!errors.isArray() || errors.size() == 0) {
        h.append("<li>accounting reported not ok, without details</li>\n");
      }
      h.append("</ul>\n</section>\n");
    } else if (acc.path("ok").asBoolean(false)) {
      h.append("<section class=\"banner ok\">Frame accounting balanced: every frame sent was ")
          .append("delivered, held or dropped with a cause.</section>\n");
    }
  }

  private static void summary(StringBuilder h, JsonNode series, JsonNode totals, JsonNode workloads) {
    // the run's totals (boot and drain included, every port's books) where results have them
    double frames = total(totals, "framesDelivered", series, "framesPerSecond");
    double bytes = total(totals, "bytesDelivered", series, "bytesPerSecond");
    double drops = total(totals, "framesDropped", series, "dropsPerSecond");
    long tx = 0;
    long rx = 0;
    for (JsonNode w : workloads) {
      if (w.path("transmitted").isNumber()) {
        tx += w.path("transmitted").asLong();
        rx += w.path("received").asLong();
      }
    }
    h.append("<section class=\"tiles\">\n");
    tile(h, "Frames delivered", Html.count(frames));
    tile(h, "Bytes delivered", Html.bytes(bytes));
    tile(h, "Frames dropped", Html.count(drops));
    tile(h, "Loss", frames + drops > 0 ? Html.decimal(drops / (frames + drops) * 100) + " %" : NONE);
    tile(h, "Pings answered", tx > 0 ? rx + " / " + tx : NONE);
    h.append("</section>\n");
  }

  private static double total(JsonNode totals, String key, JsonNode series, String perSecond) {
    return totals.path(key).isNumber() ? totals.path(key).doubleValue() : sum(series.path(perSecond));
  }

  private static void tile(StringBuilder h, String label, String text) {
    h.append("<div class=\"tile\"><div class=\"tile-value\">").append(text)
        .append("</div><div class=\"tile-label\">").append(label).append("</div></div>\n");
  }

  private static double sum(JsonNode values) {
    double s = 0;
    for (JsonNode v : values) {
      if (v.isNumber()) {
        s += v.doubleValue();
      }
    }
    return s;
  }

  private static void charts(StringBuilder h, JsonNode faults) {
    h.append("<section>\n<h2>Over time</h2>\n");
    faultLegend(h, faults);
    chart(h, "chart-throughput", "Throughput (frames delivered per second)");
    chart(h, "chart-loss", "Loss (frames dropped per second, loss %)");
    chart(h, "chart-rtt", "Ping round-trip time (ms, per second)");
    h.append("</section>\n");
  }

  private static void chart(StringBuilder h, String id, String title) {
    h.append("<figure class=\"chart-box\"><figcaption>").append(title)
        .append("</figcaption><div class=\"chart\" id=\"").append(id)
        .append("\"><noscript>charts need JavaScript</noscript></div></figure>\n");
  }

  private static void faultLegend(StringBuilder h, JsonNode faults) {
    if (!faults.isArray() || faults.size() == 0) {
      h.append("<p class=\"muted\">No faults were injected.</p>\n");
      return;
    }
    // one legend entry per configured fault; its activations share the colour
    h.append("<ul class=\"fault-legend\" id=\"fault-legend\">\n");
    Set<Integer> seen = new LinkedHashSet<>();
    int position = 0;
    for (JsonNode f : faults) {
      int index = faultIndex(f, position++);
      if (seen.add(index)) {
        h.append("<li>").append(swatch(index)).append(esc(f.path("kind").asText("fault")))
            .append(" \u2192 ").append(esc(f.path("target").asText("?"))).append("</li>\n");
      }
    }
    h.append("</ul>\n<p class=\"muted small\">Shaded bands mark fault activations.</p>\n");
  }

  static int faultIndex(JsonNode f, int position) {
    return f.path("index").isIntegralNumber() ? f.path("index").asInt() : position;
  }

  private static String swatch(int index) {
    return "<span class=\"swatch f" + Math.floorMod(index, FAULT_COLOURS) + "\"></span>";
  }

  private static void workloads(StringBuilder h, JsonNode workloads) {
    h.append("<section>\n<h2>Workloads</h2>\n");
    List<JsonNode> pings = new ArrayList<>();
    List<JsonNode> others = new ArrayList<>();
    for (JsonNode w : workloads) {
      ("ping".equals(w.path("kind").asText()) ? pings : others).add(w);
    }
    if (pings.isEmpty() && others.isEmpty()) {
      h.append("<p class=\"empty\">no data</p>\n</section>\n");
      return;
    }
    if (!pings.isEmpty()) {
      h.append("<table id=\"pings\">\n<thead><tr><th>VM</th><th>Workload</th><th>Result</th>")
          .append("<th class=\"num\">Sent</th><th class=\"num\">Received</th><th class=\"num\">Loss %</th>");
      for (String p : RTT) {
        h.append("<th class=\"num\">RTT ").append(p).append(" ms</th>");
      }
      h.append("</tr></thead>\n<tbody>\n");
      int shown = 0;
      for (JsonNode w : pings) {
        if (shown >= MAX_ROWS && failedClass(w).isEmpty()) {
          continue;
        }
        shown++;
        h.append("<tr").append(failedClass(w)).append('>');
        td(h, w.path("vm"));
        td(h, w.path("workload"));
        h.append("<td>").append(result(w.path("success"))).append("</td>");
        num(h, w.path("transmitted"));
        num(h, w.path("received"));
        num(h, w.path("lossPercent"));
        for (String p : RTT) {
          num(h, w.path("rttMillis").path(p));
        }
        h.append("</tr>\n");
      }
      h.append("</tbody>\n</table>\n");
      omitted(h, pings.size() - shown, "pings");
    }
    if (!others.isEmpty()) {
      h.append("<table id=\"other-workloads\">\n<thead><tr><th>VM</th><th>Workload</th><th>Kind</th>")
          .append("<th>Result</th><th>Details</th></tr></thead>\n<tbody>\n");
      int shown = 0;
      for (JsonNode w : others) {
        if (shown >= MAX_ROWS && failedClass(w).isEmpty()) {
          continue;
        }
        shown++;
        h.append("<tr").append(failedClass(w)).append('>');
        td(h, w.path("vm"));
        td(h, w.path("workload"));
        td(h, w.path("kind"));
        h.append("<td>").append(result(w.path("success"))).append("</td><td>")
            .append(details(w, PING_FIELDS)).append("</td></tr>\n");
      }
      h.append("</tbody>\n</table>\n");
      omitted(h, others.size() - shown, "workloads");
    }
    h.append("</section>\n");
  }

  private static String failedClass(JsonNode w) {
    return w.path("success").isBoolean() && !w.path("success").booleanValue() ? " class=\"failed\"" : "";
  }

  private static String result(JsonNode success) {
    if (!success.isBoolean()) {
      return NONE;
    }
    return success.booleanValue()
        ? "<span class=\"badge ok\">ok</span>" : "<span class=\"badge bad\">failed</span>";
  }

  /** Fields beyond the known ones, as key path = value pairs. */
  private static String details(JsonNode node, Set<String> known) {
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

  private static void faults(StringBuilder h, JsonNode faults) {
    h.append("<section>\n<h2>Faults timeline</h2>\n");
    List<JsonNode> list = new ArrayList<>();
    faults.forEach(list::add);
    if (list.isEmpty()) {
      h.append("<p class=\"empty\">no data</p>\n</section>\n");
      return;
    }
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      positions.add(i);
    }
    positions.sort(Comparator.comparingDouble(i -> list.get(i).path("start").asDouble(Double.MAX_VALUE)));
    h.append("<table id=\"faults\">\n<thead><tr><th>#</th><th>Kind</th><th>Target</th><th>Description</th>")
        .append("<th class=\"num\">Start s</th><th class=\"num\">End s</th><th class=\"num\">Duration s</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (int i : positions) {
      JsonNode f = list.get(i);
      int index = faultIndex(f, i);
      h.append("<tr class=\"fault-row\"><td>").append(swatch(index)).append(index).append("</td>");
      td(h, f.path("kind"));
      td(h, f.path("target"));
      td(h, f.path("description"));
      num(h, f.path("start"));
      JsonNode end = f.path("end");
      if (end.isNumber()) {
        num(h, end);
      } else {
        h.append("<td class=\"num muted\">end of run</td>");
      }
      if (end.isNumber() && f.path("start").isNumber()) {
        h.append("<td class=\"num\">").append(Html.decimal(end.asDouble() - f.path("start").asDouble()))
            .append("</td>");
      } else {
        h.append("<td class=\"num\">").append(NONE).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static void links(StringBuilder h, JsonNode links) {
    h.append("<section>\n<h2>Links and frame accounting</h2>\n");
    if (!links.isArray() || links.size() == 0) {
      h.append("<p class=\"empty\">no data</p>\n</section>\n");
      return;
    }
    boolean extras = false;
    for (JsonNode l : links) {
      Iterator<String> names = l.fieldNames();
      while (names.hasNext()) {
        extras |= !LINK_FIELDS.contains(names.next());
      }
    }
    h.append("<p class=\"muted small\">Each row must balance: sent = delivered + held + dropped. ")
        .append("Rows that do not are marked red.</p>\n")
        .append("<table id=\"links\">\n<thead><tr><th>Link</th><th>Network</th><th class=\"num\">Sent</th>")
        .append("<th class=\"num\">Delivered</th><th class=\"num\">Held</th><th class=\"num\">Dropped</th>")
        .append("<th>Drop causes</th><th>Balanced</th>").append(extras ? "<th>Other</th>" : "")
        .append("</tr></thead>\n<tbody>\n");
    int shown = 0;
    for (JsonNode l : links) {
      JsonNode balanced = l.path("balanced");
      boolean imbalanced = balanced.isBoolean() && !balanced.booleanValue();
      if (shown >= MAX_ROWS && !imbalanced) {
        continue;
      }
      shown++;
      h.append(imbalanced ? "<tr class=\"imbalanced\">" : "<tr>");
      td(h, l.path("name"));
      td(h, l.path("network"));
      num(h, l.path("sent"));
      num(h, l.path("delivered"));
      num(h, l.path("held"));
      JsonNode dropped = l.path("dropped");
      if (dropped.isObject()) {
        h.append("<td class=\"num\">").append(Html.decimal(sum(dropped))).append("</td><td>");
        Iterator<Map.Entry<String, JsonNode>> causes = dropped.fields();
        if (!causes.hasNext()) {
          h.append(NONE);
        }
        while (causes.hasNext()) {
          Map.Entry<String, JsonNode> c = causes.next();
          h.append("<span class=\"kv\"><span class=\"k\">").append(esc(c.getKey())).append("</span> ")
              .append(value(c.getValue())).append("</span> ");
        }
        h.append("</td>");
      } else {
        num(h, dropped);
        h.append("<td>").append(NONE).append("</td>");
      }
      h.append("<td>").append(!balanced.isBoolean() ? NONE
          : imbalanced ? "<span class=\"badge bad\">imbalanced</span>" : "<span class=\"badge ok\">yes</span>")
          .append("</td>");
      if (extras) {
        h.append("<td>").append(details(l, LINK_FIELDS)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
    omitted(h, links.size() - shown, "links");
    h.append("</section>\n");
  }

  private static void vms(StringBuilder h, JsonNode vms) {
    h.append("<section>\n<h2>VM counters</h2>\n");
    if (!vms.isArray() || vms.size() == 0) {
      h.append("<p class=\"empty\">no data</p>\n</section>\n");
      return;
    }
    int position = 0;
    for (JsonNode vm : vms) {
      if (position == MAX_ROWS) {
        omitted(h, vms.size() - position, "VMs");
        break;
      }
      position++;
      String name = vm.path("vm").isTextual() ? vm.path("vm").textValue() : "VM #" + position;
      h.append("<details class=\"vm\"><summary>").append(esc(name)).append("</summary>\n")
          .append("<table class=\"counters\"><tbody>\n");
      Map<String, JsonNode> counters = KeyPaths.flatten(vm);
      counters.remove("vm");
      if (counters.isEmpty()) {
        h.append("<tr><td class=\"empty\">no counters</td></tr>\n");
      }
      for (Map.Entry<String, JsonNode> c : counters.entrySet()) {
        h.append("<tr><th>").append(esc(c.getKey())).append("</th><td class=\"num\">")
            .append(value(c.getValue())).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n</details>\n");
    }
    h.append("</section>\n");
  }

  private static void td(StringBuilder h, JsonNode v) {
    h.append("<td>").append(value(v)).append("</td>");
  }

  private static void num(StringBuilder h, JsonNode v) {
    h.append("<td class=\"num\">").append(value(v)).append("</td>");
  }
}
