package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology drawing in headless Chromium, with the browser's own fonts: report.html draws its
 * SVG (a box per network, fleet and link, with area, inside the picture, each box's text inside
 * the box) without a page error or console line. README's drawings: see DrawingsBrowserTest.
 */
class TopologyBrowserTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void chromium() {
    Chromium.require();
  }

  /**
   * Marks the drawing with what layout measured: the svg's size on the page; each network,
   * fleet and link its bounding box; each box its rect's width and its widest text's.
   */
  static final String PROBE = """
      <script>(function () {
        var svg = document.querySelector('svg.fleetsim-topology');
        if (!svg) { return; }
        var r = svg.getBoundingClientRect();
        svg.dataset.box = r.width + ' ' + r.height;
        var vb = svg.viewBox.baseVal;
        svg.dataset.viewbox = vb.width + ' ' + vb.height;
        svg.querySelectorAll('g.network, g.fleet, g.link').forEach(function (g) {
          var b = g.getBBox();
          g.dataset.bbox = b.x + ' ' + b.y + ' ' + b.width + ' ' + b.height;
          var rect = g.querySelector('rect');
          if (rect) {
            var widest = 0;
            g.querySelectorAll('text').forEach(function (t) { widest = Math.max(widest, t.getBBox().width); });
            g.dataset.rectWidth = String(rect.getBBox().width);
            g.dataset.textWidth = String(widest);
          }
          var label = g.querySelector('text.link-label');
          if (label) {
            var l = label.getBBox();
            g.dataset.label = l.x + ' ' + l.y + ' ' + l.width + ' ' + l.height;
          }
        });
      })();</script>
      """;

  static Path probed(String html, String name) throws Exception {
    int end = html.lastIndexOf("</body>");
    Path page = dir.resolve(name);
    Files.writeString(page, html.substring(0, end) + PROBE + html.substring(end));
    return page;
  }

  static double[] numbers(String s) {
    String[] parts = s.trim().split(" ");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i]);
    }
    return out;
  }

  /** Every drawn element has area inside the picture, and every box holds its text. */
  static void assertDrawn(Element svg, int networks, int fleets, int links) {
    assertNotNull(svg, "the drawing");
    double[] box = numbers(svg.attr("data-box"));
    assertTrue(box[0] > 100 && box[1] > 20, "drawn at " + svg.attr("data-box"));
    double[] view = numbers(svg.attr("data-viewbox"));
    assertEquals(networks, svg.select("g.network").size());
    assertEquals(fleets, svg.select("g.fleet").size());
    assertEquals(links, svg.select("g.link").size());
    for (Element g : svg.select("g.network, g.fleet, g.link")) {
      double[] b = numbers(g.attr("data-bbox"));
      assertTrue(b[2] > 0 && b[3] > 0, g.attr("data-name") + " has area: " + g.attr("data-bbox"));
      assertTrue(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= view[0] && b[1] + b[3] <= view[1],
          g.attr("data-name") + " at " + g.attr("data-bbox") + " inside " + svg.attr("data-viewbox"));
      if (g.hasAttr("data-rect-width")) {
        double rect = Double.parseDouble(g.attr("data-rect-width"));
        double text = Double.parseDouble(g.attr("data-text-width"));
        assertTrue(text > 0 && text <= rect - 4, g.attr("data-name") + ": text " + text + " px in a " + rect + " px box");
      }
      if (g.hasAttr("data-label")) {
        // the label between the boxes of the two networks it joins (side by side in these drawings)
        double[] label = numbers(g.attr("data-label"));
        List<double[]> ends = new java.util.ArrayList<>();
        for (String net : g.attr("data-between").split(" ")) {
          ends.add(numbers(svg.select("g.network").stream().filter(n -> n.attr("data-name").equals(net))
              .findFirst().orElseThrow().attr("data-bbox")));
        }
        ends.sort(java.util.Comparator.comparingDouble(e -> e[0]));
        assertTrue(label[0] >= ends.get(0)[0] + ends.get(0)[2] && label[0] + label[2] <= ends.get(1)[0],
            g.attr("data-name") + ": label at " + g.attr("data-label") + " between its networks");
      }
    }
  }

  @Test
  void reportDrawsTheTopologyWithoutErrors() throws Exception {
    for (String name : List.of("two-sites", "leaf-spine")) {
      Path page = probed(ReportWriter.render(TopologySectionTest.withTopology(name)), name + ".html");
      Chromium.Run run = Chromium.dumpDom(page);
      Element body = Jsoup.parse(run.stdout()).body();
      assertEquals("", body.attr("data-errors"), "page errors");
      assertEquals(List.of(), run.consoleLines(), "the page logs nothing");
      assertEquals(String.valueOf(ReportWriter.CHARTS), body.attr("data-rendered"), "the charts still draw");
      Element svg = body.selectFirst("#topology svg.fleetsim-topology");
      if (name.equals("two-sites")) {
        assertDrawn(svg, 4, 4, 1);
      } else {
        assertDrawn(svg, 6, 7, 0);
      }
    }
  }

  /**
   * Names of wide letters, narrow ones, digits and beyond Latin: each box still holds its text in
   * the browser's font, and a link's label fits between its two networks.
   */
  @Test
  void boxesHoldTheirTextWhateverTheLetters() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode results = TopologySectionTest.withTopology("two-sites");
    com.fasterxml.jackson.databind.JsonNode t = results.get("topology");
    String[] names = {"WWWWWWWWWWWWWWWWWWWW", "mmmmmmmmmmmmmmmmmmmmmmmmmmmm", "\u6771\u4eac-\u30b5\u30a4\u30c8-1",
        "iiiiiiiiiiiiiiiiiiiiiiiiiiii"};
    java.util.Map<String, String> renamed = new java.util.HashMap<>();
    for (int i = 0; i < names.length; i++) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("fleets").get(i)).put("name", names[i]);
      com.fasterxml.jackson.databind.node.ObjectNode net = (com.fasterxml.jackson.databind.node.ObjectNode) t.get("networks").get(i);
      renamed.put(net.get("name").asText(), names[(i + 1) % 4]);
      net.put("name", names[(i + 1) % 4]);
    }
    for (com.fasterxml.jackson.databind.JsonNode f : t.get("fleets")) {
      for (com.fasterxml.jackson.databind.JsonNode nic : f.get("nics")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) nic).put("network", renamed.get(nic.get("network").asText()));
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode link = (com.fasterxml.jackson.databind.node.ObjectNode) t.get("links").get(0);
    link.put("name", "MMMMMMMMMMMMMMMM");
    link.putArray("between").add(renamed.get("wan-a")).add(renamed.get("wan-b"));
    Path page = probed(ReportWriter.render(results), "letters.html");
    Chromium.Run run = Chromium.dumpDom(page);
    Element svg = Jsoup.parse(run.stdout()).body().selectFirst("#topology svg");
    assertDrawn(svg, 4, 4, 1);
    assertEquals(List.of(), run.consoleLines());
  }

  /** A drawing wider than the page shrinks to the section instead of widening the page. */
  @Test
  void aWideDrawingFitsThePage() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode results = TopologySectionTest.withTopology("two-sites");
    // twelve networks in a chain of links: far wider than the page
    com.fasterxml.jackson.databind.node.ObjectNode t = results.putObject("topology");
    com.fasterxml.jackson.databind.node.ArrayNode nets = t.putArray("networks");
    com.fasterxml.jackson.databind.node.ArrayNode links = t.putArray("links");
    for (int i = 0; i < 12; i++) {
      nets.addObject().put("name", "network-" + i).put("type", "switch");
      if (i > 0) {
        links.addObject().put("name", "link-" + i).put("latencyMillis", 10).putArray("between")
            .add("network-" + (i - 1)).add("network-" + i);
      }
    }
    assertTrue(Double.parseDouble(Jsoup.parse(TopologySvg.render(Topology.of(t))).selectFirst("svg").attr("width")) > 1400);
    Path page = probed(ReportWriter.render(results), "wide.html");
    Element svg = Jsoup.parse(Chromium.dumpDom(page).stdout()).body().selectFirst("#topology svg");
    double[] box = numbers(svg.attr("data-box"));
    assertTrue(box[0] <= 1120, "shrunk to the page: " + svg.attr("data-box"));
  }
}
