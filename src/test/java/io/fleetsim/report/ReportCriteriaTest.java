package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The pass-criteria section and verdict banner of report.html, from results.json's workloads. */
class ReportCriteriaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode results() {
    ObjectNode r = JSON.createObjectNode();
    ArrayNode w = r.putArray("workloads");
    ObjectNode lossy = w.addObject().put("vm", "a").put("workload", "ping 10.0.0.2 count=20")
        .put("kind", "ping").put("boot", 1).put("state", "done").put("success", false);
    lossy.putArray("expectations").add(JSON.createObjectNode().put("expect", "loss < 5%")
            .put("value", 45.0).put("unit", "%").put("pass", false).put("default", false))
        .add(JSON.createObjectNode().put("expect", "rtt-p99 < 200ms").put("value", 1.25)
            .put("unit", "ms").put("pass", true).put("default", false));
    w.addObject().put("vm", "d-1").put("workload", "udp-sink 9000").put("kind", "udp-sink")
        .put("boot", 1).put("state", "not-started").put("success", false)
        .put("reason", "its VM has no address: no DHCP lease");
    ObjectNode fine = w.addObject().put("vm", "c").put("workload", "echo 7").put("kind", "echo")
        .put("boot", 2).put("state", "done").put("success", true);
    fine.putArray("expectations").add(JSON.createObjectNode().put("expect", "echoed >= 1")
        .put("value", 3).put("unit", "").put("pass", true).put("default", true));
    // a boot a crash ended: shown in the workloads table, not judged
    w.addObject().put("vm", "c").put("workload", "echo 7").put("kind", "echo").put("boot", 1)
        .put("state", "crashed").put("note", "not judged: a crash ended this boot");
    return r;
  }

  private static List<String> cells(Element row) {
    return row.select("td").eachText();
  }

  @Test
  void eachExpectationIsARowWithWhatWasMeasured() {
    Document doc = Jsoup.parse(ReportWriter.render(results()));
    Element table = doc.getElementById("criteria");
    assertNotNull(table, "a pass-criteria table");
    List<Element> rows = table.select("tbody tr");
    assertEquals(4, rows.size(), table.outerHtml());
    assertEquals(List.of("a", "ping 10.0.0.2 count=20", "1", "loss < 5%", "45%", "fail"), cells(rows.get(0)));
    assertTrue(rows.get(0).hasClass("failed"));
    assertEquals(List.of("a", "ping 10.0.0.2 count=20", "1", "rtt-p99 < 200ms", "1.25ms", "pass"), cells(rows.get(1)));
    assertEquals(List.of("d-1", "udp-sink 9000", "1", "it starts",
        "did not start (its VM has no address: no DHCP lease)", "fail"), cells(rows.get(2)));
    assertEquals(List.of("c", "echo 7", "2", "echoed >= 1 (default)", "3", "pass"), cells(rows.get(3)));
  }

  @Test
  void theBannerSaysWhichWorkloadsFailed() {
    Element banner = Jsoup.parse(ReportWriter.render(results())).getElementById("workload-verdict");
    assertNotNull(banner);
    assertTrue(banner.hasClass("error"));
    assertEquals("2 of 3 workloads failed", banner.selectFirst("strong").text());
    assertEquals(List.of("a: ping 10.0.0.2 count=20: criteria not met", "d-1: udp-sink 9000: did not start"),
        banner.select("li").eachText());
  }

  @Test
  void allPassedIsSaidToo() {
    ObjectNode r = JSON.createObjectNode();
    r.putArray("workloads").addObject().put("vm", "c").put("workload", "echo 7").put("success", true);
    Element banner = Jsoup.parse(ReportWriter.render(r)).getElementById("workload-verdict");
    assertTrue(banner.hasClass("ok"), banner.outerHtml());
    assertNull(Jsoup.parse(ReportWriter.render(JSON.createObjectNode())).getElementById("workload-verdict"),
        "no workloads, no verdict");
  }
}
