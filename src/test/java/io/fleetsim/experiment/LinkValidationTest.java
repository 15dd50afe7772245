package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.fault.Direction;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code links.NAME}: the reader, its defaults and every error it names with its line. */
class LinkValidationTest {
  /** Line 3 holds the networks, line 4 the link, line 5 the VMs, line 6 the faults. */
  private static String file(String link, String faults) {
    return "name = a\nduration = 10s\n"
        + "networks { a { type = switch }, b { type = switch }, c { type = hub } }\n"
        + "links { " + link + " }\n"
        + "vms { x { network = a, ip = \"10.0.0.1/24\" }, y { count = 2, network = b, ip = \"10.0.0.5/24\" } }\n"
        + "faults = [" + faults + "]\n";
  }

  private static List<String> errors(String text) {
    return assertThrows(ExperimentException.class, () -> ExperimentLoader.parse(text, "t.conf"))
        .errors().stream().map(ValidationError::toString).collect(Collectors.toList());
  }

  @Test
  void aLinkIsReadWithItsUnitsAndDefaults() throws Exception {
    Experiment e = ExperimentLoader.parse(file("wan { between = [a, b], latency = 40ms, jitter = 5ms,"
        + " rate = 10Mbit, loss = 0.1% }, lan2 { between = [b, c] }", ""), "t.conf");
    assertEquals(List.of("wan", "lan2"), List.copyOf(e.links().keySet()));
    Experiment.NetworkLink wan = e.links().get("wan");
    assertEquals(List.of("a", "b"), wan.between());
    assertEquals(Duration.ofMillis(40), wan.latency());
    assertEquals(Duration.ofMillis(5), wan.jitter());
    assertEquals(10_000_000L, wan.rateBitsPerSecond());
    assertEquals(0.001, wan.loss(), 1e-12);
    Experiment.NetworkLink plain = e.links().get("lan2");
    assertEquals(Duration.ZERO, plain.latency());
    assertEquals(Duration.ZERO, plain.jitter());
    assertEquals(1_000_000_000L, plain.rateBitsPerSecond());
    assertEquals(0.0, plain.loss());
  }

  @Test
  void betweenMustNameTwoDifferentKnownNetworks() {
    assertEquals(List.of("t.conf:4: links.wan.between[1]: unknown network 'z' (known:"
        + " a, b, c)"), errors(file("wan { between = [a, z] }", "")));
    assertEquals(List.of("t.conf:4: links.wan.between: links network 'a' to itself; a link joins"
        + " two networks"), errors(file("wan { between = [a, a] }", "")));
    assertEquals(List.of("t.conf:4: links.wan.between: a link is between exactly two networks,"
        + " not 3 [a, b, c]"), errors(file("wan { between = [a, b, c] }", "")));
    assertEquals(List.of("t.conf:4: links.wan.between: missing required key"),
        errors(file("wan { latency = 1ms }", "")));
  }

  @Test
  void aLinkNameMayNotNameANetworkFleetOrVm() {
    assertEquals(List.of("t.conf:4: links.c: link name 'c' is also the name of a network (fault"
        + " targets would be ambiguous)"), errors(file("c { between = [a, b] }", "")));
    assertEquals(List.of("t.conf:4: links.y: link name 'y' is also the name of a fleet (fault"
        + " targets would be ambiguous)"), errors(file("y { between = [a, b] }", "")));
    assertEquals(List.of("t.conf:4: links.y-2: link name 'y-2' is also the name of a vm (fault"
        + " targets would be ambiguous)"), errors(file("y-2 { between = [a, b] }", "")));
  }

  @Test
  void aLinkNameMayNotNameAPort() {
    String text = file("e1 { between = [a, b] }", "").replace("a { type = switch }",
        "a { type = switch, ports = [\"socket,id=e1,listen=127.0.0.1:20001\"] }");
    assertEquals(List.of("t.conf:4: links.e1: link name 'e1' is also the name of a network port"
        + " (netdev id) (fault targets would be ambiguous)"), errors(text));
  }

