package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.Chromium;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in headless Chromium: scripts run without errors, every chart draws, and the
 * screenshot shows them. {@code -Dfleetsim.report=PATH} checks an existing report (a real run)
 * instead of the fixture; {@code -Dfleetsim.report.charts=N} then says how many charts have data.
 */
public class ReportBrowserTest {
  @TempDir
  static Path dir;
  private static Path report;
  private static Path empty;

  @BeforeAll
  static void writeReports() throws IOException {
    Chromium.require();
    report = reportUnderTest();
    empty = dir.resolve("empty.html");
    ReportWriter.write(ReportFixture.empty(), empty);
  }

  /** The report to check: the one named by -Dfleetsim.report, else the fixture's. */
  static Path reportUnderTest() throws IOException {
    String given = System.getProperty("fleetsim.report");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Path html = dir.resolve("report.html");
    ReportWriter.write(ReportFixture.results(), html);
    return html;
  }

  /** report.js draws frames/s in this colour. */
  private static final int THROUGHPUT_STROKE = 0x2563eb;

  private static boolean near(int rgb, int target) {
    int d = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      d += Math.abs((rgb >> shift & 0xff) - (target >> shift & 0xff));
    }
    return d < 40;
  }

  private static int expectedCharts() {
    return Integer.getInteger("fleetsim.report.charts", ReportWriter.CHARTS);
  }

  @Test
  void scriptsRunAndDrawEveryChart() throws Exception {
    assertChartsDrawn(report, expectedCharts());
  }

  /** Chromium runs the page's scripts without an error or a console line, and draws {@code charts}. */
  public static void assertChartsDrawn(Path report, int charts) throws Exception {
    Chromium.Run run = Chromium.dumpDom(report);
    Element body = Jsoup.parse(run.stdout()).body();
    assertEquals("", body.attr("data-errors"), "page errors");
    assertEquals(String.valueOf(charts), body.attr("data-rendered"), "charts drawn; stderr:\n" + run.stderr());
    assertEquals(charts, body.select(".chart canvas").size(), "one canvas per chart");
    assertEquals(List.of(), run.consoleLines(), "the page logs nothing");
  }

  @Test
  void aTwentyThousandVmReportRendersWithoutErrors() throws Exception {
    Path json = dir.resolve("big.json");
    new com.fasterxml.jackson.databind.ObjectMapper().writeValue(json.toFile(),
        ReportFixture.bigFleetWithFailures(10_000));
    Path big = dir.resolve("big.html");
    ReportWriter.write(json, big);
    assertChartsDrawn(big, ReportWriter.CHARTS);
  }

  @Test
  void emptyResultsShowNoDataWithoutErrors() throws Exception {
    Chromium.Run run = Chromium.dumpDom(empty);
    Element body = Jsoup.parse(run.stdout()).body();
    assertEquals("", body.attr("data-errors"), "page errors");
    assertEquals("0", body.attr("data-rendered"));
    assertEquals(ReportWriter.CHARTS, body.select(".chart.empty").size());
    assertTrue(body.select(".chart.empty").eachText().stream().allMatch("no data"::equals));
    assertEquals(List.of(), run.consoleLines(), "the page logs nothing");
  }

  @Test
  void screenshotShowsDrawnCharts() throws Exception {
    Path png = dir.resolve("report.png");
    assertScreenshotShowsCharts(report, png);
    String keep = System.getProperty("fleetsim.report.screenshot");
    if (keep != null) {
      Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void overlappingFaultsEachKeepTheirOwnColour() throws Exception {
    // lossy-wan: three faults on site-a for the whole run, a link-down inside them
    Path wan = dir.resolve("wan.html");
    ReportWriter.write(ReportFixture.wan(), wan);
    Path png = dir.resolve("wan.png");
    Chromium.screenshot(wan, png);
    BufferedImage image = ImageIO.read(png.toFile());
    List<Integer> colours = faultColours();
    for (int f = 0; f < 4; f++) {
      int pixels = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          pixels += near(image.getRGB(x, y), colours.get(f)) ? 1 : 0;
        }
      }
      // bars 13 px high over the run (the link-down over 5 of 45 s), in three charts; shaded
      // bands over each other blend into colours none of the faults has
      assertTrue(pixels > 1000, "fault " + f + " drawn in its colour: " + pixels + " pixels");
    }
    Element body = Jsoup.parse(Chromium.dumpDom(wan).stdout()).body();
    // lossy-wan ran no TCP: its TCP chart says so, the other three draw the lanes
    assertEquals(ReportWriter.CHARTS - 1, body.select(".chart:not(.empty)").size());
    for (Element chart : body.select(".chart:not(.empty)")) {
      assertEquals("4", chart.attr("data-fault-lanes"), "a lane per overlapping fault: " + chart.id());
    }
  }

  /** report.js draws TCP goodput in this colour. */
  private static final int GOODPUT_STROKE = 0x0f766e;

  @Test
  void theTcpChartDrawsGoodputOnItsOwnScale() throws Exception {
    Element body = Jsoup.parse(Chromium.dumpDom(report).stdout()).body();
    Element tcp = body.getElementById("chart-tcp");
    assertNotNull(tcp);
    assertTrue(!tcp.hasClass("empty"), "drawn: " + tcp.text());
    // the left axis is goodput's: bits per second, up to the fixture's 40 Mbit/s and more
    assertTrue(Double.parseDouble(tcp.attr("data-y-max")) >= 40_000_000, tcp.attr("data-y-max"));
    assertEquals(body.getElementById("chart-throughput").attr("data-fault-lanes"), tcp.attr("data-fault-lanes"),
        "the fault bars above it, as above the others");
    Path png = dir.resolve("tcp.png");
    Chromium.screenshot(report, png, 2600); // the fourth chart is below the first 1600 px
    BufferedImage image = ImageIO.read(png.toFile());
    int line = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        line += near(image.getRGB(x, y), GOODPUT_STROKE) ? 1 : 0;
      }
    }
    assertTrue(line > 300, "goodput line pixels: " + line);
  }

  /** A real run of every TCP and HTTP kind (TcpTablesTest's): no pings, so no RTT chart. */
  @Test
  void aTcpRunsReportRendersCleanly() throws Exception {
    Path tcp = dir.resolve("tcp.html");
    ReportWriter.write(TcpTablesTest.real(), tcp);
    assertChartsDrawn(tcp, ReportWriter.CHARTS - 1);
    Element body = Jsoup.parse(Chromium.dumpDom(tcp).stdout()).body();
    assertTrue(body.getElementById("chart-rtt").hasClass("empty"));
    assertTrue(!body.getElementById("chart-tcp").hasClass("empty"));
  }

  @Test
  void aRunWithoutTcpTrafficSaysSoInsteadOfAFlatLine() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode results = ReportFixture.results();
    com.fasterxml.jackson.databind.node.ObjectNode series =
        (com.fasterxml.jackson.databind.node.ObjectNode) results.get("series");
    for (String key : List.of("tcpGoodputBitsPerSecond", "tcpRetransmissionsPerSecond")) {
      com.fasterxml.jackson.databind.node.ArrayNode zeros = series.putArray(key);
      for (int s = 0; s < ReportFixture.SECONDS; s++) {
        zeros.add(0);
      }
    }
    Path udp = dir.resolve("udp.html");
    ReportWriter.write(results, udp);
    assertChartsDrawn(udp, ReportWriter.CHARTS - 1);
    Element tcp = Jsoup.parse(Chromium.dumpDom(udp).stdout()).body().getElementById("chart-tcp");
    assertTrue(tcp.hasClass("empty"));
    assertEquals("no TCP traffic", tcp.text());
  }

  /** The --fault-N colours of report.css, in order. */
  private static List<Integer> faultColours() throws IOException {
    String css;
    try (java.io.InputStream in = ReportBrowserTest.class.getResourceAsStream("/io/fleetsim/report/report.css")) {
      css = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("--fault-(\\d+): #([0-9a-f]{6});").matcher(css);
    java.util.List<Integer> out = new java.util.ArrayList<>();
    while (m.find()) {
      assertEquals(out.size(), Integer.parseInt(m.group(1)));
      out.add(Integer.parseInt(m.group(2), 16));
    }
    assertEquals(ReportWriter.FAULT_COLOURS, out.size());
    return out;
  }

  @Test
  void theRttAxisKeepsTheSteadyStateReadableUnderTheFirstSecondsSpike() throws Exception {
    Element rtt = Jsoup.parse(Chromium.dumpDom(report).stdout()).body().getElementById("chart-rtt");
    assertNotNull(rtt);
    boolean log = rtt.attr("data-y-scale").equals("log");
    double min = Double.parseDouble(rtt.attr("data-y-min"));
    double max = Double.parseDouble(rtt.attr("data-y-max"));
    // where a value is drawn, as a share of the plot's height from its bottom
    java.util.function.DoubleUnaryOperator height = v -> log
        ? (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min)) : (v - min) / (max - min);
    assertTrue(max >= ReportFixture.SPIKE_MS, "the spike is drawn, not cut off: axis up to " + max);
    double steady = height.applyAsDouble(ReportFixture.STEADY_P99_MS);
    double fault = height.applyAsDouble(ReportFixture.FAULT_P99_MS);
    assertTrue(steady > 0.1, "steady state above the floor: at " + steady + " of the height");
    assertTrue(fault - steady > 0.25, "the fault's delay stands out of the steady state: " + steady + " -> " + fault);
  }

  /**
   * Marks every cell of the Workloads tables with how many lines its text takes, once laid out:
   * {@code data-lines} on each {@code td}, from the line boxes of its text.
   */
  private static final String LINE_PROBE = """
      <script>(function () {
        var section = [].filter.call(document.querySelectorAll('section'), function (s) {
          var h = s.querySelector('h2'); return h && h.textContent === 'Workloads'; })[0];
        section.querySelectorAll('tbody td').forEach(function (td) {
          var tops = [], walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT), t;
          while ((t = walk.nextNode())) {
            var r = document.createRange(); r.selectNodeContents(t);
            [].forEach.call(r.getClientRects(), function (c) { if (c.width > 0) { tops.push(c.top); } });
          }
          tops.sort(function (a, b) { return a - b; });
          var lines = tops.length ? 1 : 0;
          for (var i = 1; i < tops.length; i++) { if (tops[i] - tops[i - 1] > 8) { lines++; } }
          td.dataset.lines = String(lines);
        });
      })();</script>
      """;

  @Test
  void workloadCellsBreakOnlyBetweenWords() throws Exception {
    String html = ReportWriter.render(ReportFixture.wan());
    int end = html.lastIndexOf("</body>");
    Path probed = dir.resolve("wan-probed.html");
    Files.writeString(probed, html.substring(0, end) + LINE_PROBE + html.substring(end));
    Element body = Jsoup.parse(Chromium.dumpDom(probed).stdout()).body();
    assertEquals("", body.attr("data-errors"), "page errors");
    org.jsoup.select.Elements cells = body.select("td[data-lines]");
    assertTrue(cells.size() >= 12, "cells measured: " + cells.size());
    for (Element td : cells) {
      if (td.selectFirst("details") != null) {
        continue; // a list of senders, collapsed
      }
      int words = td.text().isBlank() ? 0 : td.text().trim().split("\\s+").length;
      assertTrue(Integer.parseInt(td.attr("data-lines")) <= words,
          "'" + td.text() + "' takes " + td.attr("data-lines") + " lines for " + words + " words");
    }
  }

  /** A screenshot of the page is not blank and shows the throughput chart's line. */
  public static void assertScreenshotShowsCharts(Path report, Path png) throws Exception {
    Chromium.Run run = Chromium.screenshot(report, png);
    assertTrue(Files.isRegularFile(png), "screenshot written; stderr:\n" + run.stderr());
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "a PNG");
    assertEquals(1200, image.getWidth());
    // anti-aliased lines, translucent fault bands and fills give hundreds of colours; a blank or
    // unstyled page gives a handful
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 100, "distinct colours: " + colours.size());
    // text and tables alone give many colours too; the throughput line's blue only comes from a chart
    int line = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        line += near(image.getRGB(x, y), THROUGHPUT_STROKE) ? 1 : 0;
      }
    }
    assertTrue(line > 300, "throughput line pixels: " + line);
    assertEquals(List.of(), run.consoleLines().stream().filter(l -> l.contains("Uncaught")).toList());
  }
}
