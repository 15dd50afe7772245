package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.experiment.Experiment.Fleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExperimentLoaderTest {
  private static final String NET = "networks { lan { type = switch, ports = [\"socket,id=e1,listen=127.0.0.1:20001\"] } }\n";

  private static List<ValidationError> errors(String text) {
    ExperimentException e = assertThrows(ExperimentException.class,
        () -> ExperimentLoader.parse(text, "t.conf"));
    return e.errors();
  }

  private static ValidationError only(String text) {
    List<ValidationError> errors = errors(text);
    assertEquals(1, errors.size(), errors.toString());
    return errors.get(0);
  }

  @Test
  void theQuickstartExampleIsValidAndAllocatesAddressesAndMacs() throws Exception {
    Experiment e = ExperimentLoader.load(Path.of("examples/quickstart.conf"));
    assertEquals("quickstart", e.name());
    assertEquals(42, e.seed());
    assertEquals(Duration.ofSeconds(30), e.duration());
    assertEquals(4, e.vmCount());
    Fleet web = e.fleets().get("web");
    assertEquals(List.of("web-1", "web-2", "web-3"),
        web.vms().stream().map(Experiment.Vm::name).collect(Collectors.toList()));
    assertEquals("10.0.0.2", web.vms().get(0).nics().get(0).ip().get().address().toString());
    assertEquals("10.0.0.4", web.vms().get(2).nics().get(0).ip().get().address().toString());
    assertEquals(24, web.vms().get(2).nics().get(0).ip().get().prefixLength());
    Set<String> macs = new HashSet<>();
    e.fleets().values().forEach(f -> f.vms().forEach(v -> macs.add(v.nics().get(0).mac())));
    assertEquals(4, macs.size());
    assertTrue(macs.stream().allMatch(m -> m.startsWith("52:54:00:")), macs.toString());
    assertEquals(3, e.fleets().get("pinger").workloads().size());
    Experiment.Fault f = e.faults().get(0);
    assertEquals(Duration.ofSeconds(10), f.at());
    assertEquals(Duration.ofSeconds(5), f.duration().get());
    assertEquals("latency", f.kind());
    assertEquals(java.util.Optional.of("web-2"), f.target());
    assertEquals(Duration.ofMillis(50), ((io.fleetsim.fault.LatencyFault) f.fault()).delay());
    assertEquals(io.fleetsim.fault.Direction.BOTH, f.direction());
    assertEquals(Experiment.NetworkType.SWITCH, e.networks().get("lan").type());
  }

  @Test
  void defaultsComeFromReferenceConf() throws Exception {
    Experiment e = ExperimentLoader.parse("name = a\nduration = 1s\n" + NET
        + "vms { x { network = lan, dhcp = true } }", "t.conf");
    assertEquals(1, e.seed());
    assertEquals(1, e.fleets().get("x").count());
    assertEquals("x", e.fleets().get("x").vms().get(0).name());
    assertTrue(e.fleets().get("x").vms().get(0).nics().get(0).ip().isEmpty());
    assertEquals("52:54:00:00:00:01", e.fleets().get("x").vms().get(0).nics().get(0).mac());
  }

  @Test
  void anUnknownKeyIsNamedWithItsLine() {
    ValidationError e = only("name = a\nduration = 1s\nnetwroks {}\n");
    assertEquals("netwroks", e.path());
    assertEquals(3, e.line());
    assertTrue(e.message().contains("unknown key 'netwroks'"), e.message());
    assertTrue(e.message().contains("did you mean 'networks'"), e.message());
    assertTrue(e.toString().startsWith("t.conf:3: netwroks: unknown key"), e.toString());
  }

  @Test
  void anUnknownKeyInsideAVmIsNamed() {
    ValidationError e = only("name = a\nduration = 1s\n" + NET
        + "vms {\n  x {\n    network = lan\n    dhcp = true\n    cpus = 2\n  }\n}\n");
    assertEquals("vms.x.cpus", e.path());
    assertEquals(8, e.line());
  }

  @Test
  void aWrongUnitAndAWrongTypeAreRephrasedWithThePath() {
    List<ValidationError> errors = errors("name = a\nduration = 5 fortnights\nseed = abc\n");
    assertEquals(2, errors.size(), errors.toString());
    assertEquals("duration", errors.get(0).path());
    assertEquals(2, errors.get(0).line());
    assertTrue(errors.get(0).message().contains("fortnights"), errors.get(0).message());
    assertEquals("seed", errors.get(1).path());
    assertTrue(errors.get(1).message().contains("expected number, got string"), errors.get(1).message());
    assertTrue(errors.stream().noneMatch(x -> x.toString().contains("Exception")), errors.toString());
  }

  @Test
  void anUnknownNetworkIsNamed() {
    ValidationError e = only("name = a\nduration = 1s\n" + NET + "vms { x { network = wan, dhcp = true } }");
    assertEquals("vms.x.network", e.path());
    assertEquals(4, e.line());
    assertTrue(e.message().contains("unknown network 'wan'"), e.message());
  }

  @Test
  void anUnknownFaultTargetAndKindAreNamed() {
    List<ValidationError> errors = errors("name = a\nduration = 20s\n" + NET
        + "vms { x { network = lan, dhcp = true } }\n"
        + "faults = [\n  { at = 1s, kind = latency, target = y, delay = 1ms }\n  { at = 1s, kind = slow, target = lan }\n]\n");
    assertEquals(2, errors.size(), errors.toString());
    assertEquals("faults[0].target", errors.get(0).path());
    assertEquals(6, errors.get(0).line());
    assertTrue(errors.get(0).message().contains("unknown target 'y'"));
    assertEquals("faults[1].kind", errors.get(1).path());
    assertTrue(errors.get(1).message().contains("unknown fault kind 'slow'"));
  }

  @Test
  void faultTimesMustLieWithinTheDuration() {
    List<ValidationError> errors = errors("name = a\nduration = 20s\n" + NET
        + "vms { x { network = lan, dhcp = true } }\n"
        + "faults = [ { at = 25s, kind = crash, target = x }, { at = 10s, for = 15s, kind = pause, target = x },"
        + " { at = 1s, every = banana, kind = loss, target = lan, probability = 0.1 } ]\n");
    assertEquals(3, errors.size(), errors.toString());
    assertEquals("faults[0].at", errors.get(0).path());
    assertEquals("faults[1]", errors.get(1).path());
    assertTrue(errors.get(1).message().contains("at 10s + for 15s ends at 25s"), errors.get(1).message());
    assertEquals("faults[2].every", errors.get(2).path());
  }

  @Test
  void twoPortsListeningOnOneAddressOverlap() {
    ValidationError e = only("name = a\nduration = 1s\nnetworks {\n"
        + "  a { type = hub, ports = [\"socket,id=p1,listen=127.0.0.1:20001\"] }\n"
        + "  b { type = hub, ports = [\"socket,id=p2,listen=:20001\"] }\n}\n");
    assertEquals("networks.b.ports[0]", e.path());
    assertEquals(5, e.line());
    assertTrue(e.message().contains("overlapping ports"), e.message());
  }

  @Test
  void aNetdevIdUsedTwiceIsAnError() {
    ValidationError e = only("name = a\nduration = 1s\nnetworks {\n"
        + "  a { type = hub, ports = [\"socket,id=p1,listen=127.0.0.1:20001\"] }\n"
        + "  b { type = switch, ports = [\"socket,id=p1,connect=127.0.0.1:20002\"] }\n}\n");
    assertEquals("networks.b.ports[0]", e.path());
    assertTrue(e.message().contains("duplicate netdev id 'p1'"), e.message());
  }

  @Test
  void aCidrTooSmallForTheFleetSaysHowManyItHolds() {
    ValidationError e = only("name = a\nduration = 1s\n" + NET
        + "vms {\n  web {\n    count = 5\n    network = lan\n    ip = \"10.0.0.0/30\"\n  }\n}\n");
    assertEquals("t.conf:8: vms.web.ip: 10.0.0.0/30 holds 2 host addresses, the fleet needs 5",
        e.toString());
  }

  @Test
  void overlappingAddressesAcrossFleetsAreAnError() {
    ValidationError e = only("name = a\nduration = 1s\n" + NET
        + "vms { a { network = lan, ip = \"10.0.0.0/24\", count = 2 }, b { network = lan, ip = \"10.0.0.2/24\" } }\n");
    assertEquals("vms.b.ip", e.path());
    assertTrue(e.message().contains("already allocated to a-2"), e.message());
  }

  @Test
  void aBadWorkloadCarriesTheWorkloadParsersMessage() {
    ValidationError e = only("name = a\nduration = 1s\n" + NET
        + "vms { x {\n network = lan, dhcp = true\n workloads = [\"ping 10.0.0.1\",\n \"fly away\"] } }\n");
    assertEquals("vms.x.workloads[1]", e.path());
    assertEquals(7, e.line());
    assertTrue(e.message().contains("fly"), e.message());
  }

  @Test
  void aBadPortStringCarriesQemusMessage() {
    ValidationError e = only("name = a\nduration = 1s\nnetworks { a { type = hub, ports = [\"socket,listen=127.0.0.1:1\"] } }\n");
    assertEquals("networks.a.ports[0]", e.path());
    assertEquals(3, e.line());
    assertTrue(e.message().contains("Parameter 'id' is missing"), e.message());
  }

  @Test
  void missingNameAndDurationAreBothReported() {
    List<ValidationError> errors = errors("seed = 3\n");
    Set<String> paths = errors.stream().map(ValidationError::path).collect(Collectors.toSet());
    assertEquals(Set.of("name", "duration"), paths, errors.toString());
    assertTrue(errors.get(0).message().contains("missing"));
  }

  @Test
  void everyErrorIsReportedAtOnceInLineOrder() {
    List<ValidationError> errors = errors("name = \"Bad Name\"\nduration = 0s\nnetwroks {}\n" + NET
        + "vms { w { network = nope, ip = \"10.0.0.0/31\", count = 3, workloads = [\"zz\"] } }\n"
        + "faults = [ { at = 1s, kind = latency, target = ghost } ]\n");
    Set<String> paths = errors.stream().map(ValidationError::path).collect(Collectors.toSet());
    assertTrue(paths.containsAll(Set.of("name", "duration", "netwroks", "vms.w.network", "vms.w.ip",
        "vms.w.workloads[0]", "faults[0].target")), errors.toString());
    for (int i = 1; i < errors.size(); i++) {
      assertTrue(errors.get(i - 1).line() <= errors.get(i).line(), errors.toString());
    }
  }

  @Test
  void aSyntaxErrorIsOneErrorWithItsLine() {
    ValidationError e = only("name = a\nduration = 1s\nvms { x {\n");
    assertTrue(e.line() > 0, e.toString());
    assertTrue(!e.toString().contains("Exception"), e.toString());
  }

  @Test
  void networkOrNetdevExactlyOne() {
    List<ValidationError> errors = errors("name = a\nduration = 1s\n" + NET
        + "vms { x { dhcp = true }, y { dhcp = true, network = lan, netdev = \"socket,id=n,connect=127.0.0.1:1\" } }\n");
    assertEquals(2, errors.size(), errors.toString());
  }
}
