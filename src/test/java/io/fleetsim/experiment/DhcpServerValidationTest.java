package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** dhcp-server's arguments and placement, refused at the line that wrote them. */
class DhcpServerValidationTest {
  private static final String HEAD = "name = a\nduration = 10s\nnetworks { lan { type = switch } }\n"
      + "vms {\n  leased { count = 2, network = lan, dhcp = true }\n";

  private static String server(String vm) {
    return HEAD + "  " + vm + "\n}\n";
  }

  private static List<String> errors(String text) {
    return assertThrows(ExperimentException.class, () -> ExperimentLoader.parse(text, "t.conf"))
        .errors().stream().map(ValidationError::toString).collect(Collectors.toList());
  }

  private static String one(String workload) {
    return server("d { network = lan, ip = \"10.1.0.2/24\", workloads = [\"" + workload + "\"] }");
  }

  @Test
  void aWellPlacedServerIsAccepted() throws Exception {
    ExperimentLoader.parse(one("dhcp-server 10.1.0.100-10.1.0.199 router=10.1.0.1 lease=1h"), "t.conf");
    ExperimentLoader.parse(one("dhcp-server 10.1.0.128/25"), "t.conf");
  }

  @Test
  void badArgumentsAreReportedAtTheirLine() {
    String usage = " (usage: dhcp-server POOL [router=ADDR] [lease=DURATION] [dns=ADDR])";
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server: pool 10.1.0.199-10.1.0.100:"
        + " last is below first" + usage), errors(one("dhcp-server 10.1.0.199-10.1.0.100")));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server: pool '10.1.0.x-10.1.0.9' is"
        + " not FIRST-LAST of two IPv4 addresses (like 10.1.0.100-10.1.0.199)" + usage),
        errors(one("dhcp-server 10.1.0.x-10.1.0.9")));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server: pool 10.0.0.0-10.9.0.0 has"
        + " 589825 addresses, more than 65536 (a /16)" + usage),
        errors(one("dhcp-server 10.0.0.0-10.9.0.0")));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server: router= '10.1.0.256' is not"
        + " an IPv4 address" + usage), errors(one("dhcp-server 10.1.0.100-10.1.0.199 router=10.1.0.256")));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server: lease='1 hour' is not a"
        + " duration (like 1s, 200ms, 0.5s)" + usage).get(0).substring(0, 40),
        errors(one("dhcp-server 10.1.0.100-10.1.0.199 lease=1hour")).get(0).substring(0, 40));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server: lease=30s is shorter than 1m"
        + " (clients stretch shorter leases to a minute)" + usage),
        errors(one("dhcp-server 10.1.0.100-10.1.0.199 lease=30s")));
  }

  @Test
  void aServerMustHaveOneVmAndAStaticAddressWhereItsPoolIs() {
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server cannot serve: pool"
        + " 10.2.0.100-10.2.0.199 is on none of the VM's subnets [10.1.0.2/24]"),
        errors(one("dhcp-server 10.2.0.100-10.2.0.199")));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server cannot serve: pool"
        + " 10.1.0.1-10.1.0.99 holds the server's own address 10.1.0.2"),
        errors(one("dhcp-server 10.1.0.1-10.1.0.99")));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server cannot serve: router=10.2.0.1"
        + " is not on the server's subnet 10.1.0.0/24"),
        errors(one("dhcp-server 10.1.0.100-10.1.0.199 router=10.2.0.1")));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server needs a static address"
        + " (ip = CIDR) on the subnet of its pool 10.1.0.100-10.1.0.199"),
        errors(server("d { network = lan, dhcp = true, workloads = [\"dhcp-server 10.1.0.100-10.1.0.199\"] }")));
    assertEquals(List.of("t.conf:6: vms.d.workloads[0]: dhcp-server on a fleet of 2 VMs: each would"
        + " lease the same pool; give the server a fleet of its own (count = 1)"),
        errors(server("d { count = 2, network = lan, ip = \"10.1.0.2/24\", workloads = [\"dhcp-server 10.1.0.100-10.1.0.199\"] }")));
  }
}
