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
