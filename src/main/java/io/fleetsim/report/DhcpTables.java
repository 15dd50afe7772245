package io.fleetsim.report;

import static io.fleetsim.report.Cells.num;
import static io.fleetsim.report.Cells.td;
import static io.fleetsim.report.Html.NONE;
import static io.fleetsim.report.Html.esc;
import static io.fleetsim.report.Html.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The dhcp-server table of the Workloads section: one row per server run (one per interface of
 * its VM), its counters, and its leases as a collapsed list in the row (address, client MAC,
 * seconds left), as udp-sink's senders are. Fields are read defensively, as in {@link TcpTables}.
 */
final class DhcpTables {
  /** The kind, as {@link WorkloadTables#kind} spells it. */
  static final String KIND = "dhcpserver";

  private DhcpTables() {}

  static void render(StringBuilder h, Map<String, Rows<JsonNode>> byKind) {
    Rows<JsonNode> rows = byKind.get(KIND);
    if (rows == null || rows.total() == 0) {
      return;
    }
    h.append("<h3>dhcp-server</h3>\n<p class=\"muted small\">One row per interface of the server's ")
        .append("VM: it serves where the interface's subnet holds its pool and is idle elsewhere. ")
        .append("Exhausted: DISCOVERs left unanswered, no address free. Malformed: datagrams to ")
        .append("port 67 that are not DHCP requests.</p>\n");
    Cells.head(h, "dhcp-server", "VM", "Workload", "Result", "Server", "#Offers", "#Acks", "#Naks",
        "#Declines", "#Releases", "#Exhausted", "#Malformed", "Leases");
    WorkloadTables.rows(h, rows, "dhcp-server workloads", (o, w) -> {
      JsonNode r = w.path("result");
      td(o, r.path("server").isTextual() ? esc(r.path("server").textValue()) : NONE);
      for (String f : new String[] {"offers", "acks", "naks", "declines", "releases", "exhausted",
          "malformed"}) {
        num(o, r.path(f));
      }
      td(o, r.path("idle").isTextual()
          ? "<span class=\"muted\">" + (r.path("refused").asBoolean() ? "refused: " : "idle: ")
              + esc(r.path("idle").textValue()) + "</span>"
          : leases(r.path("leases"), r.path("poolSize")));
    });
  }

  private static String leases(JsonNode leases, JsonNode poolSize) {
    if (!leases.isArray()) {
      return NONE;
    }
    StringBuilder s = new StringBuilder("<details class=\"senders\"><summary>")
        .append(Html.count(leases.size())).append(" of ").append(value(poolSize))
        .append(" leased</summary><ul>");
    int listed = 0;
    for (JsonNode l : leases) {
      if (listed++ == TcpTables.LISTED) {
        s.append("<li class=\"muted\">").append(Html.count(leases.size() - TcpTables.LISTED))
            .append(" more in results.json</li>");
        break;
      }
      s.append("<li><span class=\"k\">").append(value(l.path("address"))).append("</span> ")
          .append(value(l.path("client"))).append(", ")
          .append(value(l.path("expiresInSeconds"))).append(" s left</li>");
    }
    return s.append("</ul></details>").toString();
  }
}
