package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.fault.Direction;
import io.fleetsim.fault.FaultRegistry;
import io.fleetsim.fault.LatencyFault;
import io.fleetsim.fault.LinkDownFault;
import io.fleetsim.fault.LossFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A fault posted to a running experiment, hub or switch: read and checked as a file's is. */
class FaultRequestsTest {
  private static final String HEAD = "name = a\nduration = 60s\n"
      + "networks {\n"
      + "  lan { type = switch, ports = [\"socket,id=e1,listen=127.0.0.1:20001\"] }\n"
      + "  lab { type = hub }\n"
      + "}\n"
      + "links { wan { between = [lan, lab] } }\n"
      + "vms {\n  web { count = 3, network = lan, ip = \"10.0.0.2/24\" }\n"
      + "  pinger { network = lab, ip = \"10.0.1.1/24\" }\n}\n";
  private static final FaultScope RUN = FaultScope.of(experiment(HEAD));
  private static final FaultScope SWITCH = FaultScope.ofFabric(Set.of("switch-0"),
      Set.of("q1", "q2"));

  private static Experiment experiment(String text) {
    try {
      return ExperimentLoader.parse(text, "t.conf");
    } catch (ExperimentException e) {
      throw new AssertionError(e.errors().toString());
    }
  }

  private static Experiment.Fault ok(String json, FaultScope scope) {
    FaultRequests.Result r = FaultRequests.read(json, scope);
    assertEquals(List.of(), r.errors());
    return r.fault().orElseThrow();
  }

  private static List<ValidationError> errors(String json, FaultScope scope) {
    FaultRequests.Result r = FaultRequests.read(json, scope);
    assertEquals(Optional.empty(), r.fault(), "a fault and errors: " + r);
    assertFalse(r.errors().isEmpty(), "no fault and no error");
    r.errors().forEach(e -> assertEquals(-1, e.line(), e.toString()));
    return r.errors();
  }

  private static ValidationError only(String json, FaultScope scope) {
    List<ValidationError> errors = errors(json, scope);
    assertEquals(1, errors.size(), errors.toString());
    return errors.get(0);
  }

  /** The body's one error: at the empty path, in plain words. */
  private static String bodyError(String json) {
    ValidationError e = only(json, RUN);
    assertEquals("", e.path(), e.toString());
    for (String internal : List.of("com.", "fasterxml", "typesafe", "Exception", "Source",
        "REDACTED", "`", "code ", "Feature", "CTRL")) {
      assertFalse(e.message().contains(internal), e.message());
    }
    return e.message();
  }

  @Test
  void aLatencyBodyIsTheFaultItSaysStartingNow() {
    Experiment.Fault f = ok("{\"kind\": \"latency\", \"target\": \"web-1\", \"delay\": \"50ms\","
        + " \"direction\": \"in\", \"for\": \"10s\"}", RUN);
    assertEquals(Duration.ZERO, f.at());
    assertEquals(Optional.of(Duration.ofSeconds(10)), f.duration());
    assertEquals(Optional.empty(), f.every());
    assertEquals("latency", f.kind());
    assertEquals(Optional.of("web-1"), f.target());
    assertEquals(Direction.IN, f.direction());
    assertEquals(new LatencyFault(Duration.ofMillis(50), Duration.ZERO,
        LatencyFault.Distribution.NORMAL), f.fault());
  }

  @Test
  void aLossBodyTakesTheFilesDefaults() {
    Experiment.Fault f = ok("{\"kind\": \"loss\", \"target\": \"web\", \"probability\": 0.1}", RUN);
    assertEquals(Duration.ZERO, f.at());
    assertEquals(Optional.empty(), f.duration());
    assertEquals(Optional.of("web"), f.target());
    assertEquals(Direction.BOTH, f.direction());
    assertEquals(LossFault.random(0.1), f.fault());
  }

