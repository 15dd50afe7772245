package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html's Topology section: drawn from results.json's topology, near the top. */
class TopologySectionTest {
  /** The report fixture with the two-sites topology, where results.json writes it (after experiment). */
  static ObjectNode withTopology(String name) throws Exception {
    ObjectNode fixture = ReportFixture.results();
    ObjectNode r = new ObjectMapper().createObjectNode();
    r.set("experiment", fixture.get("experiment"));
    r.set("topology", TopologySvgTest.fixture(name));
    fixture.fields().forEachRemaining(f -> r.set(f.getKey(), f.getValue()));
    return r;
  }

  @Test
  void theSectionDrawsTheTopologyBeforeTheChartsAndTables(@TempDir Path dir) throws Exception {
    // written to results.json and read back one section at a time, as a run does
    Path json = dir.resolve("results.json");
    new ObjectMapper().writeValue(json.toFile(), withTopology("two-sites"));
    Path html = dir.resolve("report.html");
    ReportWriter.write(json, html);
    Document doc = Jsoup.parse(Files.readString(html));
    Element section = doc.getElementById("topology");
    assertNotNull(section, "a Topology section");
    assertEquals("Topology", section.selectFirst("h2").text());
    assertEquals(1, section.select("svg").size());
    Element svg = section.selectFirst("svg");
    assertEquals(List.of("site-a", "wan-a", "wan-b", "site-b"), svg.select("g.network").eachAttr("data-name"));
    assertEquals(List.of("r-a", "r-b", "hosts-a", "hosts-b"), svg.select("g.fleet").eachAttr("data-name"));
    assertEquals(List.of("wan"), svg.select("g.link").eachAttr("data-name"));
    // near the top: after the banners and tiles, before the charts and tables
    List<String> headings = doc.select("main > section > h2").eachText();
    assertEquals("Topology", headings.get(0), headings.toString());
    // the drawing in the page is the renderer's, byte for byte
    assertTrue(Files.readString(html).contains(TopologySvg.render(Topology.of(TopologySvgTest.fixture("two-sites")))));
  }

  @Test
  void resultsWithoutATopologyHaveNoSection() {
    assertNull(Jsoup.parse(ReportWriter.render(ReportFixture.results())).getElementById("topology"));
  }
}
