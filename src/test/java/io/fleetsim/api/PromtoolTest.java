package io.fleetsim.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.control.VmAction;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' own checker reads {@code /metrics}: {@code promtool check metrics} must find no
 * error and no lint problem. Without promtool the test fails under CI=true (it must run there) and
 * is skipped elsewhere with a message.
 */
class PromtoolTest {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void promtoolAcceptsTheMetricsOfARunningControl() throws Exception {
    requirePromtool();
    TestControl control = new TestControl();
    for (int i = 0; i < 5; i++) {
      control.series(1); // seconds with traffic and ping replies
    }
    control.addFault("{\"kind\":\"loss\",\"target\":\"lan\",\"percent\":5}");
    control.vmAction("web-2", VmAction.CRASH);
    control.endFault("t0");
    try (ApiServer server = ApiServer.start(control, ApiSettings.parse("0", Optional.empty()))) {
      ApiClient.Answer metrics = new ApiClient(server.address()).get("metrics");
      assertEquals(200, metrics.status());
      for (String family : new String[] {"fleetsim_port_frames_total", "fleetsim_port_bytes_total",
          "fleetsim_port_drops_total", "fleetsim_link_frames_total", "fleetsim_link_bytes_total",
          "fleetsim_link_drops_total", "fleetsim_vms", "fleetsim_ping_rtt_seconds_bucket",
          "fleetsim_ping_rtt_seconds_sum", "fleetsim_ping_rtt_seconds_count",
          "fleetsim_tcp_delivered_bytes_total", "fleetsim_tcp_retransmitted_segments_total",
          "fleetsim_faults_active", "fleetsim_faults_started_total", "fleetsim_elapsed_seconds"}) {
        assertTrue(metrics.body().contains("\n" + family), family + " in\n" + metrics.body());
      }
      Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
          .redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(metrics.body().getBytes(StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      p.getInputStream().transferTo(out);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
      String said = out.toString(StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "promtool: " + said + "\non:\n" + metrics.body());
      assertEquals("", said.strip(), "promtool found problems in:\n" + metrics.body());
    }
  }

  private static void requirePromtool() {
    boolean present = Files.isExecutable(PROMTOOL);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(PROMTOOL + " is missing, and CI=true requires this test to run");
    }
    Assumptions.assumeTrue(present, PROMTOOL + " is not installed (Debian package prometheus)");
  }
}
