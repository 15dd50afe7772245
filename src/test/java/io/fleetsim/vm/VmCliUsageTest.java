package io.fleetsim.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.InProcessCli;
import io.fleetsim.testing.InProcessCli.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code fleetsim vm} usage errors: status 1, one clear line naming what was wrong, no trace. */
@Timeout(60)
class VmCliUsageTest {
  /** Port 1 is never listened on here; none of these commands gets as far as opening it. */
  private static final String NETDEV = "socket,id=n1,connect=127.0.0.1:1";
  private static final String DEVICE = "e1000,netdev=n1";

  private static Result run(String... args) {
    return InProcessCli.run(args);
  }

  private static List<String> vm(String... rest) {
    List<String> args = new ArrayList<>();
    args.add("vm");
    args.addAll(List.of(rest));
    return args;
  }

  /** Status 1, {@code expected} on stderr, and no sign of a stack trace anywhere. */
  private static void assertUsageError(List<String> args, String... expected) {
    Result r = run(args.toArray(String[]::new));
    assertEquals(1, r.status(), r.all());
    for (String e : expected) {
      assertTrue(r.stderr().contains(e), "expected '" + e + "' in\n" + r.all());
    }
    assertTrue(r.stderr().startsWith("fleetsim: "), r.all());
    for (String trace : List.of("Exception", "\tat ", "Caused by")) {
      assertFalse(r.stderr().contains(trace), r.all());
      assertFalse(r.stdout().contains(trace), r.all());
    }
  }

  @Test
  void aVmWithoutADeviceIsRefused() {
    assertUsageError(vm("-netdev", NETDEV, "--ip", "10.0.0.1/24"),
        "a VM needs at least one -device e1000,netdev=ID");
    assertUsageError(vm(), "a VM needs at least one -device");
  }

  @Test
  void aNetdevNoDeviceUsesIsNamed() {
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV,
        "-netdev", "socket,id=spare,connect=127.0.0.1:2"),
        "-netdev socket,id=spare,connect=127.0.0.1:2: no -device e1000 uses it");
  }

  @Test
  void aDeviceOnAMissingNetdevIsNamed() {
    assertUsageError(vm("-device", "e1000,netdev=nope", "-netdev", NETDEV), "nope");
  }

  @Test
  void moreAddressesThanNicsAreRefused() {
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV,
        "--ip", "10.0.0.1/24", "--ip", "10.0.0.2/24"),
        "--ip 10.0.0.2/24: more addresses than NICs (1)");
  }

  @Test
  void badAddressesAreNamed() {
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.300/24"),
        "'10.0.0.300' is not an IPv4 address");
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.1"),
        "10.0.0.1", "expected ADDR/PREFIX");
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.1/33"),
        "prefix length must be 1..32, got '33'");
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.1/24,gw=x.y"),
        "gateway 'x.y' is not an IPv4 address");
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "zz=10.0.0.1/24"),
        "no NIC on netdev 'zz'");
  }

  /** Without --ip or --dhcp a workload could only fail at its first send, so it is refused. */
  @Test
  void aWorkloadWithoutAnAddressIsRefused() {
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--run", "ping 10.0.0.1 count=1"),
        "--run needs an address: give a NIC --ip ADDR/PREFIX or --dhcp");
  }

  @Test
  void badWorkloadsNameTheBadWord() {
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.2/24",
        "--run", "pingg 10.0.0.1"), "--run \"pingg 10.0.0.1\"", "unknown workload 'pingg'");
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.2/24",
        "--run", "ping 10.0.0.1 count=abc"), "count=abc");
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.2/24",
        "--run", "ping 10.0.0.1 colour=blue"), "colour");
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.2/24",
        "--run", "udp-send 10.0.0.1 rate=10"), "has no ':PORT'");
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.2/24",
        "--run", "ping 10.0.0.999"), "10.0.0.999");
  }

  @Test
  void dhcpOnAnUnknownNetdevIsNamed() {
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--dhcp", "zz"),
        "--dhcp zz: no NIC on netdev 'zz' (NICs: n1)");
  }

  @Test
  void dhcpAndAnAddressOnOneNicAreRefused() {
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.1/24",
        "--dhcp", "n1"), "--dhcp n1", "already has an address");
  }

  @Test
  void aNonPositiveCpuClockIsRefused() {
    assertUsageError(vm("-device", DEVICE, "-netdev", NETDEV, "--ip", "10.0.0.1/24",
        "--cpu-mhz", "0"), "--cpu-mhz must be positive");
  }
}
