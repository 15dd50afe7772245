package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void pageIsSelfContained() {
    String html = ReportWriter.render(ReportFixture.results());
    Document doc = Jsoup.parse(html);
    for (Element e : doc.select("[src], [href]")) {
      String ref = e.hasAttr("src") ? e.attr("src") : e.attr("href");
      assertFalse(ref.matches("(?i)^\\s*(https?:)?//.*"), "external reference: " + e.outerHtml());
    }
    assertTrue(doc.select("link[rel=stylesheet]").isEmpty(), "stylesheets must be inline");
    for (Element script : doc.select("script")) {
      assertFalse(script.hasAttr("src"), "scripts must be inline: " + script.attributes());
    }
    // uPlot itself is inline
    assertTrue(doc.select("script").stream().anyMatch(s -> s.data().contains("var uPlot=")));
    assertTrue(doc.select("style").stream().anyMatch(s -> s.data().contains(".u-legend")));
  }

  @Test
  void embeddedDataRoundTrips() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode results = (com.fasterxml.jackson.databind.node.ObjectNode) ReportFixture.results();
    ((com.fasterxml.jackson.databind.node.ObjectNode) results.get("experiment")).put("name", "x</script><script>alert(1)</script>");
    String html = ReportWriter.render(results);
    Element data = Jsoup.parse(html).getElementById(ReportWriter.DATA_ID);
    assertNotNull(data, "embedded results");
    assertEquals("application/json", data.attr("type"));
    // numbers compare by value: a long written out reads back as an int node
    Comparator<JsonNode> byValue = (a, b) -> a.isNumber() && b.isNumber()
        ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;
    JsonNode embedded = JSON.readTree(data.data());
    // what the charts draw, not the tables' data (that is HTML already, and in results.json)
    for (String key : new String[] {"experiment", "series", "faults"}) {
      assertTrue(results.get(key).equals(byValue, embedded.get(key)), key + " embedded as given");
    }
    assertFalse(embedded.has("vms"), "per-VM counters are not embedded");
    // the hostile name is in the data, yet cannot close the script element
    assertTrue(embedded.at("/experiment/name").asText().contains("</script>"));
    assertFalse(data.data().contains("</"), "'</' must be escaped inside the script element");
  }

  @Test
  void aBigFleetsTablesStopAtTheRowLimitButKeepWhatFailed() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode results = JSON.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode vms = results.putArray("vms");
    com.fasterxml.jackson.databind.node.ArrayNode links = results.putArray("links");
    for (int i = 1; i <= 1000; i++) {
      vms.addObject().put("vm", "node-" + i).put("cpuCycles", i);
      links.addObject().put("name", "node-" + i + "/eth0 out").put("sent", 5).put("delivered", i == 900 ? 4 : 5)
          .put("balanced", i != 900);
    }
    org.jsoup.nodes.Document doc = Jsoup.parse(ReportWriter.render(results));
    assertEquals(ReportWriter.MAX_ROWS, doc.select("details.vm").size());
    assertTrue(doc.text().contains("800 more VMs in results.json"), "says what it left out");
    assertEquals(ReportWriter.MAX_ROWS, doc.select("#links tbody tr").size(), "the limit, the imbalanced row in it");
    assertEquals(1, doc.select("#links tr.imbalanced").size());
    assertTrue(doc.select("#links tbody tr").first().hasClass("imbalanced"), "the imbalanced row first");
    assertTrue(doc.select("#links tr.imbalanced").text().contains("node-900"));
    assertEquals("node-1/eth0 out", doc.select("#links tbody tr").get(1).child(0).text(), "then the rest in order");
  }

  @Test
  void faultWindowsAreListedInOrder() {
    Document doc = Jsoup.parse(ReportWriter.render(ReportFixture.results()));
    Elements rows = doc.select("table#faults tbody tr");
    assertEquals(3, rows.size());
    assertEquals(List.of("latency", "loss", "partition"), rows.stream().map(r -> r.child(1).text()).toList());
    assertEquals(List.of("10", "15", "5"), rows.get(0).children().subList(4, 7).stream().map(Element::text).toList());
    assertEquals("end of run", rows.get(2).child(5).text());
    // every configured fault has a legend entry whose colour matches its rows
    Elements legend = doc.select("#fault-legend li");
    assertEquals(3, legend.size());
    assertTrue(legend.get(1).selectFirst(".swatch").hasClass("f1"));
    assertTrue(rows.get(1).selectFirst(".swatch").hasClass("f1"));
    assertEquals(ReportWriter.CHARTS, doc.select(".chart").size());
  }

  @Test
  void theFaultsTableSaysWhoPutEachFaultOn() {
    JsonNode results = ReportFixture.results();
    com.fasterxml.jackson.databind.node.ArrayNode faults =
        (com.fasterxml.jackson.databind.node.ArrayNode) results.get("faults");
    ((com.fasterxml.jackson.databind.node.ObjectNode) faults.get(0)).put("id", "t0").put("source", "timeline");
    faults.addObject().put("index", 3).put("id", "a1").put("source", "api").put("kind", "crash")
        .put("target", "web-1").put("description", "crash on web-1").put("start", 30.0)
        .put("end", 31.5).put("endedBy", "api");
    Elements rows = Jsoup.parse(ReportWriter.render(results)).select("table#faults tbody tr");
    assertEquals(4, rows.size());
    assertEquals("timeline t0", rows.get(0).child(7).text());
    assertEquals("timeline", rows.get(1).child(7).text(), "results from before the API: the timeline's");
    Element api = rows.get(3).child(7);
    assertEquals("api a1 (ended by api)", api.text());
    assertTrue(api.hasClass("api"));
  }

  @Test
  void imbalancedLinkAndAccountingErrorsAreMarked() {
    Document doc = Jsoup.parse(ReportWriter.render(ReportFixture.results()));
    Elements rows = doc.select("table#links tbody tr");
    assertEquals(3, rows.size(), "every link row, per-direction ones too");
    assertEquals(List.of("web-2/eth0"), doc.select("table#links tr.imbalanced").stream()
        .map(r -> r.child(0).text()).toList());
    assertTrue(rows.get(2).text().contains("direction in"), "extra link fields shown generically");
    Element banner = doc.getElementById("accounting-errors");
    assertNotNull(banner, "accounting errors banner");
    assertTrue(banner.hasClass("error"));
    assertTrue(banner.text().contains("sent 200 != delivered 150"));
    // the banner comes before the charts and tables
    assertTrue(doc.body().html().indexOf("accounting-errors") < doc.body().html().indexOf("chart-throughput"));
  }

  @Test
  void workloadsAndVmCountersAreTabulated() {
    Document doc = Jsoup.parse(ReportWriter.render(ReportFixture.results()));
    Element ping = doc.selectFirst("table#pings tbody tr");
    assertNotNull(ping);
    assertEquals(List.of("pinger", "ping 10.0.0.2 count=20", "ok", "20", "19", "5", "0.2", "0.3", "0.5", "1.2", "1.5"),
        ping.children().eachText());
    Element other = doc.selectFirst("table#other-workloads tbody tr");
    assertNotNull(other);
    assertTrue(other.hasClass("failed"));
    assertTrue(other.text().contains("status.timeout 3"), other.text());
    Elements vms = doc.select("details.vm");
    assertEquals(2, vms.size());
    List<String> keys = vms.get(0).select("th").eachText();
    // nic.drops.rxOverrun is 0: left out, and counted
    assertEquals(List.of("nic.framesIn", "nic.framesOut", "queues[0]", "queues[1]"), keys);
    assertEquals("1 counter at zero", vms.get(0).selectFirst("p.zeros").text());
  }

  @Test
  void eachWorkloadKindHasColumnsInHumanUnits() {
    Document doc = Jsoup.parse(ReportWriter.render(ReportFixture.wan()));
    Element send = doc.selectFirst("table#udp-send");
    assertNotNull(send, "a udp-send table");
    assertEquals(List.of("VM", "Workload", "Result", "To", "Sent", "Refused", "Delayed", "Time", "Rate"),
        send.select("thead th").eachText());
    assertEquals(List.of("site-a-1", "udp-send 192.168.10.4:5001 rate=300 size=1200 duration=40s", "ok",
        "192.168.10.4:5001", "11,867", "0", "1", "40.0 s", "296.7/s"), send.selectFirst("tbody tr").children().eachText());

    Element sink = doc.selectFirst("table#udp-sink");
    assertNotNull(sink, "a udp-sink table");
    Element row = sink.selectFirst("tbody tr");
    assertTrue(row.hasClass("failed"));
    assertEquals(List.of("server", "udp-sink 5001", "failed", "5001", "20,209", "23.1 MiB", "3,529", "14.866 %", "0",
        "2", "0"), row.children().subList(0, 11).stream().map(Element::text).toList());
    Element senders = row.child(11).selectFirst("details");
    assertNotNull(senders, "senders listed per sender");
    assertEquals("2 senders", senders.selectFirst("summary").text());
    assertEquals(List.of("192.168.10.1:49152 10,100 received, 1,767 lost (14.89 %)",
        "192.168.10.2:49152 10,109 received, 1,762 lost (14.843 %), 2 out of order"), senders.select("li").eachText());

    Element echo = doc.selectFirst("table#echo");
    assertNotNull(echo, "an echo table");
    assertEquals(List.of("gateway", "echo 7", "ok", "7", "120", "7.5 KiB", "0"),
        echo.selectFirst("tbody tr").children().eachText());

    // no results.json key paths anywhere in the workload tables
    String workloads = doc.select("section:has(h2:containsOwn(Workloads))").text();
    for (String raw : List.of("result.", "elapsedNanos", "achievedRate", "senders[", "highestSequence")) {
      assertFalse(workloads.contains(raw), raw + " in: " + workloads);
    }
  }

  @Test
  void theSeedIsWrittenAsAnIdentifier() {
    Document doc = Jsoup.parse(ReportWriter.render(ReportFixture.wan()));
    assertEquals("2026", meta(doc, "Seed"));
  }

  @Test
  void heapPerVmIsAFigureOrUnknownNeverNegative() {
    com.fasterxml.jackson.databind.node.ObjectNode r = ReportFixture.wan();
    // results.json of a run that measured the heap shrinking while the VMs booted
    assertEquals("unknown", meta(Jsoup.parse(ReportWriter.render(r)), "Heap per VM"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("host")).putNull("heapPerVmBytes");
    assertEquals("unknown", meta(Jsoup.parse(ReportWriter.render(r)), "Heap per VM"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("host")).put("heapPerVmBytes", 3208996);
    assertEquals("3.1 MiB", meta(Jsoup.parse(ReportWriter.render(r)), "Heap per VM"));
  }

  /** The header's value for {@code label}; fails when the header has none. */
  private static String meta(Document doc, String label) {
    for (Element div : doc.select("dl.meta > div")) {
      if (div.selectFirst("dt").text().equals(label)) {
        return div.selectFirst("dd").text();
      }
    }
    throw new AssertionError("no " + label + " in the header: " + doc.select("dl.meta").text());
  }

  @Test
  void aFleetSummaryComesBeforeThePerVmAndPerLinkDetail() {
    String html = ReportWriter.render(ReportFixture.bigFleet(500));
    Document doc = Jsoup.parse(html);
    Element table = doc.selectFirst("table#fleet-summary");
    assertNotNull(table, "a per-fleet summary");
    Elements rows = table.select("tbody tr");
    assertEquals(2, rows.size());
    // 500 pingers: 27,500 pings, 50 of them answered 50 times of 55; RTT over all replies
    assertEquals(List.of("node", "500", "500 done", "500 ok", "27,500", "27,250", "0.909 %", "1.439", "4.351",
        "217.471", "1680.383", "28,000", "27,500", "1,000"), rows.get(0).children().eachText());
    assertEquals(List.of("peer", "500", "\u2014", "\u2014", "\u2014", "\u2014", "\u2014", "\u2014", "\u2014",
        "\u2014", "\u2014", "28,000", "28,500", "0"), rows.get(1).children().eachText());
    int summary = html.indexOf("id=\"fleet-summary\"");
    assertTrue(summary < html.indexOf("id=\"pings\""), "before the workload rows");
    assertTrue(summary < html.indexOf("id=\"links\""), "before the link rows");
    assertTrue(summary < html.indexOf("class=\"vm\""), "before the VM counters");
  }

  @Test
  void aFailedWorkloadMarksItsFleet() {
    com.fasterxml.jackson.databind.node.ObjectNode r = ReportFixture.bigFleet(3);
    ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("workloads").get(1)).put("success", false);
    Element node = Jsoup.parse(ReportWriter.render(r)).selectFirst("table#fleet-summary tbody tr");
    assertTrue(node.hasClass("failed"), node.outerHtml());
    assertEquals("2 ok 1 failed", node.child(3).text());
  }

  @Test
  void aThousandVmReportStaysSmall() {
    String html = ReportWriter.render(ReportFixture.bigFleet(500));
    // 1,000 VMs of 130 counters each made 2 MB of zeros at 200 VMs shown
    assertTrue(html.length() < 1_000_000, "report of " + html.length() + " characters");
    Element first = Jsoup.parse(html).selectFirst("details.vm");
    assertTrue(first.select("th").eachText().contains("nics[0].e1000.COUNTER7"));
    assertFalse(first.select("th").eachText().contains("nics[0].e1000.COUNTER8"), "zero counters left out");
    assertEquals("112 counters at zero", first.selectFirst("p.zeros").text());
  }

  @Test
  void twentyThousandVmsMakeASmallReportThatListsWhatFailedFirst(@TempDir Path dir) throws Exception {
    JsonNode results = ReportFixture.bigFleetWithFailures(10_000);
    Path json = dir.resolve("results.json");
    JSON.writeValue(json.toFile(), results);
    Path html = dir.resolve("report.html");
    ReportWriter.write(json, html);
    // the page's size does not grow with the fleet: 20,000 VMs stay far below 5 MB, so do 100,000
    assertTrue(Files.size(html) < 2_000_000, "report of " + Files.size(html) + " bytes");
    String page = Files.readString(html);
    assertEquals(ReportWriter.render(results), page, "read one entry at a time, the same page as from the tree");
    Document doc = Jsoup.parse(page);

    List<String> vms = doc.select("details.vm summary").eachText();
    assertEquals(ReportWriter.MAX_ROWS, vms.size());
    assertEquals(List.of("node-5000", "node-9999", "peer-7000", "node-1", "node-2"), vms.subList(0, 5),
        "failed VMs first (a failed workload, a crash), then the rest in order");
    assertTrue(doc.text().contains("19,800 more VMs in results.json (a table lists at most 200 rows; "
        + "beyond that, failed ones first)"), "says what it left out, and the rule");

    Elements pings = doc.select("#pings tbody tr");
    assertEquals(ReportWriter.MAX_ROWS, pings.size());
    assertEquals(List.of("node-5000", "node-9999"), pings.subList(0, 2).stream().map(r -> r.child(0).text()).toList());
    assertTrue(pings.get(0).hasClass("failed") && pings.get(1).hasClass("failed") && !pings.get(2).hasClass("failed"));
    assertTrue(doc.text().contains("9,800 more pings in results.json"));

    Elements links = doc.select("#links tbody tr");
    assertEquals(ReportWriter.MAX_ROWS, links.size());
    assertEquals("peer-8000/eth0 in", links.first().child(0).text(), "the imbalanced link first");

    // the fleet-level summary stays complete: every VM, every ping
    Elements fleets = doc.select("table#fleet-summary tbody tr");
    assertEquals(List.of("node", "10,000"), fleets.get(0).children().eachText().subList(0, 2));
    assertEquals("550,000", fleets.get(0).child(4).text(), "pings sent by all 10,000 pingers");
    assertEquals("10,000", fleets.get(1).child(1).text());
    assertEquals("2 of 10,000 workloads failed", doc.selectFirst("#workload-verdict strong").text());
  }

  @Test
  void userTextIsEscaped() {
    String html = ReportWriter.render(ReportFixture.results());
    Document doc = Jsoup.parse(html);
    // the hostile string shows as text in the faults table, workloads and VM list
    assertEquals(ReportFixture.HOSTILE, doc.select("details.vm summary").get(1).text());
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // and nowhere became an element: the only scripts are ours (error hook, data, uPlot, charts)
    assertEquals(4, doc.select("script").size());
    assertTrue(doc.select("script").stream().noneMatch(s -> s.data().equals("alert(1)")));
  }

  @Test
  void oddInputRendersWithoutThrowing(@TempDir Path dir) throws Exception {
    for (String json : List.of("{}", "null", "[]", "{\"series\":{\"seconds\":\"x\",\"framesPerSecond\":[null,\"a\"]}}",
        "{\"faults\":[{}, 3], \"links\":[{\"balanced\":\"maybe\"}], \"vms\":[{}, \"x\"], \"workloads\":{}}",
        "{\"experiment\":{\"name\":7}, \"accounting\":{\"ok\":false}}")) {
      JsonNode node = JSON.readTree(json);
      String html = assertDoesNotThrow(() -> ReportWriter.render(node), json);
      assertNotNull(Jsoup.parse(html).getElementById(ReportWriter.DATA_ID), json);
    }
    Document empty = Jsoup.parse(ReportWriter.render(ReportFixture.empty()));
    assertEquals(4, empty.select("p.empty").size(), "workloads, faults, links, VMs say no data");
    assertEquals(null, empty.getElementById("accounting-errors"));
    assertDoesNotThrow(() -> ReportWriter.render(null));

    Path out = dir.resolve("nested/report.html");
    ReportWriter.write(ReportFixture.results(), out);
    assertTrue(Files.size(out) > 50_000, "uPlot inlined");
  }
}
