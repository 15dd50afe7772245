package io.fleetsim.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.Ports;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two {@code fleetsim vm} processes, as users run them, ping each other. */
@Timeout(120)
class VmPingCliTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PING = "ping 10.0.0.1 count=3 interval=0.2s";

  @Test
  void aConnectingVmPingsAListeningVmOverTcp() throws Exception {
    int port = Ports.free();
    try (Fleetsim server = Fleetsim.start("vm", "--name", "a",
        "-device", "e1000,netdev=n1,mac=52:54:00:00:00:01",
        "-netdev", "socket,id=n1,listen=127.0.0.1:" + port, "--ip", "10.0.0.1/24")) {
      server.awaitLine(l -> l.equals("netdev n1: listening on 127.0.0.1:" + port), START);
      server.awaitLine(l -> l.startsWith("address 10.0.0.1/24"), START);
      try (Fleetsim client = Fleetsim.start("vm", "--name", "b",
          "-device", "e1000,netdev=n1,mac=52:54:00:00:00:02",
          "-netdev", "socket,id=n1,connect=127.0.0.1:" + port, "--ip", "10.0.0.2/24",
          "--run", PING)) {
        assertEquals(0, client.awaitExit(START), client.output());
        assertPingedThreeTimes(client.output());
      }
      assertEquals(0, server.terminate(START), server.output());
      assertFalse(server.output().contains("Exception"), server.output());
    }
  }

  @Test
  void twoVmsOnOneMulticastGroupPingEachOther() throws Exception {
    String netdev = "socket,id=n1,mcast=230.0.0.9:" + Ports.free() + ",localaddr=127.0.0.1";
    try (Fleetsim server = Fleetsim.start("vm", "--name", "a",
        "-device", "e1000,netdev=n1,mac=52:54:00:00:00:01", "-netdev", netdev,
        "--ip", "10.0.0.1/24")) {
      server.awaitLine(l -> l.startsWith("address 10.0.0.1/24"), START);
      try (Fleetsim client = Fleetsim.start("vm", "--name", "b",
          "-device", "e1000,netdev=n1,mac=52:54:00:00:00:02", "-netdev", netdev,
          "--ip", "10.0.0.2/24", "--run", PING)) {
        assertEquals(0, client.awaitExit(START), client.output());
        assertPingedThreeTimes(client.output());
      }
      assertEquals(0, server.terminate(START), server.output());
      assertFalse(server.output().contains("Exception"), server.output());
    }
  }

  @Test
  void aRefusedConnectEndsTheVmWithStatusOneAndQemusWords() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (Fleetsim vm = Fleetsim.start("vm", "-device", "e1000,netdev=n1",
        "-netdev", "socket,id=n1,connect=127.0.0.1:" + closed, "--ip", "10.0.0.2/24",
        "--run", PING)) {
      assertEquals(1, vm.awaitExit(START), vm.output());
      assertTrue(vm.output().contains("fleetsim: -netdev socket,id=n1,connect=127.0.0.1:" + closed
          + ": can't connect socket"), vm.output());
      assertFalse(vm.output().contains("Exception"), vm.output());
    }
  }

  private static void assertPingedThreeTimes(String out) {
    assertTrue(out.contains("PING 10.0.0.1 (10.0.0.1): 56 data bytes"), out);
    for (int seq = 0; seq < 3; seq++) {
      assertTrue(out.contains("64 bytes from 10.0.0.1: seq=" + seq + " ttl=64 time="), out);
    }
    assertTrue(out.contains("--- 10.0.0.1 ping statistics ---"), out);
    assertTrue(out.contains("3 packets transmitted, 3 packets received, 0% packet loss"), out);
    assertTrue(out.contains("round-trip min/avg/max = "), out);
    assertFalse(out.contains("Exception"), out);
  }
}