  @Test
  void malformedJsonIsOneErrorAboutTheBody() {
    assertTrue(bodyError("{\"kind\": \"loss\",").startsWith("the body is not a JSON object: "));
    assertTrue(bodyError("{kind: \"loss\"}").startsWith("the body is not a JSON object: "));
    assertTrue(bodyError("{\"kind\": 'loss'}").startsWith("the body is not a JSON object: "));
    assertTrue(bodyError("// no\n{\"kind\": \"loss\"}")
        .startsWith("the body is not a JSON object: "));
    assertTrue(bodyError("{\"probability\": NaN}").startsWith("the body is not a JSON object: "));
    assertTrue(bodyError("{\"kind\": \"\t\"}").startsWith("the body is not a JSON object: "));
    String open = bodyError("{\"groups\": [[\"a\"]");
    assertTrue(open.contains("(opened at line 1, column 12) at line 1, column 18"), open);
    String twice = bodyError("{\"kind\": \"loss\", \"kind\": \"latency\"}");
    assertEquals("the body is not a JSON object: Duplicate field 'kind' at line 1, column 24", twice);
    String more = bodyError("{\"kind\": \"loss\"} {\"kind\": \"latency\"}");
    assertTrue(more.contains("more follows the object at line 1, column 18"), more);
  }

  @Test
  void anythingButAnObjectIsRefused() {
    assertEquals("the body is not a JSON object: it is an array",
        bodyError("[{\"kind\": \"loss\", \"target\": \"web\", \"probability\": 0.1}]"));
    assertEquals("the body is not a JSON object: it is a string", bodyError("\"loss\""));
    assertEquals("the body is not a JSON object: it is a number", bodyError("42"));
    assertEquals("the body is not a JSON object: it is null", bodyError("null"));
  }

  @Test
  void anEmptyBodyIsRefused() {
    assertTrue(bodyError("").startsWith("the body is empty; expected a JSON object"));
    assertTrue(bodyError(" \n ").startsWith("the body is empty"));
  }

  @Test
  void anUnknownKindListsTheKinds() {
    ValidationError e = only("{\"kind\": \"jitter\", \"target\": \"web\"}", RUN);
    assertEquals("kind", e.path());
    assertEquals("unknown fault kind 'jitter' (expected one of: "
        + String.join(", ", FaultRegistry.ALL.names()) + ")", e.message());
  }

  @Test
  void badUnitsAreNamedByTheirKey() {
    ValidationError parsecs = only("{\"kind\": \"latency\", \"target\": \"web-1\","
        + " \"delay\": \"5 parsecs\"}", RUN);
    assertEquals("delay", parsecs.path());
    assertTrue(parsecs.message().contains("parsecs"), parsecs.message());
    ValidationError bare = only("{\"kind\": \"latency\", \"target\": \"web-1\", \"delay\": 50}",
        RUN);
    assertEquals("delay", bare.path());
    assertTrue(bare.message().contains("50 has no unit"), bare.message());
    ValidationError probability = only("{\"kind\": \"loss\", \"target\": \"web\","
        + " \"probability\": 2}", RUN);
    assertEquals("probability", probability.path());
    assertTrue(probability.message().contains("2"), probability.message());
  }

  @Test
  void anUnknownTargetSaysWhatItIsNot() {
    ValidationError e = only("{\"kind\": \"loss\", \"target\": \"ghost\", \"probability\": 0.1}",
        RUN);
    assertEquals("target", e.path());
    assertEquals("unknown target 'ghost' (not a vm, fleet, network, network port or link of this"
        + " experiment)", e.message());
  }

  @Test
  void aTargetOfTheWrongSortIsRefused() {
    ValidationError e = only("{\"kind\": \"crash\", \"target\": \"lan\"}", RUN);
    assertEquals("target", e.path());
    assertEquals("'lan' is a network; crash needs a vm or fleet", e.message());
  }

  @Test
  void atIsRefused() {
    ValidationError e = only("{\"at\": \"1s\", \"kind\": \"loss\", \"target\": \"web\","
        + " \"probability\": 0.1}", RUN);
    assertEquals("at", e.path());
    assertEquals("an API fault starts when it is posted; leave out at", e.message());
    assertEquals("at", only("{\"at\": null, \"kind\": \"crash\", \"target\": \"web\"}", RUN)
        .path());
  }

  @Test
  void forMustEndByTheEndOfTheRun() {
    FaultScope left = RUN.withRemaining(Duration.ofSeconds(5));
    ValidationError e = only("{\"kind\": \"crash\", \"target\": \"web\", \"for\": \"10s\"}", left);
    assertEquals("for", e.path());
    assertEquals("for 10s is longer than the 5s left in the run", e.message());
    assertEquals(Optional.of(Duration.ofSeconds(5)),
        ok("{\"kind\": \"crash\", \"target\": \"web\", \"for\": \"5s\"}", left).duration());
    assertEquals("for", only("{\"kind\": \"crash\", \"target\": \"web\", \"for\": \"0s\"}", left)
        .path());
  }

