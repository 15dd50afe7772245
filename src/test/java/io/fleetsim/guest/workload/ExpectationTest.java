package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Expectations measured on results: each metric's value, units, comparisons and defaults. */
class ExpectationTest {
  private static final Ipv4Address HOST = Ipv4Address.parse("10.0.0.2");
  private static final long MS = 1_000_000L;

  /** 4 requests, 3 answered: 25% loss; RTTs 1/5/150 ms. */
  private static final PingResult PING = new PingResult(HOST, 4, 3, 1, 25,
      Optional.of(new RttStats(3, 1 * MS, 52 * MS, 150 * MS, 5 * MS, 150 * MS, 150 * MS, 150 * MS)), false);
  private static final PingResult SILENT = new PingResult(HOST, 5, 0, 0, 100, Optional.empty(), false);

  private static boolean holds(String text, WorkloadResult r) {
    return Expectation.parse(text).check(r).pass();
  }

  @Test
  void pingMetrics() {
    assertTrue(holds("loss <= 25%", PING));
    assertFalse(holds("loss < 25%", PING));
    assertTrue(holds("transmitted == 4", PING));
    assertTrue(holds("duplicates > 0", PING));
    assertTrue(holds("rtt-p50 < 5.5ms", PING));
    assertTrue(holds("rtt-p99 <= 150ms", PING));
    assertFalse(holds("rtt-p99 < 0.15s", PING));
    assertTrue(holds("rtt-min >= 1000us", PING));
    assertEquals(150.0, Expectation.shown(Metric.Unit.DURATION,
        Expectation.parse("rtt-max < 1s").check(PING).value().getAsDouble()));
  }

  @Test
  void aFigureTheResultLacksFails() {
    Expectation.Check c = Expectation.parse("rtt-p99 < 3600s").check(SILENT);
    assertTrue(c.value().isEmpty(), "no replies, no round trips");
    assertFalse(c.pass());
    PingResult none = new PingResult(HOST, 0, 0, 0, 0, Optional.empty(), true);
    assertFalse(holds("loss < 100%", none), "nothing sent: no loss to speak of, so not under 100%");
  }

  @Test
  void sinkLossIsLostOverReceivedAndLost() {
    UdpSinkResult sink = new UdpSinkResult(9000, 92, 9200, 0, List.of(
        new SenderStats(HOST, 40000, 1, 60, 6, 1, 0, 65, 6000),
        new SenderStats(HOST, 40000, 2, 30, 4, 1, 2, 33, 3000)));
    assertEquals(10.0, Expectation.parse("loss < 1%").check(sink).value().getAsDouble(), 1e-9);
    assertTrue(holds("received == 90", sink));
    assertTrue(holds("lost == 10", sink));
    assertTrue(holds("out-of-order == 2", sink));
    assertTrue(holds("streams == 2", sink));
    assertTrue(holds("duplicates == 2", sink));
  }

  @Test
  void metricsAreKindsOwn() {
    Expectation lost = Expectation.parse("lost == 0");
    assertTrue(lost.appliesTo("udp-sink"));
    assertFalse(lost.appliesTo("ping"));
    assertThrows(ExpectationSyntaxException.class, () -> lost.requireFor("ping"));
    assertFalse(lost.check(PING).pass(), "a ping result has no lost");
  }

  @Test
  void defaultsAskThatTheWorkloadDidItsJob() {
    assertTrue(PING.success());
    assertFalse(SILENT.success());
    assertTrue(new UdpSendResult(HOST, 9000, 10, 3, 0, 1, 10).success(), "some dropped, some sent");
    assertFalse(new UdpSendResult(HOST, 9000, 0, 3, 0, 1, 0).success());
    assertFalse(new UdpSinkResult(9000, 4, 40, 4, List.of()).success(), "only foreign datagrams");
    assertTrue(new EchoResult(7, 1, 4, 0).success());
    assertFalse(new EchoResult(7, 0, 0, 0).success());
    for (String kind : Metric.kinds()) {
      assertTrue(Criteria.defaultFor(kind).byDefault());
      assertEquals(1, Criteria.defaultFor(kind).expectations().size(), kind);
    }
  }
}
