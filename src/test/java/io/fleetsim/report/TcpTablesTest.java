package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

/**
 * The Workloads tables of the TCP and HTTP kinds. tcp-results.json is a real run's results.json
 * (vms, links and host left out), made with {@code bin/fleetsim run} on:
 *
 * <pre>
 * duration = 6s, seed = 3; srv 10.0.0.2: tcp-sink 5001, tcp-echo 5002, http-serve 80 size=100KiB
 * cli-1, cli-2 (10.0.0.10, .11): tcp-stream 10.0.0.2:5001 bytes=1MiB, tcp-rr 10.0.0.2:5002 count=50,
 *   http-get http://10.0.0.2/ count=3, tcp-stream 10.0.0.2:6000 bytes=1KiB (refused),
 *   http-get http://10.0.0.2:81/ count=1 (refused); 2% loss on cli-1 for the first 3 s
 * </pre>
 */
class TcpTablesTest {
  private static final String NONE = Html.NONE;

  static JsonNode real() throws IOException {
    try (InputStream in = TcpTablesTest.class.getResourceAsStream("tcp-results.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static Document page(JsonNode results) {
    return Jsoup.parse(ReportWriter.render(results));
  }

  private static List<String> cells(Element row) {
    return row.children().stream().map(Element::text).toList();
  }

  private static Element row(Document doc, String table, String vm, String workloadStart) {
    for (Element tr : doc.select("table#" + table + " > tbody > tr")) {
      if (tr.child(0).text().equals(vm) && tr.child(1).text().startsWith(workloadStart)) {
        return tr;
      }
    }
    throw new AssertionError("no row " + vm + " " + workloadStart + " in " + table);
  }

  @Test
  void aBulkSendersRowInHumanUnits() throws IOException {
    Document doc = page(real());
    assertEquals(4, doc.select("table#tcp-stream > tbody > tr").size());
    Element fast = row(doc, "tcp-stream", "cli-2", "tcp-stream 10.0.0.2:5001");
    assertEquals(List.of("cli-2", "tcp-stream 10.0.0.2:5001 bytes=1048576B", "ok", "10.0.0.2:5001", "1.0 MiB",
        "1.0 MiB", "11 ms", "771.0 Mbit/s", "0", "0.898", "529.1 KiB", NONE), cells(fast));
    // 2% loss on cli-1: retransmissions, a smaller window
    assertEquals(List.of("13", "0.26", "1.7 KiB"),
        cells(row(doc, "tcp-stream", "cli-1", "tcp-stream 10.0.0.2:5001")).subList(8, 11));
    Element refused = row(doc, "tcp-stream", "cli-1", "tcp-stream 10.0.0.2:6000");
    assertTrue(refused.hasClass("failed"));
    List<String> c = cells(refused);
    assertEquals(List.of(NONE, NONE), c.subList(6, 8), "no time or goodput for a connection that never opened");
    assertTrue(c.get(11).startsWith("refused "), c.get(11));
  }

  @Test
  void aSinksConnectionsAreACollapsedTableOfTheirOwn() throws IOException {
    Document doc = page(real());
    Element sink = row(doc, "tcp-sink", "srv", "tcp-sink 5001");
    List<String> c = cells(sink);
    assertEquals(List.of("5001", "2.0 MiB", "62.5 Mbit/s", "0", "0"), c.subList(3, 8));
    Element details = sink.child(8).selectFirst("details.connections");
    assertNotNull(details);
    assertEquals("2 connections", details.selectFirst("summary").text());
    Elements conns = details.select("tbody tr");
    assertEquals(List.of("10.0.0.10:49152", "1.0 MiB", "31.3 Mbit/s", "0", "0.256", "14.3 KiB", "yes", NONE),
        cells(conns.get(0)));
    assertEquals("10.0.0.11:49152", conns.get(1).child(0).text());
    assertEquals(List.of("Peer", "Bytes", "Goodput", "Retrans.", "SRTT ms", "cwnd", "Intact", "Error"),
        details.select("thead th").eachText());
  }

  @Test
  void requestResponseEchoAndHttp() throws IOException {
    Document doc = page(real());
    assertEquals(List.of("10.0.0.2:5002", "1 B", "50", "2,367.4/s", "0.256", "2.049", "2.049", "0", "0.26", NONE),
        cells(row(doc, "tcp-rr", "cli-2", "tcp-rr")).subList(3, 13));
    Element echo = row(doc, "tcp-echo", "srv", "tcp-echo 5002");
    assertEquals(List.of("5002", "100 B", "0"), cells(echo).subList(3, 6));
    assertEquals(2, echo.select("details.connections tbody tr").size());
    Element serve = row(doc, "http-serve", "srv", "http-serve 80");
    assertEquals(List.of("80", "100.0 KiB", "f2e7f4ae699f\u2026", "2", "6", "0", "6 \u00d7 200", "600.6 KiB"),
        cells(serve).subList(3, 11));
    assertEquals("f2e7f4ae699f5ab2778789616563931bdc205e1eaf9642641433c1f96f3e3960",
        serve.selectFirst(".digest").attr("title"), "the whole digest on hover");
    Element get = row(doc, "http-get", "cli-1", "http-get http://10.0.0.2:80/");
    assertEquals(List.of("http://10.0.0.2:80/", "3 of 3", "3", "0", "300.0 KiB", "1"), cells(get).subList(3, 9));
    assertEquals("3 requests", get.child(9).selectFirst("summary").text());
    Elements requests = get.select("details.connections tbody tr");
    assertEquals(List.of("2", "200", "100.0 KiB", "3.263 ms", "1 reused", "f2e7f4ae699f\u2026", NONE),
        cells(requests.get(1)));
    Element refused = row(doc, "http-get", "cli-2", "http-get http://10.0.0.2:81/");
    assertTrue(refused.hasClass("failed"));
    assertEquals(List.of("1 of 1", "0", "1"), cells(refused).subList(4, 7));
    assertEquals(List.of("1", NONE, "0 B", "0.252 ms", "1", NONE, "refused connection to 10.0.0.2:81 refused"),
        cells(refused.select("details tbody tr").first()));
  }

  @Test
  void aRunWithoutTheseKindsHasNoneOfTheirTables() {
    Document doc = page(ReportFixture.wan());
    for (String id : List.of("tcp-stream", "tcp-sink", "tcp-rr", "tcp-echo", "http-serve", "http-get")) {
      assertTrue(doc.select("table#" + id).isEmpty(), id);
    }
  }

  @Test
  void missingOrOddFieldsAreEmptyCellsAndEveryRowKeepsItsColumns() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode r = m.createObjectNode();
    ArrayNode w = r.putArray("workloads");
    for (String kind : List.of("tcp-stream", "tcp-sink", "tcp-rr", "tcp-echo", "http-serve", "http-get")) {
      w.addObject().put("vm", "bare").put("workload", kind + " bare").put("kind", kind); // no result at all
      ObjectNode odd = w.addObject().put("vm", "odd").put("workload", kind + " odd").put("kind", kind);
      odd.putObject("result").put("connections", "many").put("requests", 5).put("stats", "none")
          .put("latency", 3).put("responses", "200").put("error", 7).put("sha256", 12)
          .put("goodputBitsPerSecond", "fast").putNull("bytesSent");
    }
    ObjectNode partial = w.addObject().put("vm", "partial").put("workload", "tcp-sink 1").put("kind", "tcp-sink");
    ArrayNode conns = partial.putObject("result").putArray("connections");
    conns.addObject(); // a connection without a field
    conns.addObject().put("peer", "10.0.0.9:1").putObject("error").put("kind", "RESET");
    Document doc = page(r);
    for (String id : List.of("tcp-stream", "tcp-sink", "tcp-rr", "tcp-echo", "http-serve", "http-get")) {
      Element table = doc.selectFirst("table#" + id);
      assertNotNull(table, id);
      int columns = table.select("> thead th").size();
      for (Element tr : table.select("> tbody > tr")) {
        assertEquals(columns, tr.children().size(), id + ": " + tr);
        if (tr.child(0).text().equals("bare")) {
          assertTrue(tr.children().subList(3, columns).stream().allMatch(td -> td.text().equals(NONE)),
              id + ": " + tr.text());
        }
      }
    }
    Element sink = row(doc, "tcp-sink", "partial", "tcp-sink 1");
    Elements listed = sink.select("details tbody tr");
    assertEquals(List.of(NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE), cells(listed.get(0)));
    assertEquals("reset", cells(listed.get(1)).get(7));
    assertEquals("1", cells(sink).get(7), "one connection with an error");
  }

  @Test
  void aServerWithManyConnectionsListsTheFirstTwentyAndSaysHowManyMore() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode r = m.createObjectNode();
    ObjectNode sink = r.putArray("workloads").addObject().put("vm", "srv").put("workload", "tcp-sink 5001")
        .put("kind", "tcp-sink");
    ArrayNode conns = sink.putObject("result").putArray("connections");
    for (int i = 1; i <= 25; i++) {
      conns.addObject().put("peer", "10.0.1." + i + ":49152").put("bytes", 1000);
    }
    Element cell = row(page(r), "tcp-sink", "srv", "tcp-sink 5001").child(8);
    assertEquals("25 connections", cell.selectFirst("summary").text());
    assertEquals(TcpTables.LISTED, cell.select("tbody tr").size());
    assertEquals("5 more in results.json", cell.selectFirst("p").text());
  }
}
