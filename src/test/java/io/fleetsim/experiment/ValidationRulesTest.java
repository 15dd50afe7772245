package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What validation refuses and what it lets through: each rule with the message a user sees. */
class ValidationRulesTest {
  private static final String WEB = "name = a\nduration = 60s\nnetworks { lan { type = switch } }\n"
      + "vms { web { count = 3, network = lan, ip = \"10.0.0.1/24\" } }\n";

  private static List<String> errors(String text) {
    return assertThrows(ExperimentException.class, () -> ExperimentLoader.parse(text, "t.conf"))
        .errors().stream().map(ValidationError::toString).collect(Collectors.toList());
  }

  private static Experiment ok(String text) throws ExperimentException {
    return ExperimentLoader.parse(text, "t.conf");
  }

  private static String faults(String... elements) {
    return WEB + "faults = [\n" + String.join("\n", elements) + "\n]\n";
  }

  // ---- addresses: unique per L2 segment, not per experiment

  @Test
  void oneAddressOnTwoSeparateNetworksIsAllowed() throws Exception {
    Experiment e = ok("name = a\nduration = 1s\nnetworks { a { type = switch }, b { type = hub } }\n"
        + "vms { x { network = a, ip = \"10.0.0.1/24\" }, y { network = b, ip = \"10.0.0.1/24\" } }\n");
    assertEquals("10.0.0.1", e.fleets().get("x").vms().get(0).nics().get(0).ip().get().address().toString());
    assertEquals("10.0.0.1", e.fleets().get("y").vms().get(0).nics().get(0).ip().get().address().toString());
  }

  @Test
  void networksJoinedByTheirPortsAreOneSegment() {
    assertEquals(List.of("t.conf:9: vms.y.ip: address 10.0.0.1 of y is already allocated to x "
        + "(network a and network b are one L2 segment, joined by their sockets)"),
        errors("name = a\nduration = 1s\nnetworks {\n"
            + "  a { type = switch, ports = [\"socket,id=a-up,listen=:20001\"] }\n"
            + "  b { type = switch, ports = [\"socket,id=b-up,connect=127.0.0.1:20001\"] }\n}\n"
            + "vms {\n  x { network = a, ip = \"10.0.0.1/24\" }\n  y { network = b, ip = \"10.0.0.1/24\" }\n}\n"));
  }

  @Test
  void fleetsOnOneMulticastGroupAreOneSegment() throws Exception {
    String x = "x { netdev = \"socket,id=n1,mcast=230.0.0.1:1234\", ip = \"10.0.0.1/24\" }\n";
    assertEquals(List.of("t.conf:5: vms.y.ip: address 10.0.0.1 of y is already allocated to x "
        + "(netdev socket,id=n1,mcast=230.0.0.1:1234 and netdev socket,id=n2,mcast=230.0.0.1:1234 "
        + "are one L2 segment, joined by their sockets)"),
        errors("name = a\nduration = 1s\nvms {\n" + x
            + "y { netdev = \"socket,id=n2,mcast=230.0.0.1:1234\", ip = \"10.0.0.1/24\" }\n}\n"));
    ok("name = a\nduration = 1s\nvms {\n" + x
        + "y { netdev = \"socket,id=n2,mcast=230.0.0.2:1234\", ip = \"10.0.0.1/24\" }\n}\n");
  }

  @Test
  void aVmNeedsAnAddressOrDhcp() {
    assertEquals(List.of("t.conf:4: vms.x: missing ip (a CIDR such as 10.0.0.0/24) or dhcp = true"),
        errors("name = a\nduration = 1s\nnetworks { lan { type = switch } }\n"
            + "vms { x { network = lan, dhcp = false, workloads = [\"ping 10.0.0.2\"] } }\n"));
  }

  // ---- fault times

