package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.workload.TracerouteHop;
import io.fleetsim.guest.workload.TracerouteResult;
import java.util.List;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The traceroute table, from a result serialized as results.json writes it. */
class TracerouteTablesTest {
  private static Document page(TracerouteResult result, boolean success) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    ObjectNode w = r.putArray("workloads").addObject().put("vm", "host-a-1")
        .put("workload", "traceroute " + result.host() + " max-hops=30 probes=3 wait=1s")
        .put("kind", "traceroute").put("boot", 1).put("state", "done").put("success", success);
    w.set("result", Json.MAPPER.valueToTree(result));
    return Jsoup.parse(ReportWriter.render(r));
  }

  private static Ipv4Address ip(String s) {
    return Ipv4Address.parse(s);
  }

  @Test
  void aReachedTraceShowsItsPathAndHops() {
    TracerouteResult result = new TracerouteResult(ip("10.2.0.10"), true, false, List.of(
        new TracerouteHop(1, Optional.of(ip("10.1.0.1")),
            List.of(Optional.of(301_000L), Optional.of(298_000L), Optional.empty()), ""),
        new TracerouteHop(2, Optional.empty(),
            List.of(Optional.empty(), Optional.empty(), Optional.empty()), ""),
        new TracerouteHop(3, Optional.of(ip("10.2.0.10")),
            List.of(Optional.of(912_000L), Optional.of(901_000L), Optional.of(899_000L)), "")));
    Document doc = page(result, true);
    Element row = doc.selectFirst("table#traceroute > tbody > tr");
    assertNotNull(row, "a traceroute table");
    List<String> cells = row.children().stream().map(Element::text).toList();
    assertEquals("host-a-1", cells.get(0));
    assertEquals("10.2.0.10", cells.get(3));
    assertEquals("yes", cells.get(4));
    assertEquals("3", cells.get(5));
    assertEquals("10.1.0.1 * 10.2.0.10", cells.get(6));
    List<Element> hops = row.select("table.connections > tbody > tr");
    assertEquals(3, hops.size());
    assertEquals(List.of("1", "10.1.0.1", "0.301 0.298 *"),
        hops.get(0).children().stream().map(Element::text).toList());
    assertEquals(List.of("2", "*", "* * *"),
        hops.get(1).children().stream().map(Element::text).toList());
  }

  @Test
  void anUnreachableTraceIsMarked() {
    TracerouteResult result = new TracerouteResult(ip("10.3.0.1"), false, true, List.of(
        new TracerouteHop(1, Optional.of(ip("10.1.0.1")), List.of(Optional.of(200_000L)), "!N")));
    Element row = page(result, false).selectFirst("table#traceroute > tbody > tr");
    assertNotNull(row);
    assertEquals("no", row.child(4).text());
    assertEquals("10.1.0.1 !N", row.child(6).text());
    assertTrue(row.select("table.connections td").get(1).text().contains("!N"));
  }
}
