package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadsTest {
  @Test
  void pingDefaults() {
    PingWorkload p = (PingWorkload) Workloads.parse("ping 10.0.2.2");
    assertEquals(new PingWorkload(Ipv4Address.parse("10.0.2.2"), OptionalLong.empty(),
        Duration.ofSeconds(1), 56), p);
    assertFalse(p.finite());
    assertEquals("ping 10.0.2.2 interval=1s size=56B", p.describe());
    assertEquals(p, Workloads.parse(p.describe()), "describe() parses back");
  }

  @Test
  void pingWithEverything() {
    PingWorkload p = (PingWorkload) Workloads.parse("  ping 10.0.0.1   count=5 interval=0.2s size=0B ");
    assertEquals(OptionalLong.of(5), p.count());
    assertEquals(Duration.ofMillis(200), p.interval());
    assertEquals(0, p.size());
    assertTrue(p.finite());
    assertEquals("ping 10.0.0.1 count=5 interval=200ms size=0B", p.describe());
    assertEquals(p, Workloads.parse(p.describe()), "describe() parses back");
  }

  @Test
  void udpSend() {
    UdpSendWorkload u = (UdpSendWorkload) Workloads.parse(
        "udp-send 10.0.0.2:9000 rate=2500.5/s size=1472B duration=1.5s count=10");
    assertEquals(new UdpSendWorkload(Ipv4Address.parse("10.0.0.2"), 9000, 2500.5, 1472,
        Optional.of(Duration.ofMillis(1500)), OptionalLong.of(10)), u);
    assertEquals(u, Workloads.parse(u.describe()));
    UdpSendWorkload d = (UdpSendWorkload) Workloads.parse("udp-send 10.0.0.2:9000");
    assertEquals(100, d.rate());
    assertEquals(64, d.size());
    assertFalse(d.finite());
    assertEquals("udp-send 10.0.0.2:9000 rate=100/s size=64B", d.describe());
    assertEquals(1024, ((UdpSendWorkload) Workloads.parse("udp-send 10.0.0.2:9 size=1KiB")).size());
  }

  @Test
  void sinkAndEcho() {
    assertEquals(new UdpSinkWorkload(9000), Workloads.parse("udp-sink 9000"));
    assertEquals(new EchoWorkload(7), Workloads.parse("echo 7"));
    assertFalse(Workloads.parse("echo 7").finite());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|empty workload (expected one of: ping, traceroute, udp-send, udp-sink, echo, tcp-stream, tcp-sink, tcp-rr, tcp-echo, http-serve, http-get, dhcp-server, app)",
      "pong 1.2.3.4|unknown workload 'pong' (expected one of: ping, traceroute, udp-send, udp-sink, echo, tcp-stream, tcp-sink, tcp-rr, tcp-echo, http-serve, http-get, dhcp-server, app)",
      "ping|ping: missing HOST (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping host.example|ping: HOST 'host.example' is not an IPv4 address (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 0.0.0.0|ping: HOST '0.0.0.0' is not an IPv4 address (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 5|ping: unexpected '5' (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 cnt=5|ping: unknown option 'cnt' (expected count, interval, size, ttl) (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 count=5 count=6|ping: option 'count' given twice (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 count=abc|ping: count='abc' is not a whole number (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 count=0|ping: count=0 must be at least 1 (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 interval=5x|ping: interval='5x' is not a duration (like 1s, 200ms, 0.5s) (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 interval=0s|ping: interval=0s must be longer than zero (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 interval=20|ping: interval=20 has no unit; write it with one, e.g. interval=20s or interval=20ms (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 size=56|ping: size=56 has no unit; write it with one, e.g. size=56B (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 size=56b|ping: size='56b' is not a size (like 1200B or 1KiB) (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "ping 1.2.3.4 size=1473B|ping: size=1473B is more than 1472B (one unfragmented packet) (usage: ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N])",
      "udp-send 10.0.0.2|udp-send: HOST:PORT '10.0.0.2' has no ':PORT' (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:70000|udp-send: PORT 70000 is not a port 1-65535 (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:x|udp-send: PORT 'x' is not a whole number (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0:9|udp-send: HOST '10.0.0' is not an IPv4 address (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:9 rate=300|udp-send: rate=300 has no unit; write it with one, e.g. rate=300/s (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:9 duration=10|udp-send: duration=10 has no unit; write it with one, e.g. duration=10s or duration=10ms (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:9 rate=1Mbit|udp-send: rate='1Mbit' is not a rate in datagrams per second (like 300/s) (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:9 rate=fast|udp-send: rate='fast' is not a rate in datagrams per second (like 300/s) (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:9 rate=0/s|udp-send: rate=0/s must be above 0/s and at most 10000000/s (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:9 size=10B|udp-send: size=10B is less than 20B (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-send 10.0.0.2:9 interval=1s|udp-send: unknown option 'interval' (expected count, duration, rate, size) (usage: udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N])",
      "udp-sink|udp-sink: missing PORT (usage: udp-sink PORT)",
      "udp-sink 0|udp-sink: PORT 0 is not a port 1-65535 (usage: udp-sink PORT)",
      "udp-sink 9000 9001|udp-sink: unexpected '9001' (usage: udp-sink PORT)",
      "echo 7 rate=1/s|echo: unknown option 'rate' (expected none) (usage: echo PORT)",
  })
  void errorsNameTheBadPart(String spec, String message) {
    WorkloadSyntaxException e = assertThrows(WorkloadSyntaxException.class,
        () -> Workloads.parse(spec));
    assertEquals(message, e.getMessage());
  }

  @Test
  void durations() {
    assertEquals(Optional.of(Duration.ofSeconds(1)), Durations.parse("1s"));
    assertEquals(Optional.of(Duration.ofMillis(200)), Durations.parse("200ms"));
    assertEquals(Optional.of(Duration.ofMillis(500)), Durations.parse("0.5s"));
    assertEquals(Optional.of(Duration.ofNanos(10_000)), Durations.parse("10us"));
    assertEquals(Optional.of(Duration.ofMinutes(2)), Durations.parse("2m"));
    assertEquals(Optional.of(Duration.ofHours(1)), Durations.parse("1h"));
    for (String bad : new String[] {"1", "s", "-1s", "1.s", ".5s", "1 s", "1sec", "1e3ms", ""}) {
      assertTrue(Durations.parse(bad).isEmpty(), bad);
    }
    assertEquals("1.5s", DurationText.human(Duration.ofMillis(1500)));
    assertEquals("250us", DurationText.human(Duration.ofNanos(250_000)));
    assertEquals("120s", DurationText.human(Duration.ofMinutes(2)));
  }
}
