package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TCP and HTTP workload words: what each parses to, and each error naming its word. */
class TcpHttpWorkloadsParseTest {
  private static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

  @Test
  void tcpStream() {
    TcpStreamWorkload s = (TcpStreamWorkload) Workloads.parse(
        "tcp-stream 10.0.0.2:5001 bytes=10MB duration=30s user-timeout=5s");
    assertEquals(new TcpStreamWorkload(B, 5001, OptionalLong.of(10_000_000),
        Optional.of(Duration.ofSeconds(30)), Optional.of(Duration.ofSeconds(5))), s);
    assertTrue(s.finite());
    assertEquals(s, Workloads.parse(s.describe()), "describe() parses back");
    assertEquals(10L << 20, ((TcpStreamWorkload) Workloads.parse("tcp-stream 10.0.0.2:1 bytes=10MiB"))
        .bytes().getAsLong());
    assertEquals(1536, ((TcpStreamWorkload) Workloads.parse("tcp-stream 10.0.0.2:1 bytes=1.5KiB"))
        .bytes().getAsLong());
    assertEquals(3_000_000_000L, ((TcpStreamWorkload) Workloads.parse("tcp-stream 10.0.0.2:1 bytes=3GB"))
        .bytes().getAsLong());
    TcpStreamWorkload forever = (TcpStreamWorkload) Workloads.parse("tcp-stream 10.0.0.2:5001");
    assertFalse(forever.finite(), "neither bytes nor duration: until stopped");
    assertEquals("tcp-stream 10.0.0.2:5001", forever.describe());
    assertTrue(((TcpStreamWorkload) Workloads.parse("tcp-stream 10.0.0.2:1 duration=1s")).finite());
  }

  @Test
  void tcpRr() {
    TcpRrWorkload r = (TcpRrWorkload) Workloads.parse(
        "tcp-rr 10.0.0.2:7 size=100B rate=50/s duration=10s count=200 user-timeout=2s");
    assertEquals(new TcpRrWorkload(B, 7, 100, Optional.of(50.0), Optional.of(Duration.ofSeconds(10)),
        OptionalLong.of(200), Optional.of(Duration.ofSeconds(2))), r);
    assertEquals(r, Workloads.parse(r.describe()));
    TcpRrWorkload d = (TcpRrWorkload) Workloads.parse("tcp-rr 10.0.0.2:7");
    assertEquals(1, d.size(), "netperf's default request size");
    assertFalse(d.finite());
    assertTrue(((TcpRrWorkload) Workloads.parse("tcp-rr 10.0.0.2:7 count=1")).finite());
    assertEquals(64 * 1024, ((TcpRrWorkload) Workloads.parse("tcp-rr 10.0.0.2:7 size=64KiB")).size());
  }

  @Test
  void servers() {
    assertEquals(new TcpSinkWorkload(5001), Workloads.parse("tcp-sink 5001"));
    assertEquals(new TcpEchoWorkload(7), Workloads.parse("tcp-echo 7"));
    assertEquals(new HttpServeWorkload(80, 64 * 1024), Workloads.parse("http-serve 80"));
    HttpServeWorkload h = (HttpServeWorkload) Workloads.parse("http-serve 8080 size=1MB");
    assertEquals(1_000_000, h.size());
    assertEquals(h, Workloads.parse(h.describe()));
    assertEquals(0, ((HttpServeWorkload) Workloads.parse("http-serve 80 size=0B")).size());
    for (String s : new String[] {"tcp-sink 1", "tcp-echo 1", "http-serve 1"}) {
      assertFalse(Workloads.parse(s).finite(), s);
    }
  }