  @Test
  void everyRepeatsWithinTheTimeLeft() {
    FaultScope left = RUN.withRemaining(Duration.ofSeconds(10));
    Experiment.Fault f = ok("{\"kind\": \"link-down\", \"target\": \"web-1\", \"for\": \"1s\","
        + " \"every\": \"3s\"}", left);
    assertEquals(Optional.of(Duration.ofSeconds(3)), f.every());
    assertEquals(Optional.of(Duration.ofSeconds(1)), f.duration());
    ValidationError e = only("{\"kind\": \"link-down\", \"target\": \"web-1\", \"for\": \"1s\","
        + " \"every\": \"20s\"}", left);
    assertEquals("every", e.path());
    assertEquals("every 20s is longer than the 10s left in the run, so the fault would never"
        + " repeat", e.message());
    assertEquals("for", only("{\"kind\": \"link-down\", \"target\": \"web-1\", \"for\": \"3s\","
        + " \"every\": \"3s\"}", left).path());
  }

  @Test
  void anUnknownKeyGetsADidYouMean() {
    ValidationError e = only("{\"kind\": \"latency\", \"target\": \"web-1\", \"delay\": \"1ms\","
        + " \"jiter\": \"2ms\"}", RUN);
    assertEquals("jiter", e.path());
    assertTrue(e.message().contains("did you mean 'jitter'"), e.message());
    // at is no key of a posted fault, so it is not suggested
    ValidationError att = only("{\"kind\": \"crash\", \"target\": \"web\", \"att\": \"1s\"}", RUN);
    assertEquals("att", att.path());
    assertEquals("unknown key 'att' (expected one of: every, for, kind, target)", att.message());
  }

  @Test
  void everyErrorOfABodyIsReportedAtOnce() {
    List<ValidationError> errors = errors("{\"kind\": \"latency\", \"target\": \"web-1\","
        + " \"delay\": \"5 parsecs\", \"direction\": \"sideways\", \"for\": \"-1s\"}", RUN);
    List<String> paths = new ArrayList<>();
    errors.forEach(e -> paths.add(e.path()));
    assertEquals(List.of("for", "direction", "delay"), paths, errors.toString());
  }

  @Test
  void aSwitchTakesFrameFaultsAndLinkDownOnItsPortsAndNetworks() {
    Experiment.Fault loss = ok("{\"kind\": \"loss\", \"target\": \"q1\", \"probability\": 0.5,"
        + " \"direction\": \"out\"}", SWITCH);
    assertEquals(Optional.of("q1"), loss.target());
    assertEquals(Direction.OUT, loss.direction());
    assertEquals(LossFault.random(0.5), loss.fault());
    assertEquals(Optional.of("switch-0"), ok("{\"kind\": \"latency\", \"target\": \"switch-0\","
        + " \"delay\": \"20ms\"}", SWITCH).target());
    Experiment.Fault down = ok("{\"kind\": \"link-down\", \"target\": \"q2\", \"for\": \"1000h\"}",
        SWITCH);
    assertEquals(new LinkDownFault(), down.fault());
    assertEquals(Optional.of(Duration.ofHours(1000)), down.duration());
  }

  @Test
  void aSwitchRefusesWhatNeedsAVm() {
    ValidationError crash = only("{\"kind\": \"crash\", \"target\": \"q1\"}", SWITCH);
    assertEquals("target", crash.path());
    assertEquals("'q1' is a network's socket port (netdev id); crash needs a vm or fleet",
        crash.message());
    ValidationError web = only("{\"kind\": \"crash\", \"target\": \"web\"}", SWITCH);
    assertEquals("unknown target 'web' (not a network or network port of this hub or switch;"
        + " networks: switch-0; ports: q1, q2)", web.message());
    List<ValidationError> partition = errors("{\"kind\": \"partition\","
        + " \"groups\": [[\"a\"], [\"b\"]]}", SWITCH);
    assertEquals(2, partition.size(), partition.toString());
    assertEquals("groups[0][0]", partition.get(0).path());
    assertEquals("unknown vm or fleet 'a' (there are no vms)", partition.get(0).message());
    assertEquals("groups[1][0]", partition.get(1).path());
  }