  @Test
  void linksMayNotCloseALoop() {
    // one link a line: the file's order decides which link closes the loop
    assertEquals(List.of("t.conf:4: links.w3.between: link 'w3' closes a loop: c and a are already"
        + " joined by links, and switches without a spanning tree would circle broadcasts for ever"),
        errors(file("w1 { between = [a, b] }\n w2 { between = [b, c] }\n w3 { between = [c, a] }",
            "").replace("vms {", "\n\nvms {")).stream().map(e -> e.replace("t.conf:6:", "t.conf:4:"))
            .collect(Collectors.toList()));
  }

  @Test
  void badQuantitiesAreErrorsNamingTheKey() {
    assertEquals(List.of("t.conf:4: links.wan.latency: 40 has no unit; write it with one, e.g. 40s"
        + " or 40ms"), errors(file("wan { between = [a, b], latency = 40 }", "")));
    assertEquals(List.of("t.conf:4: links.wan.jitter: jitter 5ms is more than the latency 1ms (each"
        + " frame's delay is latency +- jitter, which may not go below 0)"),
        errors(file("wan { between = [a, b], latency = 1ms, jitter = 5ms }", "")));
    assertEquals(List.of("t.conf:4: links.wan.loss: expected a percentage such as 0.1% or 2%, not"
        + " 0.1"), errors(file("wan { between = [a, b], loss = 0.1 }", "")));
    assertEquals(List.of("t.conf:4: links.wan.loss: must be 0% to 100%, not 150%"),
        errors(file("wan { between = [a, b], loss = 150% }", "")));
    assertEquals(List.of("t.conf:4: links.wan.rate: must be above 0 bit/s, not 0Mbit"),
        errors(file("wan { between = [a, b], rate = 0Mbit }", "")));
    List<String> unknown = errors(file("wan { between = [a, b], delay = 1ms }", ""));
    assertEquals(1, unknown.size(), unknown.toString());
    assertTrue(unknown.get(0).startsWith("t.conf:4: links.wan.delay: unknown key"), unknown.toString());
  }

  @Test
  void networksJoinedByALinkAreOneSegment() {
    // y-1 on b takes 10.0.0.5 and 10.0.0.6; x on a may not take 10.0.0.5 once a and b are linked
    String clash = "name = a\nduration = 10s\n"
        + "networks { a { type = switch }, b { type = switch } }\n"
        + "links { wan { between = [a, b] } }\n"
        + "vms { x { network = a, ip = \"10.0.0.5/24\" }, y { count = 2, network = b, ip = \"10.0.0.5/24\" } }\n";
    List<String> errs = errors(clash);
    assertEquals(1, errs.size(), errs.toString());
    assertTrue(errs.get(0).contains("10.0.0.5"), errs.toString());
    String apart = clash.replace("links { wan { between = [a, b] } }\n", "");
    assertEquals(2, assertEquals2(apart));
  }

  private static int assertEquals2(String text) {
    try {
      return ExperimentLoader.parse(text, "t.conf").fleets().size();
    } catch (ExperimentException e) {
      throw new AssertionError(e.errors().toString());
    }
  }

  @Test
  void faultsTargetALinkByNameAndVmOnlyKindsAreRefused() throws Exception {
    Experiment e = ExperimentLoader.parse(file("wan { between = [a, b] }",
        "{ at = 1s, for = 2s, kind = link-down, target = wan },"
            + " { at = 0s, kind = loss, target = wan, direction = out, probability = 0.1 }"), "t.conf");
    assertEquals("wan", e.faults().get(0).target().get());
    assertEquals(Direction.OUT, e.faults().get(1).direction());
    assertEquals(List.of("t.conf:6: faults[0].target: 'wan' is a link between networks; crash needs"
        + " a vm or fleet"), errors(file("wan { between = [a, b] }",
            "{ at = 1s, kind = crash, target = wan }")));
    List<String> disconnect = errors(file("wan { between = [a, b] }",
        "{ at = 1s, kind = disconnect, target = wan }"));
    assertEquals(1, disconnect.size(), disconnect.toString());
    assertTrue(disconnect.get(0).startsWith("t.conf:6: faults[0].target: 'wan' is a link between"
        + " networks; disconnect needs"), disconnect.toString());
  }
}
