package io.fleetsim.report;

import static io.fleetsim.report.Cells.num;
import static io.fleetsim.report.Cells.td;
import static io.fleetsim.report.Html.NONE;
import static io.fleetsim.report.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Fleets section: one row per fleet of results.json {@code fleets}, adding up its VMs'
 * workloads, pings and links, so that a fleet of 1,000 reads in one line before the per-VM
 * and per-link detail. RTT percentiles come from the fleet's own entry: they are over every
 * reply, which per-VM percentiles cannot be combined into.
 */
final class FleetSummary {
  private static final String[] RTT = {"p50", "p90", "p99", "max"};

  /** What one fleet's rows add up to. */
  private static final class Tally {
    final JsonNode fleet;
    int workloads;
    /** By state ("done", "running", "not started"); sorted, for a fixed order. */
    final Map<String, Integer> states = new TreeMap<>();
    int ok;
    int failed;
    long pingsSent;
    long pingsAnswered;
    long framesSent;
    long framesReceived;
    double dropped;
    int imbalanced;

    Tally(JsonNode fleet) {
      this.fleet = fleet;
    }
  }

  private final List<Tally> tallies = new ArrayList<>();
  private final Map<String, Tally> byVm = new HashMap<>(); // lookups only; rows follow the fleets' order

  private FleetSummary() {}

  /** The summary of results.json's {@code fleets}; null without fleets (results from before them). */
  static FleetSummary of(JsonNode fleets) {
    if (!fleets.isArray() || fleets.isEmpty()) {
      return null;
    }
    FleetSummary s = new FleetSummary();
    for (JsonNode fleet : fleets) {
      Tally t = new Tally(fleet);
      s.tallies.add(t);
      for (JsonNode vm : fleet.path("vms")) {
        s.byVm.putIfAbsent(vm.asText(), t);
      }
    }
    return s;
  }

  /** One entry of results.json {@code workloads}. */
  void workload(JsonNode w) {
    Tally t = byVm.get(w.path("vm").asText());
    if (t != null) {
      workload(t, w);
    }
  }

  /** One entry of results.json {@code links}. */
  void link(JsonNode l) {
    Tally t = byVm.get(l.path("vm").asText());
    if (t != null) {
      link(t, l);
    }
  }

  void render(StringBuilder h) {
    h.append("<section id=\"fleets\">\n<h2>Fleets</h2>\n")
        .append("<p class=\"muted small\">Per fleet, what its VMs' workloads and links add up to. ")
        .append("RTT percentiles are over every ping reply the fleet's VMs received. Frames: sent by ")
        .append("the fleet's VMs, delivered to them, and dropped on their links either way.</p>\n");
    // two header rows: groups over short column names, so 14 columns fit the page
    h.append("<table id=\"fleet-summary\">\n<thead><tr class=\"groups\">")
        .append("<th colspan=\"4\"></th><th colspan=\"3\" class=\"group\">Pings</th>")
        .append("<th colspan=\"4\" class=\"group\">RTT ms</th><th colspan=\"3\" class=\"group\">Frames</th>")
        .append("</tr>\n<tr><th>Fleet</th><th class=\"num\">VMs</th><th>Workloads</th><th>Result</th>")
        .append("<th class=\"num\">Sent</th><th class=\"num\">Answered</th><th class=\"num\">Loss</th>");
    for (String p : RTT) {
      h.append("<th class=\"num\">").append(p).append("</th>");
    }
    h.append("<th class=\"num\">Sent</th><th class=\"num\">Received</th><th class=\"num\">Dropped</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (Tally t : tallies) {
      boolean bad = t.failed > 0 || t.imbalanced > 0;
      h.append(bad ? "<tr class=\"failed\">" : "<tr>");
      Cells.name(h, t.fleet.path("name"));
      JsonNode vms = t.fleet.path("vmCount");
      num(h, Html.count(vms.isNumber() ? vms.asDouble() : t.fleet.path("vms").size()));
      td(h, states(t));
      td(h, verdicts(t));
      boolean pinged = t.pingsSent > 0;
      num(h, pinged ? Html.count(t.pingsSent) : NONE);
      num(h, pinged ? Html.count(t.pingsAnswered) : NONE);
      num(h, Html.percent(t.pingsSent - t.pingsAnswered, t.pingsSent));
      for (String p : RTT) {
        num(h, t.fleet.path("rttMillis").path(p));
      }
      num(h, Html.count(t.framesSent));
      num(h, Html.count(t.framesReceived));
      num(h, Html.count(t.dropped));
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static void workload(Tally t, JsonNode w) {
    t.workloads++;
    String state = w.path("state").isTextual() ? w.path("state").textValue()
        : w.path("done").isBoolean() ? (w.path("done").booleanValue() ? "done" : "running") : "unknown";
    t.states.merge(state, 1, Integer::sum);
    if (w.path("success").isBoolean()) {
      if (w.path("success").booleanValue()) {
        t.ok++;
      } else {
        t.failed++;
      }
    }
    if (WorkloadTables.kind(w).equals("ping")) {
      t.pingsSent += w.path("transmitted").asLong();
      t.pingsAnswered += w.path("received").asLong();
    }
  }

  private static void link(Tally t, JsonNode l) {
    String direction = l.path("direction").asText("");
    if (direction.equals("out")) {
      t.framesSent += l.path("sent").asLong();
    } else if (direction.equals("in")) {
      t.framesReceived += l.path("delivered").asLong();
    }
    JsonNode dropped = l.path("dropped");
    if (dropped.isObject()) {
      dropped.forEach(n -> t.dropped += n.isNumber() ? n.doubleValue() : 0);
    } else if (dropped.isNumber()) {
      t.dropped += dropped.doubleValue();
    }
    if (l.path("balanced").isBoolean() && !l.path("balanced").booleanValue()) {
      t.imbalanced++;
    }
  }

  private static String states(Tally t) {
    if (t.workloads == 0) {
      return NONE;
    }
    StringBuilder s = new StringBuilder();
    // done first, then the rest in name order
    Map<String, Integer> ordered = new TreeMap<>(t.states);
    Integer done = ordered.remove("done");
    if (done != null) {
      s.append(Html.count(done)).append(" done");
    }
    for (Map.Entry<String, Integer> e : ordered.entrySet()) {
      s.append(s.length() > 0 ? " \u00b7 " : "").append(Html.count(e.getValue())).append(' ').append(esc(e.getKey()));
    }
    return s.toString();
  }

  private static String verdicts(Tally t) {
    StringBuilder s = new StringBuilder();
    if (t.ok > 0) {
      s.append("<span class=\"badge ok\">").append(Html.count(t.ok)).append(" ok</span> ");
    }
    if (t.failed > 0) {
      s.append("<span class=\"badge bad\">").append(Html.count(t.failed)).append(" failed</span> ");
    }
    if (t.imbalanced > 0) {
      s.append("<span class=\"badge bad\">").append(Html.count(t.imbalanced))
          .append(t.imbalanced == 1 ? " link imbalanced" : " links imbalanced").append("</span>");
    }
    return s.length() == 0 ? NONE : s.toString().trim();
  }
}
