package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import org.junit.jupiter.api.Test;

/** Which interface and next hop the table picks: longest prefix, then connected, static, gateway. */
class RoutingTableTest {
  private final VirtualClock clock = new VirtualClock();

  private static String nextHop(TestVm vm, String destination) {
    RoutingTable.Hop hop = vm.table.unicast(Ipv4Address.parse(destination).bits());
    return hop == null ? "none" : vm.table.interfaceFor(Ipv4Address.parse(destination))
        .getAsInt() + " via " + new Ipv4Address(hop.nextHop());
  }

  @Test
  void longestPrefixWinsOverEverySource() {
    TestVm vm = TestVm.host(clock, "10.0.0.0/8 via 10.1.0.2", "10.2.0.0/16 via 10.5.0.1",
        "10.2.3.0/24 via 10.1.0.3")
        .nic(1, "10.1.0.10/24", "10.1.0.1").nic(2, "10.5.0.10/24", "10.5.0.254");
    assertEquals("0 via 10.1.0.7", nextHop(vm, "10.1.0.7"), "connected");
    assertEquals("1 via 10.5.0.9", nextHop(vm, "10.5.0.9"), "connected, second NIC");
    assertEquals("0 via 10.1.0.3", nextHop(vm, "10.2.3.4"), "/24 over /16 and /8");
    assertEquals("1 via 10.5.0.1", nextHop(vm, "10.2.9.9"), "/16 over /8");
    assertEquals("0 via 10.1.0.2", nextHop(vm, "10.99.0.1"), "/8 over the gateways");
    assertEquals("0 via 10.1.0.1", nextHop(vm, "192.0.2.1"), "the first NIC's gateway");
  }

  @Test
  void aStaticDefaultRouteBeatsTheInterfacesGateways() {
    TestVm vm = TestVm.host(clock, "default via 10.5.0.1")
        .nic(1, "10.1.0.10/24", "10.1.0.1").nic(2, "10.5.0.10/24");
    assertEquals("1 via 10.5.0.1", nextHop(vm, "192.0.2.1"));
  }

  @Test
  void aConnectedSubnetBeatsAStaticRouteOfTheSameLength() {
    TestVm vm = TestVm.host(clock, "10.5.0.0/24 via 10.1.0.2")
        .nic(1, "10.1.0.10/24").nic(2, "10.5.0.10/24");
    assertEquals("1 via 10.5.0.3", nextHop(vm, "10.5.0.3"));
  }

  @Test
  void aRouteWhoseGatewayIsOnNoSubnetIsSkipped() {
    TestVm vm = TestVm.host(clock, "10.2.0.0/16 via 172.16.0.1").nic(1, "10.1.0.10/24");
    assertEquals("none", nextHop(vm, "10.2.0.1"));
    assertTrue(vm.table.interfaceFor(Ipv4Address.parse("10.2.0.1")).isEmpty());
    assertNull(vm.table.unicast(Ipv4Address.parse("8.8.8.8").bits()), "no gateway: no route");
  }

  @Test
  void aGatewayFromALaterConfigurationCountsAtOnce() {
    TestVm vm = TestVm.host(clock).nic(1, "10.1.0.10/24");
    assertEquals("none", nextHop(vm, "192.0.2.1"));
    vm.stack(0).configure(new Ipv4Config(Ipv4Address.parse("10.1.0.10"), 24,
        java.util.Optional.of(Ipv4Address.parse("10.1.0.1"))));
    assertEquals("0 via 10.1.0.1", nextHop(vm, "192.0.2.1"));
  }
}
