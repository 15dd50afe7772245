package io.fleetsim.report;

import static io.fleetsim.report.Cells.num;
import static io.fleetsim.report.Cells.td;
import static io.fleetsim.report.Html.NONE;
import static io.fleetsim.report.Html.esc;
import static io.fleetsim.report.Html.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The Workloads tables of the TCP and HTTP kinds (tcp-stream, tcp-sink, tcp-rr, tcp-echo,
 * http-serve, http-get), in human units; a server's connections (an http-get's requests) are a
 * collapsed table in its row, as udp-sink's senders are. Every field is read defensively: what
 * is missing or of another type is the empty cell, so a result that gains or loses a field
 * still renders.
 */
final class TcpTables {
  /** The kinds, as {@link WorkloadTables#kind} spells them. */
  static final List<String> KINDS =
      List.of("tcpstream", "tcpsink", "tcprr", "tcpecho", "httpserve", "httpget");
  /** Connections (requests) listed per row before "N more". */
  static final int LISTED = 20;

  private TcpTables() {}

  static void render(StringBuilder h, Map<String, Rows<JsonNode>> byKind) {
    streams(h, byKind.get("tcpstream"));
    sinks(h, byKind.get("tcpsink"));
    requestResponse(h, byKind.get("tcprr"));
    echoes(h, byKind.get("tcpecho"));
    serves(h, byKind.get("httpserve"));
    gets(h, byKind.get("httpget"));
  }

  private static void streams(StringBuilder h, Rows<JsonNode> rows) {
    if (rows.total() == 0) {
      return;
    }
    h.append("<h3>tcp-stream</h3>\n<p class=\"muted small\">Acked: stream bytes the receiver ")
        .append("acknowledged. Goodput: acked bytes per second of the connection's life. SRTT and ")
        .append("cwnd as the connection ended.</p>\n");
    Cells.head(h, "tcp-stream", "VM", "Workload", "Result", "To", "#Sent", "#Acked", "#Time",
        "#Goodput", "#Retrans.", "#SRTT ms", "#cwnd", "Error");
    WorkloadTables.rows(h, rows, "tcp-stream workloads", (o, w) -> {
      JsonNode r = w.path("result");
      td(o, endpoint(r.path("host"), r.path("port")));
      num(o, bytes(r.path("bytesSent")));
      num(o, bytes(r.path("bytesAcked")));
      boolean opened = r.path("elapsedNanos").asDouble(0) > 0; // 0: it never opened
      num(o, opened ? time(r.path("elapsedNanos")) : NONE);
      num(o, opened ? bits(r.path("goodputBitsPerSecond")) : NONE);
      tcpStats(o, r.path("stats"), true);
      td(o, error(r.path("error")));
    });
  }

  private static void sinks(StringBuilder h, Rows<JsonNode> rows) {
    if (rows.total() == 0) {
      return;
    }
    h.append("<h3>tcp-sink</h3>\n<p class=\"muted small\">Not intact: connections with bytes that ")
        .append("differ from tcp-stream's pattern. Goodput: all connections together, first accept ")
        .append("to last end.</p>\n");
    Cells.head(h, "tcp-sink", "VM", "Workload", "Result", "#Port", "#Received", "#Goodput",
        "#Not intact", "#Errors", "Connections");
    WorkloadTables.rows(h, rows, "tcp-sink workloads", (o, w) -> {
      JsonNode r = w.path("result");
      JsonNode conns = r.path("connections");
      num(o, Html.plain(r.path("port")));
      num(o, bytes(r.path("bytesReceived")));
      num(o, bits(r.path("goodputBitsPerSecond")));
      num(o, conns.isArray() ? Html.count(countWhere(conns, c -> c.path("intact").isBoolean()
          && !c.path("intact").booleanValue())) : NONE);
      num(o, conns.isArray() ? Html.count(countWhere(conns, c -> present(c.path("error")))) : NONE);
      td(o, connections(conns, new String[] {"Peer", "#Bytes", "#Goodput", "#Retrans.", "#SRTT ms",
          "#cwnd", "Intact", "Error"}, (s, c) -> {
            s.append(cell(value(c.path("peer"))));
            s.append(numCell(bytes(c.path("bytes"))));
            s.append(numCell(bits(c.path("goodputBitsPerSecond"))));
            connectionStats(s, c.path("stats"));
            s.append(cell(c.path("intact").isBoolean() ? (c.path("intact").booleanValue() ? "yes"
                : "<span class=\"bad-text\">no</span>") + (c.path("complete").isBoolean()
                && !c.path("complete").booleanValue() ? " <span class=\"muted\">(open)</span>" : "") : NONE));
            s.append(cell(error(c.path("error"))));
          }));
    });
  }