  /** Bodies without {@code at}: each as a request, and with {@code at} as a file's element. */
  private static final List<String> BAD = List.of(
      "{\"kind\": \"latency\", \"target\": \"web-1\", \"delay\": \"5 parsecs\"}",
      "{\"kind\": \"latency\", \"target\": \"web-1\"}",
      "{\"kind\": \"latency\", \"target\": \"web-1\", \"delay\": 50, \"jiter\": \"1ms\"}",
      "{\"kind\": \"loss\", \"target\": \"web\", \"probability\": 2}",
      "{\"kind\": \"loss\", \"target\": \"web\", \"model\": \"gilbert-elliott\", \"p\": 0.1}",
      "{\"kind\": \"loss\", \"target\": \"ghost\", \"probability\": 0.1}",
      "{\"kind\": \"teleport\", \"target\": \"web\"}",
      "{\"target\": \"web\"}",
      "{\"kind\": \"crash\", \"target\": \"wan\", \"fro\": \"1s\"}",
      "{\"kind\": \"crash\", \"target\": \"web\", \"direction\": \"in\"}",
      "{\"kind\": \"latency\", \"target\": \"e1\", \"delay\": \"1ms\", \"direction\": \"up\"}",
      "{\"kind\": \"partition\", \"groups\": [[\"web\"], [\"web-2\", \"ghost\"]]}",
      "{\"kind\": \"rate\", \"target\": \"lan\", \"rate\": \"fast\", \"queue\": \"0B\"}",
      "{\"kind\": \"reorder\", \"target\": \"pinger\", \"probability\": \"lots\"}",
      "{\"kind\": \"partition\", \"target\": \"web\", \"groups\": [[\"web\"], [\"pinger\"]]}");

  @Test
  void aFileWithTheSameElementGetsTheSameErrors() {
    for (String body : BAD) {
      String element = "{\"at\": \"1s\", " + body.substring(1);
      List<ValidationError> file;
      try {
        ExperimentLoader.parse(HEAD + "faults = [\n" + element + "\n]\n", "t.conf");
        throw new AssertionError("the file took " + element);
      } catch (ExperimentException e) {
        file = e.errors();
      }
      List<String> asFile = new ArrayList<>();
      // the one difference: a request's keys are listed without at
      file.forEach(e -> asFile.add(e.path() + ": " + e.message()
          .replace("(expected one of: at, ", "(expected one of: ")));
      List<String> asRequest = new ArrayList<>();
      errors(body, RUN).forEach(e -> asRequest.add((e.path().isEmpty() ? "faults[0]"
          : "faults[0]." + e.path()) + ": " + e.message()));
      assertEquals(asFile, asRequest, body);
    }
  }

  @Test
  void aFileTakesLinkDownOnAPort() {
    Experiment e = experiment(HEAD + "faults = [\n"
        + "  { at = 1s, for = 2s, kind = link-down, target = e1 }\n"
        + "  { at = 4s, kind = link-down, target = web-1 }\n"
        + "  { at = 5s, kind = link-down, target = wan }\n"
        + "]\n");
    assertEquals(List.of(Optional.of("e1"), Optional.of("web-1"), Optional.of("wan")),
        e.faults().stream().map(Experiment.Fault::target).toList());
    assertEquals(new LinkDownFault(), e.faults().get(0).fault());
    assertEquals(Direction.BOTH, e.faults().get(0).direction());
    ValidationError lan = only("{\"kind\": \"link-down\", \"target\": \"lan\"}", RUN);
    assertEquals("'lan' is a network; link-down needs a vm or fleet or a network's socket port"
        + " (netdev id) or a link between networks", lan.message());
  }

  @Test
  void aScopeNamesWhatItsExperimentNames() {
    assertEquals(Map.of("web", List.of("web-1", "web-2", "web-3"), "web-1", List.of("web-1"),
        "web-2", List.of("web-2"), "web-3", List.of("web-3"), "pinger", List.of("pinger")),
        RUN.vmsOf());
    assertEquals(Set.of("lan", "lab"), RUN.networks());
    assertEquals(Set.of("e1"), RUN.ports());
    assertEquals(Set.of("wan"), RUN.links());
    assertEquals(Optional.of(Duration.ofSeconds(60)), RUN.remaining());
    assertEquals(Map.of(), SWITCH.vmsOf());
    assertEquals(Set.of(), SWITCH.links());
    assertEquals(Optional.empty(), SWITCH.remaining());
    assertEquals(Optional.of(Duration.ofSeconds(3)),
        SWITCH.withRemaining(Duration.ofSeconds(3)).remaining());
  }
}
