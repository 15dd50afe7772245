package io.fleetsim.report;

import static io.fleetsim.report.Cells.failedClass;
import static io.fleetsim.report.Html.NONE;
import static io.fleetsim.report.Html.esc;
import static io.fleetsim.report.Html.value;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
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
 * Writes report.html from an experiment's results (the results.json schema), read from the file
 * one entry at a time ({@link ReportInput}) or from a tree. Tables are rendered here, so they
 * read without scripts; the charts are drawn in the page by uPlot from the results embedded as
 * JSON. Missing or odd fields render as what is there, never an exception.
 */
public final class ReportWriter {
  /** Element id of the embedded results; report.js and tests read it. */
  public static final String DATA_ID = "fleetsim-results";
  /** How many charts a report has; {@code data-rendered} reaches this when all have data. */
  public static final int CHARTS = 4;
  /** Fault colours, kept in step with the {@code --fault-N} variables in report.css. */
  static final int FAULT_COLOURS = 8;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> LINK_FIELDS =
      Set.of("name", "network", "sent", "delivered", "held", "dropped", "balanced");
  /** Rows a table shows before "N more in results.json"; beyond it, failed and imbalanced rows first. */
  static final int MAX_ROWS = Cells.MAX_ROWS;

  private ReportWriter() {}

  public static void write(JsonNode results, Path html) throws IOException {
    write(ReportInput.of(results), html);
  }

  /**
   * The report of a results.json file, read one entry at a time: a 100,000-VM run's results are
   * never one tree, and the page is written section by section.
   */
  public static void write(Path resultsJson, Path html) throws IOException {
    write(ReportInput.read(resultsJson), html);
  }

