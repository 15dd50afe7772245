package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class Ipv4RoutesTest {
  // /proc/net/route as x86 Linux prints it (the address word in little-endian order).
  private static final List<String> TABLE = List.of(
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
      "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
      "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
      "lo\t000000E0\t00000000\t0001\t0\t0\t0\t000000F0\t0\t0\t0",
      "eth1\t000000E0\t00000000\t0000\t0\t0\t0\t000000F0\t0\t0\t0");

  private static Inet4Address ip(String s) throws Exception {
    return (Inet4Address) InetAddress.getByName(s);
  }

  @Test
  void theLongestUpRouteWins() throws Exception {
    Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    assertEquals(Optional.of("lo"), Ipv4Routes.deviceFor(ip("230.0.0.1"), TABLE));
    assertEquals(Optional.of("eth0"), Ipv4Routes.deviceFor(ip("192.0.2.7"), TABLE));
    assertEquals(Optional.of("eth0"), Ipv4Routes.deviceFor(ip("198.51.100.1"), TABLE));
  }

  @Test
  void noRouteNoDevice() throws Exception {
    assertEquals(Optional.empty(), Ipv4Routes.deviceFor(ip("230.0.0.1"), TABLE.subList(0, 1)));
  }

  @Test
  void theTestNamespaceRoutesMulticastToLo() throws Exception {
    assertEquals(Optional.of("lo"), Ipv4Routes.deviceFor(ip("239.255.0.1")));
  }
}
