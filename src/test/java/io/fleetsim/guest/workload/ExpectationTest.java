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
      Criteria c = Criteria.defaultFor(kind);
      assertTrue(c.byDefault());
      assertEquals(Criteria.DEFAULTS.get(kind).split(" and ").length, c.expectations().size(), kind);
      c.expectations().forEach(e -> e.requireFor(kind));
    }
    assertEquals(Metric.kinds().size(), Criteria.DEFAULTS.size(), "every kind has a default");
  }

  private static final io.fleetsim.guest.socket.TcpStats STATS = new io.fleetsim.guest.socket.TcpStats(
      "CLOSED", 100, 90, 5000, 4000, 0, 7, 2, 5, 11, 200_000, 50_000, 1_000_000_000L, 14600, 65535,
      1460, 3);

  private static TcpStreamResult stream(long sent, long acked, Optional<io.fleetsim.guest.socket.TcpError> error) {
    return new TcpStreamResult(HOST, 5001, sent, acked, 2_000_000_000L, acked * 4.0, "00", true, STATS,
        error);
  }

  @Test
  void tcpStreamMetricsAndItsTwoPartDefault() {
    TcpStreamResult r = stream(5000, 4000, Optional.empty());
    assertEquals(80.0, Expectation.parse("acked == 80%").check(r).value().getAsDouble());
    assertTrue(holds("bytes-sent == 5000", r));
    assertTrue(holds("bytes-acked == 4000", r));
    assertTrue(holds("goodput == 16kbit/s", r));
    assertTrue(holds("goodput >= 0.016Mbit/s", r));
    assertTrue(holds("goodput < 16001bit", r), "the /s may be left out, as in a network's rate");
    assertFalse(holds("goodput > 1Gbit/s", r));
    assertTrue(holds("retransmissions == 7", r));
    assertTrue(holds("timeouts == 2", r));
    assertTrue(holds("errors == 0", r));
    assertFalse(r.success(), "a fifth unacknowledged");
    assertTrue(stream(5000, 5000, Optional.empty()).success());
    io.fleetsim.guest.socket.TcpError reset = new io.fleetsim.guest.socket.TcpError(
        io.fleetsim.guest.socket.TcpError.Kind.RESET, "reset by 10.0.0.2:5001");
    assertFalse(stream(5000, 5000, Optional.of(reset)).success(), "everything acked, then reset");
    assertFalse(stream(0, 0, Optional.empty()).success(), "nothing sent: no share acked");
    assertEquals(16.0 / 1000, Expectation.shown(Metric.Unit.BIT_RATE,
        Expectation.parse("goodput > 1bit/s").check(r).value().getAsDouble()));
    assertEquals("Mbit/s", Expectation.shownUnit(Metric.Unit.BIT_RATE));
  }

  @Test
  void tcpRrAndServerMetrics() {
    TcpRrResult rr = new TcpRrResult(HOST, 7, 1, 500, 1_000_000_000L, 500.0,
        Optional.of(new RttStats(500, 200_000, 300_000, 9 * MS, 250_000, 400_000, 2 * MS, 9 * MS)),
        STATS, false, Optional.empty());
    assertTrue(holds("transactions >= 500", rr));
    assertTrue(holds("transaction-rate >= 500/s", rr));
    assertFalse(holds("transaction-rate > 500/s", rr));
    assertTrue(holds("latency-min >= 200us", rr));
    assertTrue(holds("latency-p99 <= 2ms", rr));
    assertTrue(holds("latency-max == 9ms", rr));
    assertEquals("/s", Expectation.shownUnit(Metric.Unit.PER_SECOND));
    TcpRrResult none = new TcpRrResult(HOST, 7, 1, 0, 0, 0, Optional.empty(), STATS, false, Optional.empty());
    assertFalse(holds("latency-p50 < 3600s", none), "no transaction, no latency");
    assertFalse(none.success());
    assertTrue(rr.success());

    TcpSinkConnection whole = new TcpSinkConnection("10.0.0.1:40000", 100, "aa", 0, true, true, 10, 1, STATS,
        Optional.empty());
    TcpSinkConnection broken = new TcpSinkConnection("10.0.0.1:40001", 50, "bb", 3, false, false, 10, 1, STATS,
        Optional.of(new io.fleetsim.guest.socket.TcpError(io.fleetsim.guest.socket.TcpError.Kind.RESET, "x")));
    TcpSinkResult sink = new TcpSinkResult(5001, 150, 1_000_000_000L, 1200, List.of(whole, broken));
    assertTrue(holds("bytes-received == 150", sink));
    assertTrue(holds("connections == 2", sink));
    assertTrue(holds("corrupt-bytes == 3", sink));
    assertTrue(holds("complete == 1", sink));
    assertTrue(holds("errors == 1", sink));
    assertTrue(holds("goodput == 1.2kbit/s", sink));
    assertTrue(sink.success());
    assertFalse(new TcpSinkResult(5001, 0, 0, 0, List.of()).success());
    assertTrue(new TcpEchoResult(7, 1, List.of()).success());
    assertFalse(new TcpEchoResult(7, 0, List.of()).success());
    HttpServeResult serve = new HttpServeResult(80, 10, "cc", 2, 5, 1, java.util.Map.of(200, 3L, 400, 1L), 999);
    assertTrue(holds("responses == 4", serve));
    assertTrue(holds("bad-requests == 1", serve));
    assertTrue(holds("requests == 5", serve));
    assertTrue(serve.success());
  }

  private static HttpGetRequest request(int status, String error) {
    return new HttpGetRequest(1, 1, false, status, 10, 1, Optional.of("dd"), Optional.ofNullable(error),
        Optional.empty());
  }

  @Test
  void httpGetPassesWhenEveryRequestGotA2xx() {
    assertTrue(new HttpGetResult("u", 2, 1, List.of(request(200, null), request(204, null))).success());
    HttpGetResult mixed = new HttpGetResult("u", 4, 2,
        List.of(request(200, null), request(404, null), request(0, "refused"), request(200, "closed")));
    assertFalse(mixed.success());
    assertEquals(75.0, Expectation.parse("failed < 1%").check(mixed).value().getAsDouble());
    assertTrue(holds("ok == 1", mixed));
    assertTrue(holds("errors == 2", mixed));
    assertTrue(holds("body-bytes == 40", mixed));
    assertFalse(new HttpGetResult("u", 1, 0, List.of()).success(), "no request made");
  }

  @Test
  void rateUnitsAreChecked() {
    assertEquals("'goodput > 5': goodput is a bit rate: give a unit, bit/s, kbit/s, Mbit/s or Gbit/s"
        + " (e.g. goodput >= 5Mbit/s)",
        assertThrows(ExpectationSyntaxException.class, () -> Expectation.parse("goodput > 5")).getMessage());
    assertEquals("'goodput > 5MB/s': goodput is a bit rate: 'MB/s' is not a bit rate unit, bit/s, kbit/s,"
        + " Mbit/s or Gbit/s (e.g. goodput >= 5Mbit/s)",
        assertThrows(ExpectationSyntaxException.class, () -> Expectation.parse("goodput > 5MB/s")).getMessage());
    assertEquals("'transaction-rate > 5': transaction-rate is a rate: give the unit /s"
        + " (e.g. transaction-rate >= 100/s)",
        assertThrows(ExpectationSyntaxException.class, () -> Expectation.parse("transaction-rate > 5")).getMessage());
    assertEquals("'transactions > 5/s': transactions is a count: give a number without a unit"
        + " (e.g. transactions >= 1000)",
        assertThrows(ExpectationSyntaxException.class, () -> Expectation.parse("transactions > 5/s")).getMessage());
    assertEquals(5e6, Expectation.parse("goodput >= 5Mbit/s").threshold());
    assertEquals(2.5e9, Expectation.parse("goodput >= 2.5Gbit").threshold());
  }
}
