package io.fleetsim.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.testing.Chromium;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The live page in headless Chromium against a running server (with a token, which the page
 * passes on from its URL): it draws every chart, its charts change as seconds arrive, it logs no
 * error, and a fault's end button ends the fault, as GET /faults then shows.
 */
class LivePageBrowserTest {
  /** The test Control has traffic, ping replies and TCP: every chart has data. */
  private static final int CHARTS = 4;

  @Test
  void chartsDrawUpdateAndTheEndButtonEndsAFault() throws Exception {
    Chromium.require();
    TestControl control = new TestControl();
    control.addFault("{\"kind\":\"loss\",\"target\":\"lan\",\"percent\":5}");
    try (ApiServer server = ApiServer.start(control, ApiSettings.parse("0", Optional.of("t0ken")));
        CdpSession page = CdpSession.open(URI.create(server.address() + "?token=t0ken"))) {
      page.waitFor("document.body.dataset.rendered === '" + CHARTS + "' && Number(document.body.dataset.updates) >= 2");
      assertEquals(CHARTS, page.evaluate("document.querySelectorAll('.chart canvas').length").asInt());
      assertEquals("api-test", page.evaluate("document.getElementById('live-name').textContent").asText());

      String chart = "#chart-throughput";
      byte[] before = page.screenshot(chart);
      int polls = page.evaluate("Number(document.body.dataset.updates)").asInt();
      page.waitFor("Number(document.body.dataset.updates) >= " + (polls + 3));
      byte[] after = page.screenshot(chart);
      assertFalse(Arrays.equals(before, after), "the throughput chart changed over three polls");

      String button = "button.end-fault[data-fault-id='a1']";
      page.waitFor("document.querySelector(\"" + button + "\") !== null");
      page.click(button);
      page.waitFor("document.querySelector(\"tr[data-fault-id='a1']\").className === 'ended'");
      JsonNode faults = new ApiClient(server.address(), "t0ken").get("faults").json();
      assertEquals("a1", faults.path(1).path("id").asText());
      assertEquals("ended", faults.path(1).path("state").asText());
      assertEquals("api", faults.path(1).path("periods").path(0).path("endedBy").asText());
      assertEquals("active", faults.path(0).path("state").asText(), "the other fault is still on");

      assertEquals(List.of(), page.consoleErrors(), "the page logs no error");
    }
  }
}