  private static void requestResponse(StringBuilder h, Rows<JsonNode> rows) {
    if (rows.total() == 0) {
      return;
    }
    h.append("<h3>tcp-rr</h3>\n<p class=\"muted small\">Latency: from a request's first byte ")
        .append("handed to TCP to its response's last byte.</p>\n");
    Cells.head(h, "tcp-rr", "VM", "Workload", "Result", "To", "#Size", "#Trans\u00adactions", "#Rate",
        "#Latency p50 ms", "#p99 ms", "#max ms", "#Retrans.", "#SRTT ms", "Error");
    WorkloadTables.rows(h, rows, "tcp-rr workloads", (o, w) -> {
      JsonNode r = w.path("result");
      JsonNode latency = r.path("latency");
      td(o, endpoint(r.path("host"), r.path("port")));
      num(o, bytes(r.path("size")));
      num(o, r.path("transactions"));
      num(o, r.path("transactionsPerSecond").isNumber() && r.path("elapsedNanos").asDouble(0) > 0
          ? Html.perSecond(r.path("transactionsPerSecond").asDouble()) : NONE);
      num(o, millis(latency.path("p50Nanos")));
      num(o, millis(latency.path("p99Nanos")));
      num(o, millis(latency.path("maxNanos")));
      tcpStats(o, r.path("stats"), false);
      td(o, error(r.path("error")) + (r.path("serverClosed").asBoolean(false)
          ? " <span class=\"muted\">closed by the server</span>" : ""));
    });
  }

  private static void echoes(StringBuilder h, Rows<JsonNode> rows) {
    if (rows.total() == 0) {
      return;
    }
    h.append("<h3>tcp-echo</h3>\n");
    Cells.head(h, "tcp-echo", "VM", "Workload", "Result", "#Port", "#Echoed", "#Errors", "Connections");
    WorkloadTables.rows(h, rows, "tcp-echo workloads", (o, w) -> {
      JsonNode r = w.path("result");
      JsonNode conns = r.path("connections");
      num(o, Html.plain(r.path("port")));
      num(o, bytes(r.path("bytesEchoed")));
      num(o, conns.isArray() ? Html.count(countWhere(conns, c -> present(c.path("error")))) : NONE);
      td(o, connections(conns, new String[] {"Peer", "#Echoed", "#Time", "#Retrans.", "#SRTT ms",
          "#cwnd", "Error"}, (s, c) -> {
            s.append(cell(value(c.path("peer"))));
            s.append(numCell(bytes(c.path("bytesEchoed"))));
            s.append(numCell(time(c.path("elapsedNanos"))));
            connectionStats(s, c.path("stats"));
            s.append(cell(error(c.path("error"))));
          }));
    });
  }

  private static void serves(StringBuilder h, Rows<JsonNode> rows) {
    if (rows.total() == 0) {
      return;
    }
    h.append("<h3>http-serve</h3>\n<p class=\"muted small\">Bad: malformed requests, answered ")
        .append("with an error status and closed. Sent: response heads and bodies.</p>\n");
    Cells.head(h, "http-serve", "VM", "Workload", "Result", "#Port", "#Body", "Body SHA-256",
        "#Connections", "#Requests", "#Bad", "Responses", "#Sent");
    WorkloadTables.rows(h, rows, "http-serve workloads", (o, w) -> {
      JsonNode r = w.path("result");
      num(o, Html.plain(r.path("port")));
      num(o, bytes(r.path("bodyBytes")));
      td(o, digest(r.path("sha256")));
      num(o, r.path("connections"));
      num(o, r.path("requests"));
      num(o, r.path("badRequests"));
      td(o, byStatus(r.path("responses")));
      num(o, bytes(r.path("bytesSent")));
    });
  }