  @Test
  void httpGet() {
    HttpGetWorkload g = (HttpGetWorkload) Workloads.parse(
        "http-get http://10.0.0.2:8080/data/x?y=1 count=3 interval=500ms user-timeout=3s");
    assertEquals(new HttpGetWorkload(B, 8080, "/data/x?y=1", 3, Optional.of(Duration.ofMillis(500)),
        Optional.of(Duration.ofSeconds(3))), g);
    assertEquals(g, Workloads.parse(g.describe()));
    HttpGetWorkload d = (HttpGetWorkload) Workloads.parse("http-get http://10.0.0.2");
    assertEquals(new HttpGetWorkload(B, 80, "/", 1, Optional.empty(), Optional.empty()), d);
    assertTrue(d.finite(), "one request by default");
    assertEquals("http://10.0.0.2:80/", d.url());
    assertEquals("/p", ((HttpGetWorkload) Workloads.parse("http-get HTTP://10.0.0.2/p#frag")).path());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "tcp-stream|tcp-stream: missing HOST:PORT (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2|tcp-stream: HOST:PORT '10.0.0.2' has no ':PORT' (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2:0|tcp-stream: PORT 0 is not a port 1-65535 (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream host:1|tcp-stream: HOST 'host' is not an IPv4 address (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2:1 bytes=10|tcp-stream: bytes=10 has no unit; write it with one, e.g. bytes=10B or bytes=10MB (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2:1 bytes=10mb|tcp-stream: bytes='10mb' is not an amount of data (like 1500B, 64KiB, 10MB or 1GiB) (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2:1 bytes=0B|tcp-stream: bytes=0B is less than 1B (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2:1 bytes=0.5B|tcp-stream: bytes=0.5B is not a whole number of bytes (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2:1 duration=0s|tcp-stream: duration=0s must be longer than zero (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2:1 user-timeout=5|tcp-stream: user-timeout=5 has no unit; write it with one, e.g. user-timeout=5s or user-timeout=5ms (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-stream 10.0.0.2:1 size=1KiB|tcp-stream: unknown option 'size' (expected bytes, duration, user-timeout) (usage: " + Workloads.TCP_STREAM_USAGE + ")",
      "tcp-sink|tcp-sink: missing PORT (usage: tcp-sink PORT)",
      "tcp-sink 70000|tcp-sink: PORT 70000 is not a port 1-65535 (usage: tcp-sink PORT)",
      "tcp-sink 5001 bytes=1MB|tcp-sink: unknown option 'bytes' (expected none) (usage: tcp-sink PORT)",
      "tcp-rr 10.0.0.2|tcp-rr: HOST:PORT '10.0.0.2' has no ':PORT' (usage: " + Workloads.TCP_RR_USAGE + ")",
      "tcp-rr 10.0.0.2:7 size=0B|tcp-rr: size=0B is less than 1B (usage: " + Workloads.TCP_RR_USAGE + ")",
      "tcp-rr 10.0.0.2:7 size=2MiB|tcp-rr: size=2MiB is more than 1048576B (usage: " + Workloads.TCP_RR_USAGE + ")",
      "tcp-rr 10.0.0.2:7 rate=10|tcp-rr: rate=10 has no unit; write it with one, e.g. rate=10/s (usage: " + Workloads.TCP_RR_USAGE + ")",
      "tcp-rr 10.0.0.2:7 rate=fast|tcp-rr: rate='fast' is not a rate in transactions per second (like 300/s) (usage: " + Workloads.TCP_RR_USAGE + ")",
      "tcp-rr 10.0.0.2:7 count=0|tcp-rr: count=0 must be at least 1 (usage: " + Workloads.TCP_RR_USAGE + ")",
      "tcp-rr 10.0.0.2:7 interval=1s|tcp-rr: unknown option 'interval' (expected count, duration, rate, size, user-timeout) (usage: " + Workloads.TCP_RR_USAGE + ")",
      "tcp-echo|tcp-echo: missing PORT (usage: tcp-echo PORT)",
      "tcp-echo x|tcp-echo: PORT 'x' is not a whole number (usage: tcp-echo PORT)",
      "http-serve|http-serve: missing PORT (usage: " + Workloads.HTTP_SERVE_USAGE + ")",
      "http-serve 80 size=2GiB|http-serve: size=2GiB is more than 1073741824B (usage: " + Workloads.HTTP_SERVE_USAGE + ")",
      "http-serve 80 size=1000|http-serve: size=1000 has no unit; write it with one, e.g. size=1000B or size=1000MB (usage: " + Workloads.HTTP_SERVE_USAGE + ")",
      "http-serve 80 count=1|http-serve: unknown option 'count' (expected size) (usage: " + Workloads.HTTP_SERVE_USAGE + ")",
      "http-get|http-get: missing URL (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get 10.0.0.2|http-get: URL '10.0.0.2' is not http://HOST[:PORT][/PATH] (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get https://10.0.0.2/|http-get: URL 'https://10.0.0.2/' is not http://HOST[:PORT][/PATH] (https is not supported) (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://example.com/|http-get: HOST 'example.com' is not an IPv4 address (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http:///x|http-get: URL 'http:///x' has no HOST (http://HOST[:PORT][/PATH]) (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://u@10.0.0.2/|http-get: URL 'http://u@10.0.0.2/' has no HOST (http://HOST[:PORT][/PATH]) (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://10.0.0.2:99999/|http-get: PORT 99999 is not a port 1-65535 (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://10.0.0.2:/|http-get: PORT '' is not a whole number (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://10.0.0.2/\u00e9|http-get: URL 'http://10.0.0.2/\u00e9' has a character a request target cannot carry (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://10.0.0.2/ count=0|http-get: count=0 must be at least 1 (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://10.0.0.2/ interval=1|http-get: interval=1 has no unit; write it with one, e.g. interval=1s or interval=1ms (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://10.0.0.2/ size=1B|http-get: unknown option 'size' (expected count, interval, user-timeout) (usage: " + Workloads.HTTP_GET_USAGE + ")",
      "http-get http://10.0.0.2/ http://10.0.0.3/|http-get: unexpected 'http://10.0.0.3/' (usage: " + Workloads.HTTP_GET_USAGE + ")",
  })
  void errorsNameTheBadWord(String spec, String message) {
    WorkloadSyntaxException e = assertThrows(WorkloadSyntaxException.class, () -> Workloads.parse(spec));
    assertEquals(message, e.getMessage());
  }
}
