package io.fleetsim.report;

import static io.fleetsim.report.Cells.failedClass;
import static io.fleetsim.report.Cells.name;
import static io.fleetsim.report.Cells.num;
import static io.fleetsim.report.Cells.td;
import static io.fleetsim.report.Html.NONE;
import static io.fleetsim.report.Html.esc;
import static io.fleetsim.report.Html.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Workloads section: one table per kind with that kind's columns, in human units (the
 * results.json entries: ping fields at the top level, the others' under {@code result}); kinds
 * this report does not know get a generic table.
 */
final class WorkloadTables {
  private static final String[] RTT = {"min", "p50", "p90", "p99", "max"};
  /** Fields every entry has, shown in the common columns (or, like summary, not needed). */
  private static final Set<String> COMMON = Set.of("vm", "workload", "kind", "success", "done", "state", "summary");
  /** Senders listed per sink before "N more". */
  private static final int SENDERS = 20;

  private final Map<String, Rows<JsonNode>> byKind = new LinkedHashMap<>();
  private final Rows<JsonNode> others = new Rows<>(Cells.MAX_ROWS);

  WorkloadTables() {
    for (String kind : List.of("ping", "udpsend", "udpsink", "echo")) {
      byKind.put(kind, new Rows<>(Cells.MAX_ROWS));
    }
    for (String kind : TcpTables.KINDS) {
      byKind.put(kind, new Rows<>(Cells.MAX_ROWS));
    }
    byKind.put(TracerouteTables.KIND, new Rows<>(Cells.MAX_ROWS));
    byKind.put(DhcpTables.KIND, new Rows<>(Cells.MAX_ROWS));
  }

  /** One entry of results.json {@code workloads}. */
  void add(JsonNode w) {
    byKind.getOrDefault(kind(w), others).add(w, Cells.failed(w));
  }

  void render(StringBuilder h) {
    h.append("<section>\n<h2>Workloads</h2>\n");
    if (others.total() == 0 && byKind.values().stream().allMatch(r -> r.total() == 0)) {
      h.append("<p class=\"empty\">no data</p>\n</section>\n");
      return;
    }
    pings(h, byKind.get("ping"));
    TracerouteTables.render(h, byKind.get(TracerouteTables.KIND));
    udpSends(h, byKind.get("udpsend"));
    udpSinks(h, byKind.get("udpsink"));
    echoes(h, byKind.get("echo"));
    TcpTables.render(h, byKind);
    DhcpTables.render(h, byKind);
    others(h, others);
    h.append("</section>\n");
  }

  /** "udp-send" and "udpsend" alike (results.json writes the latter). */
  static String kind(JsonNode w) {
    return w.path("kind").asText("").replace("-", "").toLowerCase(Locale.ROOT);
  }

  /** The cells a kind adds after VM, workload and result. */
  interface Row {
    void write(StringBuilder h, JsonNode w);
  }

