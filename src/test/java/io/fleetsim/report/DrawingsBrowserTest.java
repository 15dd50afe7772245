package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.Chromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's drawings (docs/*.svg) in headless Chromium: each loads as an image, as a README shows
 * it, at its own size and without an error, opens as a document without an XML error, and paints
 * its links in their colour. That they are draw's output of the examples: DrawCommandTest.
 */
class DrawingsBrowserTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void chromium() {
    Chromium.require();
  }

  static List<Path> drawings() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("docs"))) {
      return s.filter(p -> p.toString().endsWith(".svg")).sorted().toList();
    }
  }

  @Test
  void readmesDrawingsLoadAndPaint() throws Exception {
    List<Path> drawings = drawings();
    assertEquals(List.of("leaf-spine.svg", "two-sites.svg"),
        drawings.stream().map(p -> p.getFileName().toString()).toList());
    for (Path svg : drawings) {
      Element root = Jsoup.parse(Files.readString(svg)).selectFirst("svg");
      // as an image: loaded, at the size the file gives
      Path page = dir.resolve(svg.getFileName() + ".html");
      Files.writeString(page, "<!DOCTYPE html><html><body style=\"margin:0\"><img id=\"d\" src=\""
          + svg.toAbsolutePath().toUri() + "\" onload=\"document.body.dataset.loaded=this.naturalWidth+' '"
          + "+this.naturalHeight\" onerror=\"document.body.dataset.failed='yes'\"></body></html>");
      Chromium.Run run = Chromium.dumpDom(page);
      Element body = Jsoup.parse(run.stdout()).body();
      assertEquals("", body.attr("data-failed"), svg + " failed to load");
      assertEquals(root.attr("width") + " " + root.attr("height"), body.attr("data-loaded"), svg + " loaded at its size");
      assertEquals(List.of(), run.consoleLines(), svg + ": the page logs nothing");
      // as a document: no XML error
      Chromium.Run opened = Chromium.dumpDom(svg);
      assertFalse(opened.stdout().contains("parsererror"), svg + ": " + opened.stdout());
      assertTrue(opened.stdout().contains("fleetsim-topology"), svg + ": " + opened.stdout());
      assertEquals(List.of(), opened.consoleLines(), svg + " logs nothing");
      // painted: the links' colour where the drawing has links, the networks' border colour always
      Path png = dir.resolve(svg.getFileName() + ".png");
      Chromium.screenshot(page, png, 800);
      BufferedImage image = ImageIO.read(png.toFile());
      int links = pixels(image, Integer.parseInt(TopologySvg.LINK.substring(1), 16), 40);
      int networks = pixels(image, 0xe8f0fe, 6);
      int expectedLinks = root.select("g.link").size();
      int expectedNetworks = root.select("g.network").size();
      assertTrue(networks > 1000 * expectedNetworks, svg + ": " + expectedNetworks + " networks, "
          + networks + " pixels of their fill");
      assertTrue(expectedLinks == 0 ? links < 150 : links > 150 * expectedLinks,
          svg + ": " + expectedLinks + " links, " + links + " pixels of their colour");
    }
  }

  private static int pixels(BufferedImage image, int rgb, int tolerance) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
          d += Math.abs((p >> shift & 0xff) - (rgb >> shift & 0xff));
        }
        n += d < tolerance ? 1 : 0;
      }
    }
    return n;
  }
}
