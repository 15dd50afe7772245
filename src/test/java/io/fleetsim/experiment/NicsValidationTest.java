package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.experiment.Experiment.Nic;
import io.fleetsim.experiment.Experiment.Vm;
import io.fleetsim.guest.StaticRoute;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code nics}, {@code router}, {@code routes}, {@code gateway} and {@code {index}}: what the
 * reader makes of them (each VM's NICs, MACs, addresses, routing) and every error it gives, with
 * its path and line.
 */
class NicsValidationTest {
  private static final String HEAD = "name = a\nduration = 1s\n"
      + "networks {\n  a { type = switch }\n  b { type = switch }\n  spine { type = switch }\n"
      + "  \"rack-1\" { type = switch }\n  \"rack-2\" { type = switch }\n}\n"; // 9 lines

  private static Experiment ok(String vms) throws ExperimentException {
    return ExperimentLoader.parse(HEAD + "vms {\n" + vms + "\n}\n", "t.conf");
  }

  /** The errors of {@code vms} as "LINE: PATH: MESSAGE"; the vms block starts on line 11. */
  private static List<String> errors(String vms) {
    return assertThrows(ExperimentException.class,
        () -> ExperimentLoader.parse(HEAD + "vms {\n" + vms + "\n}\n", "t.conf"))
        .errors().stream().map(e -> e.line() + ": " + e.path() + ": " + e.message())
        .collect(Collectors.toList());
  }

  private static String only(String vms) {
    List<String> e = errors(vms);
    assertEquals(1, e.size(), e.toString());
    return e.get(0);
  }

  private static final String TWO = "nics = [ { network = a, ip = \"10.1.0.5/24\" },"
      + " { network = b, ip = \"10.2.0.5/24\" } ]";

  // ---- the model

  @Test
  void eachNicOfEachVmHasItsOwnMacAndTheNextAddressOfItsBlock() throws Exception {
    Experiment e = ok("x { count = 3, nics = [ { network = a, ip = \"10.1.0.10/24\" },"
        + " { network = b, ip = \"10.2.0.20/24\" } ] }");
    List<Vm> vms = e.fleets().get("x").vms();
    assertEquals(3, vms.size());
    Set<String> macs = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      List<Nic> nics = vms.get(i).nics();
      assertEquals(List.of("eth0", "eth1"), nics.stream().map(Nic::id).toList());
      assertEquals(new Experiment.ToNetwork("a"), nics.get(0).attachment());
      assertEquals(new Experiment.ToNetwork("b"), nics.get(1).attachment());
      assertEquals("10.1.0." + (10 + i), nics.get(0).ip().get().address().toString());
      assertEquals("10.2.0." + (20 + i), nics.get(1).ip().get().address().toString());
      assertEquals(24, nics.get(1).ip().get().prefixLength());
      nics.forEach(n -> macs.add(n.mac()));
    }
    assertEquals(6, macs.size(), "one MAC per NIC: " + macs);
    // allocated in order, VM by VM, NIC by NIC, under the fleet's prefix
    assertEquals("52:54:00:00:00:01", vms.get(0).nics().get(0).mac());
    assertEquals("52:54:00:00:00:02", vms.get(0).nics().get(1).mac());
    assertEquals("52:54:00:00:00:03", vms.get(1).nics().get(0).mac());
  }

  @Test
  void theSingleNicKeysStillMakeOneNicEth0() throws Exception {
    Experiment e = ok("x { network = a, ip = \"10.1.0.10/24\", gateway = \"10.1.0.1\" }\n"
        + "y { network = b, dhcp = true }");
    Nic x = e.fleets().get("x").vms().get(0).nics().get(0);
    assertEquals("eth0", x.id());
    assertEquals(Optional.of(io.fleetsim.addr.Ipv4Address.parse("10.1.0.1")), x.ip().get().gateway());
    Nic y = e.fleets().get("y").vms().get(0).nics().get(0);
    assertTrue(y.dhcp() && y.ip().isEmpty());
    assertFalse(e.fleets().get("x").router());
    assertEquals(io.fleetsim.guest.Routing.HOST, e.fleets().get("x").vms().get(0).routing());
  }

  @Test
  void indexFillsInNetworksAddressesGatewayAndRoutesAndIsNotIncremented() throws Exception {
    Experiment e = ok("leaf { count = 2, router = true,\n"
        + " nics = [ { network = \"rack-{index}\", ip = \"10.{index}.0.1/24\" },"
        + " { network = spine, ip = \"10.0.0.{index}/24\" } ],\n"
        + " routes = [\"10.{index}.128.0/17 via 10.{index}.0.254\", \"default via 10.0.0.254\"] }\n"
        + "h { count = 2, network = \"rack-{index}\", ip = \"10.{index}.0.10/24\","
        + " gateway = \"10.{index}.0.1\" }");
    for (int i = 1; i <= 2; i++) {
      Vm leaf = e.fleets().get("leaf").vms().get(i - 1);
      assertEquals("leaf-" + i, leaf.name());
      assertEquals(new Experiment.ToNetwork("rack-" + i), leaf.nics().get(0).attachment());
      assertEquals("10." + i + ".0.1", leaf.nics().get(0).ip().get().address().toString());
      assertEquals("10.0.0." + i, leaf.nics().get(1).ip().get().address().toString());
      assertTrue(leaf.routing().forwarding());
      assertEquals(List.of(StaticRoute.parse("10." + i + ".128.0/17 via 10." + i + ".0.254"),
          StaticRoute.parse("default via 10.0.0.254")), leaf.routing().routes());
      Nic h = e.fleets().get("h").vms().get(i - 1).nics().get(0);
      assertEquals(new Experiment.ToNetwork("rack-" + i), h.attachment());
      assertEquals("10." + i + ".0.10", h.ip().get().address().toString());
      assertEquals("10." + i + ".0.1", h.ip().get().gateway().get().toString());
    }
  }

  @Test
  void theGatewayGoesToTheNicWhoseSubnetHoldsIt() throws Exception {
    Experiment e = ok("x { " + TWO + ", gateway = \"10.2.0.1\" }");
    List<Nic> nics = e.fleets().get("x").vms().get(0).nics();
    assertTrue(nics.get(0).ip().get().gateway().isEmpty());
    assertEquals("10.2.0.1", nics.get(1).ip().get().gateway().get().toString());
  }

  @Test
  void oneAddressOnTwoNetworksOfDifferentVmsIsAllowedPerNic() throws Exception {
    ok("x { " + TWO + " }\ny { network = b, ip = \"10.1.0.5/24\" }");
  }

  @Test
  void aNicOnANetdevOfItsOwnIsAQemuPortNamedByItsEntry() throws Exception {
    Experiment e = ok("x { nics = [ { network = a, ip = \"10.1.0.5/24\" },"
        + " { netdev = \"socket,id=up,connect=127.0.0.1:20001\", ip = \"10.7.0.5/24\" } ] }");
    Nic up = e.fleets().get("x").vms().get(0).nics().get(1);
    assertTrue(up.attachment() instanceof Experiment.ToNetdev, up.toString());
    assertEquals(List.of("vms.x.nics[1].netdev (socket,id=up,connect=127.0.0.1:20001)"), e.qemuPorts());
  }

  @Test
  void twoNicsOfOneVmOnOneSocketAreOneSegment() {
    String e = only("x { nics = [ { netdev = \"socket,id=l1,listen=127.0.0.1:20001\", ip = \"10.1.0.5/24\" },\n"
        + " { netdev = \"socket,id=l2,listen=127.0.0.1:20001\", ip = \"10.2.0.5/24\" } ] }");
    assertTrue(e.startsWith("12: vms.x.nics[1].netdev: x's eth0 and eth1 are on one L2 segment"), e);
  }

  // ---- errors

  @Test
  void bothFormsAtOnceAreRefused() {
    assertEquals("11: vms.x.network: give either nics = [...] or the single-NIC keys"
        + " (network/netdev, ip/dhcp), not both", only("x { network = a, " + TWO + " }"));
  }

  @Test
  void aRouterNeedsTwoNics() {
    String e = only("r { router = true, network = a, ip = \"10.1.0.1/24\" }");
    assertTrue(e.startsWith("11: vms.r.router: a router needs at least two NICs"), e);
  }

  @Test
  void aBadRouteIsReportedAtItsElement() {
    assertEquals("12: vms.x.routes[1]: '10.9.0.0/16 by 10.1.0.1' is not a route such as"
        + " \"10.2.0.0/16 via 10.1.0.1\"", only("x { " + TWO + ", routes = [\"10.8.0.0/16 via 10.1.0.1\",\n"
        + "\"10.9.0.0/16 by 10.1.0.1\"] }"));
  }

  @Test
  void twoRoutesForOneDestinationOverlap() {
    String e = only("x { " + TWO + ",\n routes = [\"10.8.0.0/16 via 10.1.0.1\", \"10.8.1.0/16 via 10.2.0.1\"] }");
    assertTrue(e.startsWith("12: vms.x.routes[1]: overlapping routes: a second route for 10.8.0.0/16"
        + " (routes[0] is one)"), e);
  }

  @Test
  void aRouteToTheVmsOwnSubnetOverlapsIt() {
    String e = only("x { " + TWO + ", routes = [\"10.2.0.0/24 via 10.1.0.1\"] }");
    assertTrue(e.startsWith("11: vms.x.routes[0]: overlapping routes: 10.2.0.0/24 is x's own subnet"
        + " on eth1"), e);
  }

  @Test
  void aNextHopOnNoneOfTheVmsSubnetsIsRefused() {
    assertEquals("11: vms.x.routes[0]: next hop 10.3.0.1 is on none of x's subnets"
        + " (eth0 10.1.0.0/24, eth1 10.2.0.0/24)", only("x { " + TWO + ", routes = [\"10.8.0.0/16 via 10.3.0.1\"] }"));
  }

  @Test
  void aNextHopMayBeOnTheSubnetADhcpNicWillLease() throws Exception {
    ok("x { nics = [ { network = a, ip = \"10.1.0.5/24\" }, { network = b, dhcp = true } ],"
        + " routes = [\"10.8.0.0/16 via 10.3.0.1\"] }");
  }

  @Test
  void aGatewayOnNoneOfTheVmsSubnetsIsRefused() {
    assertEquals("11: vms.x.gateway: gateway 10.3.0.1 is on none of x's subnets"
        + " (eth0 10.1.0.0/24, eth1 10.2.0.0/24)", only("x { " + TWO + ", gateway = \"10.3.0.1\" }"));
    // with {index}, for the first VM it is wrong for
    assertEquals("12: vms.h.gateway: gateway 10.2.0.1 is on none of h-2's subnets"
        + " (eth0 10.1.0.0/24)", only("h { count = 3, network = a, ip = \"10.1.0.10/24\",\n"
        + " gateway = \"10.{index}.0.1\" }"));
    assertEquals("11: vms.x.gateway: gateway 10.1.0.5 is x's own address on eth0",
        only("x { " + TWO + ", gateway = \"10.1.0.5\" }"));
  }

  @Test
  void aGatewayWithDhcpOnEveryNicIsRefused() {
    String e = only("x { network = a, dhcp = true, gateway = \"10.1.0.1\" }");
    assertTrue(e.startsWith("11: vms.x.gateway: gateway needs a NIC with a static address"), e);
  }

  @Test
  void aGatewayAndADefaultRouteOverlap() {
    String e = only("x { " + TWO + ", gateway = \"10.1.0.1\", routes = [\"default via 10.2.0.1\"] }");
    assertTrue(e.startsWith("11: vms.x.gateway: overlapping routes: gateway 10.1.0.1 and routes[0]"), e);
  }

  @Test
  void twoNicsOfOneVmOnOneNetworkAreRefused() {
    String e = only("x { nics = [ { network = a, ip = \"10.1.0.5/24\" },\n"
        + " { network = a, ip = \"10.1.0.6/24\" } ] }");
    assertTrue(e.startsWith("12: vms.x.nics[1].network: x's eth0 and eth1 are on one L2 segment"), e);
  }

  @Test
  void anAddressIsUniquePerSegmentForEachNic() {
    assertEquals("12: vms.y.nics[1].ip: address 10.2.0.5 of y eth1 is already allocated to x eth1",
        only("x { " + TWO + " }\ny { nics = [ { network = a, ip = \"10.1.0.6/24\" },"
            + " { network = b, ip = \"10.2.0.5/24\" } ] }"));
  }

  @Test
  void anIndexedNetworkThatDoesNotExistIsNamedForItsVm() {
    String e = only("x { count = 3, nics = [ { network = \"rack-{index}\", ip = \"10.{index}.0.1/24\" },"
        + " { network = spine, ip = \"10.0.0.{index}/24\" } ] }");
    assertTrue(e.startsWith("11: vms.x.nics[0].network: unknown network 'rack-3' (rack-{index} for VM 3)"),
        e);
  }

  @Test
  void nicEntriesAreChecked() {
    assertTrue(only("x { nics = [] }").startsWith("11: vms.x.nics: expected a non-empty list"));
    assertTrue(only("x { nics = [ { network = a, ip = \"10.1.0.1/24\", mtu = 9000 } ] }")
        .startsWith("11: vms.x.nics[0].mtu: unknown key 'mtu'"));
    assertTrue(only("x { nics = [ { network = a } ] }")
        .startsWith("11: vms.x.nics[0]: missing ip (a CIDR such as 10.0.0.0/24) or dhcp = true"));
    assertTrue(only("x { nics = [ { network = nope, ip = \"10.1.0.1/24\" } ] }")
        .startsWith("11: vms.x.nics[0].network: unknown network 'nope'"));
    assertTrue(only("x { nics = [ { network = a, ip = \"10.1.0.1/24\", dhcp = true } ] }")
        .startsWith("11: vms.x.nics[0].ip: give either ip or dhcp = true, not both"));
  }
}