  /** The rows {@link Rows} keeps (failed first beyond the limit), then how many were left out. */
  static void rows(StringBuilder h, Rows<JsonNode> list, String what, Row row) {
    for (JsonNode w : list.shown()) {
      h.append("<tr").append(failedClass(w)).append('>');
      name(h, w.path("vm"));
      td(h, w.path("workload"));
      td(h, status(w));
      row.write(h, w);
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
    Cells.omitted(h, list.omitted(), what);
  }

  /** The verdict, and the state beside it when the workload is not done (running, not started). */
  private static String status(JsonNode w) {
    String result = w.path("success").isBoolean() ? Cells.result(w.path("success")) : "";
    String state = w.path("state").isTextual() ? w.path("state").textValue()
        : w.path("done").isBoolean() && !w.path("done").booleanValue() ? "running" : "";
    if (state.isEmpty() || state.equals("done")) {
      return result.isEmpty() ? NONE : result;
    }
    return (result.isEmpty() ? "" : result + " ") + "<span class=\"muted\">" + esc(state) + "</span>";
  }

  private static void pings(StringBuilder h, Rows<JsonNode> pings) {
    if (pings.total() == 0) {
      return;
    }
    h.append("<h3>ping</h3>\n");
    List<String> headers = new ArrayList<>(List.of("VM", "Workload", "Result", "#Sent", "#Received", "#Loss %"));
    for (String p : RTT) {
      headers.add("#RTT " + p + " ms");
    }
    Cells.head(h, "pings", headers.toArray(String[]::new));
    rows(h, pings, "pings", (o, w) -> {
      num(o, w.path("transmitted"));
      num(o, w.path("received"));
      num(o, w.path("lossPercent"));
      for (String p : RTT) {
        num(o, w.path("rttMillis").path(p));
      }
    });
  }

  private static void udpSends(StringBuilder h, Rows<JsonNode> sends) {
    if (sends.total() == 0) {
      return;
    }
    h.append("<h3>udp-send</h3>\n<p class=\"muted small\">Sent: datagrams the guest's stack accepted. ")
        .append("Refused: datagrams it refused on the spot (no route, link down, queue full). ")
        .append("Delayed: datagrams that waited for back-pressure to clear.</p>\n");
    Cells.head(h, "udp-send", "VM", "Workload", "Result", "To", "#Sent", "#Refused", "#Delayed", "#Time", "#Rate");
    rows(h, sends, "udp-send workloads", (o, w) -> {
      JsonNode r = w.path("result");
      td(o, r.has("host") || r.has("port") ? value(r.path("host")) + ":" + Html.plain(r.path("port")) : NONE);
      num(o, r.path("sent"));
      num(o, r.path("dropped"));
      num(o, r.path("delayed"));
      num(o, r.path("elapsedNanos").isNumber() ? Html.seconds(r.path("elapsedNanos").asDouble() / 1e9) : NONE);
      num(o, r.path("achievedRate").isNumber() ? Html.perSecond(r.path("achievedRate").asDouble()) : NONE);
    });
  }

  private static void udpSinks(StringBuilder h, Rows<JsonNode> sinks) {
    if (sinks.total() == 0) {
      return;
    }
    h.append("<h3>udp-sink</h3>\n<p class=\"muted small\">Lost, duplicates and out of order are counted ")
        .append("per sender from udp-send's sequence numbers; foreign datagrams carry no sequence ")
        .append("number and are only counted.</p>\n");
    Cells.head(h, "udp-sink", "VM", "Workload", "Result", "#Port", "#Datagrams", "#Data", "#Lost", "#Loss %",
        "#Duplicates", "#Out of order", "#Foreign", "Senders");
    rows(h, sinks, "udp-sink workloads", (o, w) -> {
      JsonNode r = w.path("result");
      long lost = 0;
      long received = 0;
      long duplicates = 0;
      long outOfOrder = 0;
      for (JsonNode s : r.path("senders")) {
        lost += s.path("lost").asLong();
        received += s.path("received").asLong();
        duplicates += s.path("duplicates").asLong();
        outOfOrder += s.path("outOfOrder").asLong();
      }
      boolean tracked = r.path("senders").isArray();
      num(o, Html.plain(r.path("port")));
      num(o, r.path("datagrams"));
      num(o, r.path("bytes").isNumber() ? Html.bytes(r.path("bytes").asDouble()) : NONE);
      num(o, tracked ? Html.count(lost) : NONE);
      num(o, tracked ? Html.percent(lost, lost + received) : NONE);
      num(o, tracked ? Html.count(duplicates) : NONE);
      num(o, tracked ? Html.count(outOfOrder) : NONE);
      num(o, r.path("foreign"));
      td(o, senders(r.path("senders")));
    });
  }

  /** Per sender, collapsed: a sink can hear from a whole fleet. */
  private static String senders(JsonNode senders) {
    if (!senders.isArray() || senders.isEmpty()) {
      return NONE;
    }
    StringBuilder s = new StringBuilder("<details class=\"senders\"><summary>")
        .append(Html.count(senders.size())).append(senders.size() == 1 ? " sender" : " senders")
        .append("</summary><ul>");
    int listed = 0;
    for (JsonNode sender : senders) {
      if (listed++ == SENDERS) {
        s.append("<li class=\"muted\">").append(Html.count(senders.size() - SENDERS))
            .append(" more in results.json</li>");
        break;
      }
      long lost = sender.path("lost").asLong();
      long received = sender.path("received").asLong();
      s.append("<li><span class=\"k\">").append(value(sender.path("address"))).append(':')
          .append(Html.plain(sender.path("port"))).append("</span> ")
          .append(value(sender.path("received"))).append(" received, ")
          .append(value(sender.path("lost"))).append(" lost");
      if (lost + received > 0) {
        s.append(" (").append(Html.percent(lost, lost + received)).append(')');
      }
      if (sender.path("duplicates").asLong() > 0) {
        s.append(", ").append(value(sender.path("duplicates"))).append(" duplicates");
      }
      if (sender.path("outOfOrder").asLong() > 0) {
        s.append(", ").append(value(sender.path("outOfOrder"))).append(" out of order");
      }
      s.append("</li>");
    }
    return s.append("</ul></details>").toString();
  }

  private static void echoes(StringBuilder h, Rows<JsonNode> echoes) {
    if (echoes.total() == 0) {
      return;
    }
    h.append("<h3>echo</h3>\n");
    Cells.head(h, "echo", "VM", "Workload", "Result", "#Port", "#Echoed", "#Data", "#Refused");
    rows(h, echoes, "echo workloads", (o, w) -> {
      JsonNode r = w.path("result");
      num(o, Html.plain(r.path("port")));
      num(o, r.path("echoed"));
      num(o, r.path("bytes").isNumber() ? Html.bytes(r.path("bytes").asDouble()) : NONE);
      num(o, r.path("dropped"));
    });
  }

  /** Kinds without a table of their own: their summary line, else their fields. */
  private static void others(StringBuilder h, Rows<JsonNode> others) {
    if (others.total() == 0) {
      return;
    }
    h.append("<h3>other workloads</h3>\n");
    Cells.head(h, "other-workloads", "VM", "Workload", "Result", "Kind", "Details");
    rows(h, others, "workloads", (o, w) -> {
      td(o, w.path("kind"));
      td(o, w.path("summary").isTextual() ? esc(w.path("summary").textValue()) : Cells.fields(w, COMMON));
    });
  }
}
