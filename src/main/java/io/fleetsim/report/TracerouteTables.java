package io.fleetsim.report;

import static io.fleetsim.report.Cells.num;
import static io.fleetsim.report.Cells.td;
import static io.fleetsim.report.Html.NONE;
import static io.fleetsim.report.Html.esc;
import static io.fleetsim.report.Html.value;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The traceroute table of the Workloads section: per run the destination, whether it was
 * reached, the path in one line, and its hops as a collapsed table (TTL, who answered, each
 * probe's round trip, * for none). Fields are read defensively, as in {@link TcpTables}.
 */
final class TracerouteTables {
  /** The kind, as {@link WorkloadTables#kind} spells it. */
  static final String KIND = "traceroute";
  /** Hops listed per run before "N more". */
  static final int LISTED = 64;

  private TracerouteTables() {}

  static void render(StringBuilder h, Rows<JsonNode> rows) {
    if (rows == null || rows.total() == 0) {
      return;
    }
    h.append("<h3>traceroute</h3>\n<p class=\"muted small\">ICMP echo probes with rising TTL: ")
        .append("each hop is the router whose time exceeded answered, the last the destination ")
        .append("when reached; * is a probe nobody answered, !N / !H a destination unreachable.</p>\n");
    Cells.head(h, "traceroute", "VM", "Workload", "Result", "To", "Reached", "#Hops", "Path", "Hops");
    WorkloadTables.rows(h, rows, "traceroute workloads", (o, w) -> {
      JsonNode r = w.path("result");
      JsonNode hops = r.path("hops");
      td(o, value(r.path("host")));
      td(o, value(r.path("reached")));
      num(o, hops.isArray() ? Html.count(hops.size()) : NONE);
      td(o, path(hops));
      td(o, hopTable(hops));
    });
  }

  /** "10.1.0.1 10.9.0.2 * 10.2.0.10". */
  private static String path(JsonNode hops) {
    if (!hops.isArray() || hops.isEmpty()) {
      return NONE;
    }
    StringBuilder s = new StringBuilder();
    for (JsonNode hop : hops) {
      String note = hop.path("note").asText("");
      s.append(s.length() == 0 ? "" : " ").append(answerer(hop))
          .append(note.isEmpty() ? "" : " " + esc(note));
    }
    return s.toString();
  }

  private static String answerer(JsonNode hop) {
    return hop.path("from").isTextual() ? esc(hop.path("from").textValue()) : "*";
  }

  private static String hopTable(JsonNode hops) {
    if (!hops.isArray() || hops.isEmpty()) {
      return NONE;
    }
    StringBuilder s = new StringBuilder("<details class=\"connections\"><summary>")
        .append(Html.count(hops.size())).append(hops.size() == 1 ? " hop" : " hops")
        .append("</summary><table class=\"connections\"><thead><tr><th class=\"num\">TTL</th>")
        .append("<th>Host</th><th class=\"num\">RTT ms</th></tr></thead><tbody>");
    int n = 0;
    for (JsonNode hop : hops) {
      if (n++ == LISTED) {
        break;
      }
      s.append("<tr><td class=\"num\">").append(Html.plain(hop.path("ttl"))).append("</td><td>")
          .append(answerer(hop)).append(esc(hop.path("note").asText("").isEmpty() ? ""
              : " " + hop.path("note").asText())).append("</td><td class=\"num\">")
          .append(rtts(hop.path("rttNanos"))).append("</td></tr>");
    }
    s.append("</tbody></table>");
    if (hops.size() > LISTED) {
      s.append("<p class=\"muted small\">").append(Html.count(hops.size() - LISTED))
          .append(" more in results.json</p>");
    }
    return s.append("</details>").toString();
  }

  /** "0.301 0.298 *": milliseconds to 3 places, * for an unanswered probe. */
  private static String rtts(JsonNode list) {
    if (!list.isArray() || list.isEmpty()) {
      return NONE;
    }
    StringBuilder s = new StringBuilder();
    for (JsonNode rtt : list) {
      s.append(s.length() == 0 ? "" : " ")
          .append(rtt.isNumber() ? String.format(java.util.Locale.ROOT, "%.3f", rtt.asDouble() / 1e6) : "*");
    }
    return s.toString();
  }
}