  private static void gets(StringBuilder h, Rows<JsonNode> rows) {
    if (rows.total() == 0) {
      return;
    }
    h.append("<h3>http-get</h3>\n<p class=\"muted small\">OK: full responses with a 2xx status. ")
        .append("Each request's time counts from its start (a new connection's handshake included) ")
        .append("to the end of its body.</p>\n");
    Cells.head(h, "http-get", "VM", "Workload", "Result", "URL", "#Requests", "#OK", "#Errors",
        "#Body bytes", "#Connections", "Requests");
    WorkloadTables.rows(h, rows, "http-get workloads", (o, w) -> {
      JsonNode r = w.path("result");
      JsonNode requests = r.path("requests");
      td(o, r.path("url"));
      num(o, requests.isArray() ? Html.count(requests.size())
          + (r.path("count").isNumber() ? " of " + Html.number(r.path("count")) : "") : NONE);
      num(o, requests.isArray() ? Html.count(countWhere(requests, q -> !present(q.path("error"))
          && q.path("status").asInt() >= 200 && q.path("status").asInt() < 300)) : NONE);
      num(o, requests.isArray() ? Html.count(countWhere(requests, q -> present(q.path("error")))) : NONE);
      num(o, requests.isArray() ? Html.bytes(sum(requests, "bytes")) : NONE);
      num(o, r.path("connections"));
      td(o, listed(requests, "request", new String[] {"#", "#Status", "#Body", "#Time", "#Conn.",
          "Body SHA-256", "Error"}, (s, q) -> {
            s.append(numCell(Html.plain(q.path("number"))));
            s.append(numCell(q.path("status").isNumber() && q.path("status").asInt() > 0
                ? Html.plain(q.path("status")) : NONE));
            s.append(numCell(bytes(q.path("bytes"))));
            s.append(numCell(time(q.path("elapsedNanos"))));
            s.append(numCell(Html.plain(q.path("connection"))
                + (q.path("reused").asBoolean(false) ? " <span class=\"muted\">reused</span>" : "")));
            s.append(cell(digest(q.path("sha256"))));
            s.append(cell(error(q.path("error"), q.path("detail"))));
          }));
    });
  }

  // --- cells

  /** Retransmissions, SRTT and (a bulk sender's) cwnd of a connection's TCP counters, as cells. */
  private static void tcpStats(StringBuilder o, JsonNode stats, boolean cwnd) {
    num(o, stats.path("retransmissions"));
    num(o, millis(stats.path("srttNanos")));
    if (cwnd) {
      num(o, stats.path("cwndBytes").asDouble(0) > 0 ? bytes(stats.path("cwndBytes")) : NONE);
    }
  }

  private static void connectionStats(StringBuilder s, JsonNode stats) {
    s.append(numCell(value(stats.path("retransmissions"))));
    s.append(numCell(millis(stats.path("srttNanos"))));
    s.append(numCell(bytes(stats.path("cwndBytes"))));
  }

  private interface Line {
    void write(StringBuilder s, JsonNode item);
  }

  private static String connections(JsonNode list, String[] headers, Line line) {
    return listed(list, "connection", headers, line);
  }