  private static void write(ReportInput in, Path html) throws IOException {
    Path parent = html.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Writer out = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
      render(in, out);
    }
  }

  public static String render(JsonNode results) {
    StringWriter out = new StringWriter(96 * 1024);
    try {
      render(ReportInput.of(results), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not throw
    }
    return out.toString();
  }

  private static void render(ReportInput in, Writer out) throws IOException {
    Assets assets = Assets.get();
    JsonNode exp = in.section("experiment");
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
    header(h, exp, in.section("host"), name);
    accounting(h, in.section("accounting"));
    verdict(h, in);
    summary(h, in.section("series"), in.section("totals"), in);
    topology(h, in.section("topology"));
    if (in.fleets() != null) {
      in.fleets().render(h);
    }
    charts(h, in.section("faults"));
    flush(h, out);
    in.workloads.render(h);
    flush(h, out);
    criteria(h, in.criteria);
    faults(h, in.section("faults"));
    flush(h, out);
    links(h, in);
    flush(h, out);
    vms(h, in.vms);
    h.append("<footer>fleetsim ").append(esc(exp.path("fleetsimVersion").asText("")))
        .append(" \u00b7 charts by uPlot</footer>\n</main>\n")
        .append("<script type=\"application/json\" id=\"").append(DATA_ID).append("\">")
        .append(embeddedJson(chartData(in))).append("</script>\n")
        .append("<script>\n").append(assets.uplotJs()).append("\n</script>\n")
        .append("<script>\n").append(assets.reportJs()).append("\n</script>\n")
        .append("</body>\n</html>\n");
    flush(h, out);
  }

  /** The page so far to {@code out}: it is written section by section, not kept whole. */
  private static void flush(StringBuilder h, Writer out) throws IOException {
    out.append(h);
    h.setLength(0);
  }

  /** What the charts draw; the tables are HTML already, and results.json has everything. */
  static JsonNode chartData(ReportInput in) {
    if (in.notAnObject() != null) {
      return in.notAnObject();
    }
    com.fasterxml.jackson.databind.node.ObjectNode data = JSON.createObjectNode();
    for (String key : new String[] {"experiment", "series", "faults"}) {
      if (!in.section(key).isMissingNode()) {
        data.set(key, in.section(key));
      }
    }
    return data;
  }

  private static void omitted(StringBuilder h, int omitted, String what) {
    Cells.omitted(h, omitted, what);
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

  private static void header(StringBuilder h, JsonNode exp, JsonNode host, String name) {
    h.append("<header>\n<div class=\"brand\">fleetsim experiment report</div>\n")
        .append("<h1>").append(esc(name)).append("</h1>\n<dl class=\"meta\">\n");
    meta(h, "Config", exp.path("file"));
    // an identifier, not a quantity: "2026", never "2,026"
    h.append("<div><dt>Seed</dt><dd>").append(Html.plain(exp.path("seed"))).append("</dd></div>\n");
    JsonNode dur = exp.path("durationSeconds");
    h.append("<div><dt>Duration</dt><dd>").append(value(dur)).append(dur.isNumber() ? " s" : "")
        .append("</dd></div>\n");
    meta(h, "Started", exp.path("startedAt"));
    meta(h, "VMs", exp.path("vmCount"));
    host(h, host);
    h.append("</dl>\n</header>\n");
  }

  /** What the fleet cost the host; results.json has null for what it could not measure. */
  private static void host(StringBuilder h, JsonNode host) {
    if (!host.isObject()) {
      return;
    }
    JsonNode boot = host.path("bootSeconds");
    if (boot.isNumber()) {
      h.append("<div><dt>Boot</dt><dd>").append(Html.seconds(boot.asDouble())).append("</dd></div>\n");
    }
    JsonNode heap = host.path("heapPerVmBytes");
    // a negative figure (results.json of older runs) is a failed measurement, not a cost
    h.append("<div><dt>Heap per VM</dt><dd>")
        .append(heap.isNumber() && heap.asDouble() >= 0 ? Html.bytes(heap.asDouble())
            : "<span class=\"muted\" title=\"no collection ran, or the heap did not grow while the VMs "
                + "booted\">unknown</span>")
        .append("</dd></div>\n");
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

  private static void summary(StringBuilder h, JsonNode series, JsonNode totals, ReportInput in) {
    // the run's totals (boot and drain included, every port's books) where results have them
    double frames = total(totals, "framesDelivered", series, "framesPerSecond");
    double bytes = total(totals, "bytesDelivered", series, "bytesPerSecond");
    double drops = total(totals, "framesDropped", series, "dropsPerSecond");
    long tx = in.pingsSent;
    long rx = in.pingsAnswered;
    h.append("<section class=\"tiles\">\n");
    tile(h, "Frames delivered", Html.count(frames));
    tile(h, "Bytes delivered", Html.bytes(bytes));
    tile(h, "Frames dropped", Html.count(drops));
    tile(h, "Loss", frames + drops > 0 ? Html.decimal(drops / (frames + drops) * 100) + " %" : NONE);
    tile(h, "Pings answered", tx > 0 ? rx + " / " + tx : NONE);
    h.append("</section>\n");
  }

  /** The drawing of the networks, fleets and links (results of older runs have no topology). */
  private static void topology(StringBuilder h, JsonNode topology) {
    if (!topology.isObject()) {
      return;
    }
    h.append("<section id=\"topology\">\n<h2>Topology</h2>\n<div class=\"topology-drawing\">\n")
        .append(TopologySvg.render(Topology.of(topology)))
        .append("</div>\n<p class=\"muted small\">Each fleet drawn once (\u00d7 its VMs), with its first ")
        .append("VM's address on each of its networks; lines are NICs, thick lines the links between ")
        .append("networks with their standing latency, jitter, rate and loss.</p>\n</section>\n");
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
    chart(h, "chart-throughput", "Throughput (frames delivered per second)", "");
    chart(h, "chart-loss", "Loss (frames dropped per second, loss %)", "");
    chart(h, "chart-rtt", "Ping round-trip time (ms, per second, logarithmic scale)",
        "Each labelled gridline is ten times the one below: a steady state under a millisecond, a "
            + "fault's added delay and the first second's spike (ARP resolution, warm-up) all stay "
            + "readable, where a linear axis scaled to the spike draws the rest as zero.");
    chart(h, "chart-tcp", "TCP goodput (bits per second delivered to programs) and retransmissions per second",
        "Goodput counts the bytes TCP handed to the programs reading them, in order, over every VM: "
            + "headers, retransmissions and duplicates left out.");
    h.append("</section>\n");
  }

  private static void chart(StringBuilder h, String id, String title, String note) {
    h.append("<figure class=\"chart-box\"><figcaption>").append(title);
    if (!note.isEmpty()) {
      h.append("<span class=\"chart-note\">").append(esc(note)).append("</span>");
    }
    h.append("</figcaption><div class=\"chart\" id=\"").append(id)
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
    h.append("</ul>\n<p class=\"muted small\">Above each chart, every fault activation is a bar in ")
        .append("its colour, faults that overlap in lanes of their own; dashed lines mark where it ")
        .append("starts and ends.</p>\n");
  }

  static int faultIndex(JsonNode f, int position) {
    return f.path("index").isIntegralNumber() ? f.path("index").asInt() : position;
  }

  private static String swatch(int index) {
    return "<span class=\"swatch f" + Math.floorMod(index, FAULT_COLOURS) + "\"></span>";
  }

  /** A banner: every judged workload passed, or which did not (results.json has them all). */
  private static void verdict(StringBuilder h, ReportInput in) {
    if (in.failedWorkloads == 0) {
      if (in.judged > 0) {
        h.append("<section class=\"banner ok\" id=\"workload-verdict\">Every workload started and met ")
            .append("its pass criteria.</section>\n");
      }
      return;
    }
    h.append("<section class=\"banner error\" id=\"workload-verdict\">\n<strong>")
        .append(Html.count(in.failedWorkloads)).append(" of ").append(Html.count(in.judged))
        .append(" workloads failed</strong>\n<ul>\n");
    for (JsonNode w : in.failedListed) {
      h.append("<li>").append(value(w.path("vm"))).append(": ").append(value(w.path("workload")))
          .append(": ").append("not-started".equals(w.path("state").asText()) ? "did not start"
              : "criteria not met").append("</li>\n");
    }
    h.append("</ul>\n</section>\n");
    int unlisted = in.failedWorkloads - in.failedListed.size();
    if (unlisted > 0) {
      h.append("<p class=\"muted small\">").append(Html.count(unlisted))
          .append(" more failed workloads in results.json</p>\n");
    }
  }

  /**
   * Each judged workload's criteria, one row per expectation with what was measured; a workload
   * that did not start is a row of its own.
   */
  static void criteriaRows(JsonNode w, Rows<String[]> rows) {
    if (!w.path("success").isBoolean()) {
      return; // not judged (a boot a crash ended)
    }
    String[] head = {value(w.path("vm")), value(w.path("workload")), value(w.path("boot"))};
    if ("not-started".equals(w.path("state").asText())) {
      add(rows, row(head, "it starts", "did not start" + (w.path("reason").isTextual()
          ? " (" + esc(w.path("reason").asText()) + ")" : ""), false));
      return;
    }
    JsonNode list = w.path("expectations");
    if (!list.isArray() || list.size() == 0) {
      add(rows, row(head, w.path("note").isTextual() ? esc(w.path("note").asText()) : "it starts",
          value(w.path("state")), w.path("success").asBoolean()));
    }
    for (JsonNode e : list) {
      String measured = e.path("value").isNumber() ? Html.number(e.path("value"))
          + esc(e.path("unit").asText("")) : NONE;
      add(rows, row(head, esc(e.path("expect").asText()) + (e.path("default").asBoolean(false)
          ? " <span class=\"muted small\">(default)</span>" : ""), measured, e.path("pass").asBoolean()));
    }
  }

  private static void add(Rows<String[]> rows, String[] row) {
    rows.add(row, row[6] != null);
  }

  private static void criteria(StringBuilder h, Rows<String[]> rows) {
    if (rows.total() == 0) {
      return;
    }
    h.append("<section>\n<h2>Pass criteria</h2>\n<table id=\"criteria\">\n<thead><tr><th>VM</th>")
        .append("<th>Workload</th><th class=\"num\">Boot</th><th>Expectation</th>")
        .append("<th class=\"num\">Measured</th><th>Result</th></tr></thead>\n<tbody>\n");
    for (String[] r : rows.shown()) {
      boolean bad = r[6] != null;
      h.append(bad ? "<tr class=\"failed\">" : "<tr>").append("<td>").append(r[0]).append("</td><td>")
          .append(r[1]).append("</td><td class=\"num\">").append(r[2]).append("</td><td>").append(r[3])
          .append("</td><td class=\"num\">").append(r[4]).append("</td><td>").append(r[5])
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n");
    omitted(h, rows.omitted(), "expectations");
    h.append("</section>\n");
  }

  private static String[] row(String[] head, String expectation, String measured, boolean pass) {
    return new String[] {head[0], head[1], head[2], expectation, measured,
        pass ? "<span class=\"badge ok\">pass</span>" : "<span class=\"badge bad\">fail</span>",
        pass ? null : "failed"};
  }

  /**
   * Who put the fault on, timeline or api (results from before the API have no source: the
   * timeline), with its id, and whether the API ended it early.
   */
  private static void source(StringBuilder h, JsonNode f) {
    String source = f.path("source").asText("timeline");
    h.append("<td class=\"fault-source ").append(source.equals("api") ? "api" : "timeline")
        .append("\">").append(esc(source));
    if (f.path("id").isTextual()) {
      h.append(" <span class=\"muted small\">").append(esc(f.path("id").asText())).append("</span>");
    }
    if (f.path("endedBy").isTextual()) {
      h.append(" <span class=\"muted small\">(ended by ").append(esc(f.path("endedBy").asText()))
          .append(")</span>");
    }
    h.append("</td>");
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
        .append("<th>Source</th></tr></thead>\n<tbody>\n");
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
      source(h, f);
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  /** Whether a links entry has fields beyond the table's columns (shown in an "Other" column). */
  static boolean hasExtraLinkFields(JsonNode l) {
    Iterator<String> names = l.fieldNames();
    while (names.hasNext()) {
      if (!LINK_FIELDS.contains(names.next())) {
        return true;
      }
    }
    return false;
  }

  private static void links(StringBuilder h, ReportInput in) {
    h.append("<section>\n<h2>Links and frame accounting</h2>\n");
    if (in.links.total() == 0) {
      h.append("<p class=\"empty\">no data</p>\n</section>\n");
      return;
    }
    boolean extras = in.linkExtras;
    h.append("<p class=\"muted small\">Each row must balance: sent = delivered + held + dropped. ")
        .append("Rows that do not are marked red.</p>\n")
        .append("<table id=\"links\">\n<thead><tr><th>Link</th><th>Network</th><th class=\"num\">Sent</th>")
        .append("<th class=\"num\">Delivered</th><th class=\"num\">Held</th><th class=\"num\">Dropped</th>")
        .append("<th>Drop causes</th><th>Balanced</th>").append(extras ? "<th>Other</th>" : "")
        .append("</tr></thead>\n<tbody>\n");
    for (JsonNode l : in.links.shown()) {
      JsonNode balanced = l.path("balanced");
      boolean imbalanced = balanced.isBoolean() && !balanced.booleanValue();
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
        h.append("<td>").append(Cells.fields(l, LINK_FIELDS)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
    omitted(h, in.links.omitted(), "links");
    h.append("</section>\n");
  }

  private static void vms(StringBuilder h, Rows<JsonNode> vms) {
    h.append("<section>\n<h2>VM counters</h2>\n");
    if (vms.total() == 0) {
      h.append("<p class=\"empty\">no data</p>\n</section>\n");
      return;
    }
    // a VM has some 150 counters, most of them 0: listed, 200 VMs made megabytes of zeros
    h.append("<p class=\"muted small\">Counters that are zero are left out, and so are the VMs' ")
        .append("workloads (see Workloads); results.json has them all.</p>\n");
    int position = 0;
    for (JsonNode vm : vms.shown()) {
      position++;
      String name = vm.path("vm").isTextual() ? vm.path("vm").textValue() : "VM #" + position;
      h.append("<details class=\"vm\"><summary>").append(esc(name)).append("</summary>\n")
          .append("<table class=\"counters\"><tbody>\n");
      Map<String, JsonNode> counters = KeyPaths.flatten(vm);
      counters.remove("vm");
      counters.keySet().removeIf(k -> k.startsWith("guest.workloads"));
      int zeros = counters.size();
      counters.values().removeIf(v -> v.isNumber() && v.doubleValue() == 0);
      zeros -= counters.size();
      if (counters.isEmpty()) {
        h.append("<tr><td class=\"empty\">no counters</td></tr>\n");
      }
      for (Map.Entry<String, JsonNode> c : counters.entrySet()) {
        h.append("<tr><th>").append(esc(c.getKey())).append("</th><td class=\"num\">")
            .append(value(c.getValue())).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
      if (zeros > 0) {
        h.append("<p class=\"muted small zeros\">").append(Html.count(zeros))
            .append(zeros == 1 ? " counter" : " counters").append(" at zero</p>\n");
      }
      h.append("</details>\n");
    }
    omitted(h, vms.omitted(), "VMs");
    h.append("</section>\n");
  }

  private static void td(StringBuilder h, JsonNode v) {
    Cells.td(h, v);
  }

  private static void num(StringBuilder h, JsonNode v) {
    Cells.num(h, v);
  }
}
