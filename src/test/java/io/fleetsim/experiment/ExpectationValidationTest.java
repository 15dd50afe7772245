package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetsim.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expect} in experiment files: each bad expectation named by its path and line. */
class ExpectationValidationTest {
  private static final String HEAD = """
      name = a
      duration = 10s
      networks { lan { type = switch } }
      vms {
      """;

  private static List<String> errors(String vms) {
    return assertThrows(ExperimentException.class,
        () -> ExperimentLoader.parse(HEAD + vms + "}\n", "t.conf")).errors().stream()
        .map(ValidationError::toString).toList();
  }

  @Test
  void eachBadExpectationIsOneLineWithItsPathAndLine() {
    List<String> errors = errors("""
          a { network = lan, ip = "10.0.0.1/24", workloads = [
            { run = "ping 10.0.0.2", expect = [
              "loss < 5"
              "rtt-p99 < 200"
              "rtt-p99 < 200%"
              "received >= 10ms"
              "received >= 1.5"
              "loss => 5%"
              "loss 5%"
              "jitter < 5ms"
              "lost == 0"
              "loss < lots"
            ] }
          ] }
        """);
    String at = "t.conf:%d: vms.a.workloads[0].expect[%d]: ";
    assertEquals(List.of(
        at.formatted(7, 0) + "'loss < 5': loss is a percentage: give the unit % (e.g. loss < 5%)",
        at.formatted(8, 1) + "'rtt-p99 < 200': rtt-p99 is a time: give a unit, ns, us, ms or s (e.g. rtt-p99 < 200ms)",
        at.formatted(9, 2) + "'rtt-p99 < 200%': rtt-p99 is a time: '%' is not a time unit, ns, us, ms or s (e.g. rtt-p99 < 200ms)",
        at.formatted(10, 3) + "'received >= 10ms': received is a count: give a number without a unit (e.g. received >= 1000)",
        at.formatted(11, 4) + "'received >= 1.5': received is a count: give a whole number (e.g. received >= 1000)",
        at.formatted(12, 5) + "'loss => 5%': unknown comparison '=>' (use <, <=, >, >= or ==)",
        at.formatted(13, 6) + "'loss 5%': no comparison after loss (use <, <=, >, >= or ==)",
        at.formatted(14, 7) + "'jitter < 5ms': unknown metric 'jitter' (metrics: "
            + "transmitted (ping), received (ping, udp-sink), duplicates (ping, udp-sink)"
            + ", errors (ping, tcp-stream, tcp-sink, tcp-rr, tcp-echo, http-get)"
            + ", loss (ping, udp-sink), rtt-min (ping), rtt-mean (ping), rtt-p50 (ping)"
            + ", rtt-p90 (ping), rtt-p99 (ping), rtt-max (ping), reached (traceroute)"
            + ", hops (traceroute), sent (udp-send), dropped (udp-send"
            + ", echo), delayed (udp-send), lost (udp-sink), out-of-order (udp-sink)"
            + ", streams (udp-sink), echoed (echo), bytes-sent (tcp-stream, http-serve)"
            + ", bytes-acked (tcp-stream), acked (tcp-stream), goodput (tcp-stream, tcp-sink)"
            + ", retransmissions (tcp-stream, tcp-rr), timeouts (tcp-stream), bytes-received (tcp-sink)"
            + ", connections (tcp-sink, tcp-echo, http-serve, http-get), corrupt-bytes (tcp-sink)"
            + ", complete (tcp-sink), transactions (tcp-rr), transaction-rate (tcp-rr)"
            + ", latency-min (tcp-rr), latency-mean (tcp-rr), latency-p50 (tcp-rr)"
            + ", latency-p90 (tcp-rr), latency-p99 (tcp-rr), latency-max (tcp-rr)"
            + ", bytes-echoed (tcp-echo), requests (http-serve, http-get), responses (http-serve)"
            + ", bad-requests (http-serve), ok (http-get), failed (http-get), body-bytes (http-get)"
            + ", offers (dhcp-server), acks (dhcp-server), naks (dhcp-server), declines (dhcp-server)"
            + ", releases (dhcp-server), exhausted (dhcp-server), malformed (dhcp-server)"
            + ", leases (dhcp-server), refused (dhcp-server), succeeded (app))",
        at.formatted(15, 8) + "'lost == 0': ping has no metric lost (ping: transmitted, received, duplicates, errors, loss,"
            + " rtt-min, rtt-mean, rtt-p50, rtt-p90, rtt-p99, rtt-max)",
        at.formatted(16, 9) + "'loss < lots': 'lots' is not a number with a unit (e.g. loss < 5%)"), errors);
  }

  @Test
  void aFleetsExpectationMustFitOneOfItsWorkloads() {
    assertEquals(List.of("t.conf:6: vms.b.expect[0]: 'rtt-p99 < 1s': none of this fleet's workloads has"
        + " metric rtt-p99 (udp-sink: received, lost, loss, duplicates, out-of-order, streams)"),
        errors("""
          b { network = lan, ip = "10.0.0.2/24", workloads = ["udp-sink 9000"],
              expect = ["rtt-p99 < 1s", "loss < 1%"] }
        """));
    assertEquals(List.of("t.conf:5: vms.b.expect: expect without workloads: nothing to expect it of"),
        errors("""
          b { network = lan, ip = "10.0.0.2/24", expect = ["loss < 1%"] }
        """));
  }

  @Test
  void malformedEntriesAreNamed() {
    assertEquals(List.of(
        "t.conf:6: vms.a.workloads[0].exepct: unknown key 'exepct' (expected run, expect)",
        "t.conf:6: vms.a.workloads[0]: missing run (the workload's spec, e.g. run = \"ping 10.0.0.2\")",
        "t.conf:7: vms.a.workloads[1].expect: expected a list of expectations (METRIC OP VALUE, e.g."
            + " loss < 5%, rtt-p99 < 200ms, received >= 1000), got string \"loss < 5%\"",
        "t.conf:8: vms.a.workloads[2]: expected a workload spec string or { run = \"SPEC\", expect = [...] },"
            + " got list [\"ping 10.0.0.2\"]"),
        errors("""
          a { network = lan, ip = "10.0.0.1/24", workloads = [
            { exepct = ["loss < 5%"] }
            { run = "ping 10.0.0.2", expect = "loss < 5%" }
            ["ping 10.0.0.2"]
          ] }
        """));
  }

  @Test
  void validateAcceptsStringsObjectsAndFleetExpectations(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ok.conf");
    Files.writeString(f, HEAD + """
          ring { count = 3, network = lan, ip = "10.0.0.1/24", expect = ["loss < 5%"], workloads = [
            "ping {next} count=5"
            { run = "udp-send {prev}:9000 count=10", expect = [] }
            { run = "udp-sink 9000", expect = ["received>=10", "out-of-order == 0", "loss <= 0.5 %"] }
            { run = "ping {prev}", expect = ["rtt-p99 < 200ms", "rtt-max<1.5s", "duplicates == 0"] }
          ] }
        }
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true));
    int status;
    try {
      status = Main.run(new String[] {"validate", f.toString()});
    } finally {
      System.setOut(saved);
    }
    assertEquals(0, status);
    assertEquals(f + ": ok (3 vms in 1 fleet, 1 network, 0 faults)", out.toString().trim());
  }
}