  @Test
  void aFaultEndingAfterTheRunSaysWhereItEnds() throws Exception {
    assertEquals(List.of(
        "t.conf:6: faults[0]: at 50s + for 20s ends at 70s, after the experiment's duration 60s",
        "t.conf:7: faults[1]: at 50s + for 70s ends at 120s, after the experiment's duration 60s",
        "t.conf:8: faults[2].every: every 90s is longer than the experiment's duration 60s, so the "
            + "fault would never repeat"),
        errors(faults("{ at = 50s, for = 20s, kind = pause, target = web-1 }",
            "{ at = 50s, for = 70s, kind = pause, target = web-2 }",
            "{ at = 1s, every = 90s, kind = pause, target = web-3 }")));
    ok(faults("{ at = 50s, for = 10s, kind = pause, target = web-1 }"));
  }

  // ---- crash, restart, pause, resume in order

  @Test
  void aCrashOfACrashedVmIsRefused() {
    assertEquals(List.of(
        "t.conf:7: faults[1]: crash of web-1 at 20s, but faults[0] crashed it at 10s and no "
            + "restart came between",
        "t.conf:9: faults[3]: crash of web-2 at 20s, but faults[2] crashed it at 10s until 25s"),
        errors(faults("{ at = 10s, kind = crash, target = web-1 }",
            "{ at = 20s, kind = crash, target = web }",
            "{ at = 10s, for = 15s, kind = crash, target = web-2 }",
            "{ at = 20s, kind = crash, target = web-2 }")));
  }

  @Test
  void aCrashAfterARestartOrAfterTheFirstCrashEndedIsAllowed() throws Exception {
    ok(faults("{ at = 10s, kind = crash, target = web-1 }",
        "{ at = 15s, kind = restart, target = web-1 }",
        "{ at = 20s, kind = crash, target = web-1 }",
        "{ at = 10s, for = 5s, kind = crash, target = web-2 }",
        "{ at = 15s, kind = crash, target = web-2 }",
        "{ at = 1s, for = 2s, every = 5s, kind = crash, target = web-3 }"));
  }

  @Test
  void aRestartDoesNotEndACrashThatHasAFor() {
    assertEquals(List.of("t.conf:8: faults[2]: crash of web-1 at 20s, but faults[0] crashed it at "
        + "10s until 30s (a restart between does not end that crash: its end boots the VM)"),
        errors(faults("{ at = 10s, for = 20s, kind = crash, target = web-1 }",
            "{ at = 15s, kind = restart, target = web-1 }",
            "{ at = 20s, kind = crash, target = web-1 }")));
  }

  @Test
  void aRepeatedFaultIsCheckedAtEachOccurrence() {
    // faults[0] is on 1-3 s, 6-8 s, ...; faults[2] flip-flops: paused 0-10 s, 20-30 s, ...
    assertEquals(List.of(
        "t.conf:7: faults[1]: crash of web-1 at 7s, but faults[0] crashed it at 6s until 8s",
        "t.conf:9: faults[3]: resume of web-2 at 15s, but it is not paused then (faults[2]'s pause "
            + "at 0s has ended)"),
        errors(faults("{ at = 1s, for = 2s, every = 5s, kind = crash, target = web-1 }",
            "{ at = 7s, kind = crash, target = web-1 }",
            "{ at = 0s, every = 10s, kind = pause, target = web-2 }",
            "{ at = 15s, kind = resume, target = web-2 }",
            "{ at = 25s, kind = resume, target = web-2 }")));
  }

  @Test
  void aResumeNeedsAPausedVm() {
    assertEquals(List.of(
        "t.conf:6: faults[0]: resume of web-1 at 5s, but it is not paused then (no pause of it comes "
            + "before)",
        "t.conf:8: faults[2]: resume of web-2 at 20s, but it is not paused then (faults[1]'s pause at "
            + "10s has ended)",
        "t.conf:10: faults[4]: pause of web-3 at 12s, but faults[3] paused it at 10s and no resume "
            + "came between"),
        errors(faults("{ at = 5s, kind = resume, target = web-1 }",
            "{ at = 10s, for = 5s, kind = pause, target = web-2 }",
            "{ at = 20s, kind = resume, target = web-2 }",
            "{ at = 10s, kind = pause, target = web-3 }",
            "{ at = 12s, kind = pause, target = web-3 }")));
  }