  /** A collapsed table, one row per item, at most {@link #LISTED}; none for an empty list. */
  private static String listed(JsonNode list, String noun, String[] headers, Line line) {
    if (!list.isArray() || list.isEmpty()) {
      return NONE;
    }
    StringBuilder s = new StringBuilder("<details class=\"connections\"><summary>")
        .append(Html.count(list.size())).append(' ').append(noun).append(list.size() == 1 ? "" : "s")
        .append("</summary><table class=\"connections\"><thead><tr>");
    for (String header : headers) {
      boolean number = header.startsWith("#");
      s.append(number ? "<th class=\"num\">" : "<th>").append(number ? header.substring(1) : header)
          .append("</th>");
    }
    s.append("</tr></thead><tbody>");
    int n = 0;
    for (JsonNode item : list) {
      if (n++ == LISTED) {
        break;
      }
      s.append("<tr>");
      line.write(s, item);
      s.append("</tr>");
    }
    s.append("</tbody></table>");
    if (list.size() > LISTED) {
      s.append("<p class=\"muted small\">").append(Html.count(list.size() - LISTED)).append(" more in ")
          .append("results.json</p>");
    }
    return s.append("</details>").toString();
  }

  private static String cell(String html) {
    return "<td>" + html + "</td>";
  }

  private static String numCell(String html) {
    return "<td class=\"num\">" + html + "</td>";
  }

  private static String endpoint(JsonNode host, JsonNode port) {
    return host.isMissingNode() && port.isMissingNode() ? NONE : value(host) + ":" + Html.plain(port);
  }

  private static String bytes(JsonNode v) {
    return v.isNumber() ? Html.bytes(v.asDouble()) : NONE;
  }

  private static String bits(JsonNode v) {
    return v.isNumber() ? Html.bitRate(v.asDouble()) : NONE;
  }

  private static String time(JsonNode nanos) {
    return nanos.isNumber() ? Html.seconds(nanos.asDouble() / 1e9) : NONE;
  }

  /** Nanoseconds as milliseconds (the column says ms); none before a first sample (0 or absent). */
  private static String millis(JsonNode nanos) {
    return nanos.isNumber() && nanos.asDouble() > 0 ? Html.decimal(nanos.asDouble() / 1e6) : NONE;
  }

  /** A SHA-256 shortened to 12 hex digits; the whole in its title. */
  private static String digest(JsonNode sha) {
    if (!sha.isTextual() || sha.textValue().isEmpty()) {
      return NONE;
    }
    String hex = sha.textValue();
    return "<span class=\"digest\" title=\"" + esc(hex) + "\">" + esc(hex.substring(0, Math.min(12, hex.length())))
        + (hex.length() > 12 ? "\u2026" : "") + "</span>";
  }

  /** {@code {"200": 6, "404": 1}} as "6 \u00d7 200, 1 \u00d7 404". */
  private static String byStatus(JsonNode responses) {
    if (!responses.isObject() || responses.isEmpty()) {
      return NONE;
    }
    StringBuilder s = new StringBuilder();
    responses.fields().forEachRemaining(e -> s.append(s.length() == 0 ? "" : ", ")
        .append(value(e.getValue())).append(" \u00d7 ").append(esc(e.getKey())));
    return s.toString();
  }

  /** TCP's {kind, message}, or a word and a detail (http-get); none when there was no error. */
  private static String error(JsonNode e) {
    return error(e, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
  }

  private static String error(JsonNode e, JsonNode detail) {
    if (!present(e)) {
      return NONE;
    }
    String what = e.isObject() ? e.path("kind").asText("error") : e.asText();
    String why = e.isObject() ? e.path("message").asText("") : detail.isTextual() ? detail.textValue() : "";
    return "<span class=\"bad-text\">" + esc(what.toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
        + "</span>" + (why.isEmpty() ? "" : " <span class=\"muted small\">" + esc(why) + "</span>");
  }

  private static boolean present(JsonNode v) {
    return !v.isMissingNode() && !v.isNull();
  }

  private static long countWhere(JsonNode list, java.util.function.Predicate<JsonNode> p) {
    long n = 0;
    for (JsonNode item : list) {
      n += p.test(item) ? 1 : 0;
    }
    return n;
  }

  private static double sum(JsonNode list, String field) {
    double s = 0;
    for (JsonNode item : list) {
      s += item.path(field).asDouble(0);
    }
    return s;
  }
}
