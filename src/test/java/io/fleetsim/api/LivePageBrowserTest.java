package io.fleetsim.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.testing.ChromiumSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The live page in headless Chromium against a running server (with a token, which the page
 * passes on from its URL): it draws every chart, its charts change as seconds arrive, it logs no
 * error, and a fault's end button ends the fault, as GET /faults then shows.
 */
class LivePageBrowserTest {
  /** The test Control has traffic, ping replies and TCP: every chart has data. */
  private static final int CHARTS = 4;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CHART = "#chart-throughput";

  @Test
  void chartsDrawUpdateAndTheEndButtonEndsAFault() throws Exception {
    TestControl control = new TestControl();
    control.addFault("{\"kind\":\"loss\",\"target\":\"lan\",\"percent\":5}");
    try (ApiServer server = ApiServer.start(control, ApiSettings.parse("0", Optional.of("t0ken")));
        ChromiumSession page = ChromiumSession.start()) {
      page.open(URI.create(server.address() + "?token=t0ken"));
      page.waitFor("document.body.dataset.rendered === '" + CHARTS + "'"
          + " && Number(document.body.dataset.updates) >= 2", WAIT);
      assertEquals(CHARTS, page.evaluate("document.querySelectorAll('.chart canvas').length").asInt());
      assertEquals("api-test", page.evaluate("document.getElementById('live-name').textContent").asText());

      // the chart itself, not the whole page: the elapsed time in the header changes anyway
      page.evaluate("document.querySelector('" + CHART + "').scrollIntoView()");
      int[] before = chartPixels(page);
      int polls = page.evaluate("Number(document.body.dataset.updates)").asInt();
      page.waitFor("Number(document.body.dataset.updates) >= " + (polls + 3), WAIT);
      int[] after = chartPixels(page);
      assertFalse(Arrays.equals(before, after), "the throughput chart changed over three polls");

      String row = "tr[data-fault-id='a1']";
      page.waitFor("document.querySelector(\"" + row + " button.end-fault\") !== null", WAIT);
      page.click(row + " button.end-fault");
      page.waitFor("document.querySelector(\"" + row + "\").className === 'ended'", WAIT);
      JsonNode faults = new ApiClient(server.address(), "t0ken").get("faults").json();
      assertEquals("a1", faults.path(1).path("id").asText());
      assertEquals("ended", faults.path(1).path("state").asText());
      assertEquals("api", faults.path(1).path("periods").path(0).path("endedBy").asText());
      assertEquals("active", faults.path(0).path("state").asText(), "the other fault is still on");
      assertTrue(page.evaluate("document.querySelector(\"" + row + " button\") === null").asBoolean(),
          "an ended fault has no button");

      assertEquals(List.of(), page.consoleErrors(), "the page logs no error");
    }
  }

  /** The throughput chart's pixels in a screenshot of the viewport. */
  private static int[] chartPixels(ChromiumSession page) throws Exception {
    JsonNode r = page.evaluate("(() => { const r = document.querySelector('" + CHART + "')"
        + ".getBoundingClientRect(), d = devicePixelRatio;"
        + " return {x: r.left * d, y: r.top * d, w: r.width * d, h: r.height * d}; })()");
    BufferedImage shot = ImageIO.read(new ByteArrayInputStream(page.screenshot()));
    int x = Math.max(0, r.path("x").asInt());
    int y = Math.max(0, r.path("y").asInt());
    int w = Math.min(r.path("w").asInt(), shot.getWidth() - x);
    int h = Math.min(r.path("h").asInt(), shot.getHeight() - y);
    assertTrue(w > 100 && h > 100, "the chart is in view: " + r + " in " + shot.getWidth() + "x" + shot.getHeight());
    return shot.getRGB(x, y, w, h, null, 0, w);
  }
}