  @Test
  void aPauseThenAResumeIsAllowed() throws Exception {
    ok(faults("{ at = 10s, kind = pause, target = web }",
        "{ at = 20s, kind = resume, target = web-1 }",
        "{ at = 30s, kind = resume, target = web-2 }"));
  }

  // ---- seed, workloads, names

  @Test
  void theSeedIsAWholeNumberThatFitsInALong() throws Exception {
    for (String bad : List.of("1.5", "-1", "9223372036854775808")) {
      assertEquals(List.of("t.conf:3: seed: must be a whole number from 0 to 9223372036854775807, "
          + "not " + bad), errors("name = a\nduration = 1s\nseed = " + bad + "\n"), bad);
    }
    assertEquals(Long.MAX_VALUE,
        ok("name = a\nduration = 1s\nseed = 9223372036854775807\n").seed());
    assertEquals(0, ok("name = a\nduration = 1s\nseed = 0\n").seed());
  }

  @Test
  void oneWorkloadTwiceOnAVmNamesBothIndices() throws Exception {
    assertEquals(List.of("t.conf:5: vms.web.workloads[2]: the same workload as workloads[0] "
        + "(\"ping 10.0.0.9 count=3\"); give each workload once"),
        errors("name = a\nduration = 60s\nnetworks { lan { type = switch } }\n"
            + "vms { web { count = 3, network = lan, ip = \"10.0.0.1/24\", workloads = [\n"
            + "\"ping 10.0.0.9 count=3\", \"udp-sink 5001\", \"ping 10.0.0.9  count=3\"] } }\n"));
    ok("name = a\nduration = 60s\nnetworks { lan { type = switch } }\n"
        + "vms { web { count = 3, network = lan, ip = \"10.0.0.1/24\", workloads = [\n"
        + "\"ping {next}\", \"ping {prev}\", \"ping 10.0.0.9 count=3\", \"ping 10.0.0.9 count=4\"] } }\n");
  }

  @Test
  void aPortIdThatIsAlsoAVmFleetOrNetworkNameIsRefused() {
    assertEquals(List.of(
        "t.conf:4: networks.lan.ports[0]: netdev id 'web-2' is also the name of a vm (fault and "
            + "capture targets would be ambiguous)",
        "t.conf:5: networks.lan.ports[1]: netdev id 'web' is also the name of a fleet (fault and "
            + "capture targets would be ambiguous)",
        "t.conf:6: networks.lan.ports[2]: netdev id 'wan' is also the name of a network (fault and "
            + "capture targets would be ambiguous)"),
        errors("name = a\nduration = 1s\nnetworks {\n  lan { type = switch, ports = [\"socket,id=web-2,listen=127.0.0.1:20001\"\n"
            + "\"socket,id=web,listen=127.0.0.1:20002\"\n"
            + "\"socket,id=wan,listen=127.0.0.1:20003\"] }\n  wan { type = hub }\n}\n"
            + "vms { web { count = 3, network = lan, ip = \"10.0.0.1/24\" } }\n"));
  }

  @Test
  void aNameLongerThanAFolderNameShouldBeIsRefused() throws Exception {
    String name = "a".repeat(300);
    assertEquals(List.of("t.conf:1: name: 'aaaaaaaaaaaaaaaaaaaa...' is 300 characters long; a name has "
        + "at most 100 (it names folders and files)"),
        errors("name = " + name + "\nduration = 1s\n"));
    assertEquals(List.of("t.conf:3: vms." + name + ": 'aaaaaaaaaaaaaaaaaaaa...' is 300 characters "
        + "long; a name has at most 100 (it names folders and files)"),
        errors("name = a\nduration = 1s\nvms { " + name + " { netdev = \"socket,id=n,connect=127.0.0.1:1\", dhcp = true } }\n"));
    assertEquals(100, ok("name = " + "b".repeat(100) + "\nduration = 1s\n").name().length());
  }
}
