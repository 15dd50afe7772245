package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.guest.workload.PingResult;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.guest.workload.Workloads;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.testing.ChildProcess;
import io.fleetsim.testing.Qemu;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The stack against real peers through a real QEMU (no guest, -M none): QEMU's slirp (DHCP
 * server and 10.0.2.2), and the Linux kernel's own IPv4 stack on a tap device. QEMU connects to
 * a loopback port of this test; everything stays inside the test JVM's private network
 * namespace (see src/test/netns/bin/java).
 */
class QemuInteropStackTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final MacAddress MAC = MacAddress.QEMU_DEFAULT;

  private static final class QemuProcess extends ChildProcess {
    QemuProcess(List<String> netdevs) throws IOException {
      super("qemu", command(netdevs));
    }

    private static List<String> command(List<String> netdevs) {
      List<String> cmd = new ArrayList<>(List.of(Qemu.BINARY, "-M", "none", "-nodefaults",
          "-display", "none", "-monitor", "none", "-serial", "none"));
      for (String n : netdevs) {
        cmd.add("-netdev");
        cmd.add(n);
      }
      return cmd;
    }
  }

  /** QEMU's hub 0 joins {@code peer} (id p0) and a socket netdev that connects to us. */
  private static List<String> hubWith(String peer, int port) {
    return List.of(peer, "hubport,id=hp0,hubid=0,netdev=p0",
        "socket,id=s0,connect=127.0.0.1:" + port, "hubport,id=hp1,hubid=0,netdev=s0");
  }

  private static SocketGuest connect(ServerSocket server, QemuProcess qemu) throws Exception {
    server.setSoTimeout((int) WAIT.toMillis());
    Socket s;
    try {
      s = server.accept();
    } catch (IOException e) {
      throw new AssertionError("QEMU never connected:\n" + qemu.output(), e);
    }
    return new SocketGuest(s, MAC);
  }

  @Test
  void leaseAndPingFromRestrictedSlirp() throws Exception {
    Qemu.require();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         QemuProcess qemu = new QemuProcess(hubWith("user,id=p0,restrict=on",
             server.getLocalPort()));
         SocketGuest guest = connect(server, qemu)) {
      DhcpLease lease = guest.await(() -> guest.stack().dhcp(), WAIT);
      assertEquals(Ipv4Address.parse("10.0.2.15"), lease.address());
      assertEquals(24, lease.prefixLength());
      assertEquals(Ipv4Address.parse("10.0.2.2"), lease.server());
      assertTrue(lease.router().isEmpty(), "slirp sends no router with restrict=on");
      assertEquals(86400, lease.leaseSeconds());
      assertTrue(guest.lines().contains("lease 10.0.2.15/24 from 10.0.2.2 (no router)"),
          guest.console());

      PingResult ping = (PingResult) guest.<WorkloadResult>await(() -> Workloads
          .parse("ping 10.0.2.2 count=3 interval=200ms").start(guest.stack().sockets()).result(), WAIT);
      assertEquals(3, ping.received(), guest.console());
      assertTrue(guest.lines().contains("PING 10.0.2.2 (10.0.2.2): 56 data bytes"));
      assertTrue(guest.lines().stream().anyMatch(l -> l.startsWith("64 bytes from 10.0.2.2: seq=2 ")),
          guest.console());
      assertTrue(guest.lines().contains(
          "3 packets transmitted, 3 packets received, 0% packet loss"), guest.console());
      assertTrue(guest.onVm(() -> guest.stack().counters().rxAccounted()));
    }
  }

  @Test
  void leaseWithRouterFromUnrestrictedSlirp() throws Exception {
    Qemu.require();
    // Only DHCP and a ping to slirp's own 10.0.2.2: nothing leaves QEMU.
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         QemuProcess qemu = new QemuProcess(hubWith("user,id=p0", server.getLocalPort()));
         SocketGuest guest = connect(server, qemu)) {
      DhcpLease lease = guest.await(() -> guest.stack().dhcp(), WAIT);
      assertTrue(guest.lines().contains("lease 10.0.2.15/24 from 10.0.2.2 (router 10.0.2.2)"),
          guest.console());
      assertEquals(List.of(Ipv4Address.parse("10.0.2.3")), lease.dns());
      Duration rtt = guest.await(() -> guest.stack().ping(Ipv4Address.parse("10.0.2.2"),
          Duration.ofSeconds(5)), WAIT);
      assertTrue(rtt.toMillis() < 5000);
    }
  }

  /**
   * Linux on a tap device (10.0.3.1/24) and the stack (10.0.3.15/24) on one QEMU hub: Linux
   * answers our ARP and echo requests, resolves us by ARP, pings us and talks UDP to our echo
   * workload.
   */
  @Test
  void linuxStackAndOursUnderstandEachOther() throws Exception {
    Qemu.require();
    requirePrivateNamespace();
    String tap = "fstap0";
    run("ip", "tuntap", "add", tap, "mode", "tap");
    try {
      run("ip", "addr", "add", "10.0.3.1/24", "dev", tap);
      run("ip", "link", "set", tap, "up");
      try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
           QemuProcess qemu = new QemuProcess(hubWith(
               "tap,id=p0,ifname=" + tap + ",script=no,downscript=no", server.getLocalPort()));
           SocketGuest guest = connect(server, qemu)) {
        guest.onVm(() -> {
          guest.stack().configure(Ipv4Address.parse("10.0.3.15"), 24,
              java.util.Optional.empty());
          return null;
        });

        // We ping Linux.
        PingResult ping = (PingResult) guest.<WorkloadResult>await(() -> Workloads
            .parse("ping 10.0.3.1 count=3 interval=100ms").start(guest.stack().sockets()).result(), WAIT);
        assertEquals(3, ping.received(), guest.console());
        assertTrue(guest.lines().stream().anyMatch(
            l -> l.startsWith("64 bytes from 10.0.3.1: seq=0 ttl=64 time=")), guest.console());

        // Linux talks UDP to our echo server: it must resolve us by ARP and like our checksums.
        guest.onVm(() -> Workloads.parse("echo 7").start(guest.stack().sockets()));
        try (DatagramSocket udp = new DatagramSocket(
            new InetSocketAddress(InetAddress.getByName("10.0.3.1"), 0))) {
          udp.setSoTimeout(5_000);
          byte[] hello = "hello from linux".getBytes(StandardCharsets.US_ASCII);
          udp.send(new DatagramPacket(hello, hello.length,
              new InetSocketAddress(InetAddress.getByName("10.0.3.15"), 7)));
          DatagramPacket back = new DatagramPacket(new byte[100], 100);
          udp.receive(back);
          assertEquals("hello from linux",
              new String(back.getData(), 0, back.getLength(), StandardCharsets.US_ASCII));
          assertEquals(InetAddress.getByName("10.0.3.15"), back.getAddress());
        }
        String neigh = run("ip", "neigh", "show", "10.0.3.15", "dev", tap);
        assertTrue(neigh.contains("lladdr " + MAC), "Linux learned our MAC: " + neigh);

        // Linux pings us (raw ICMP from python3, root in this namespace).
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
          String out = run("/usr/bin/python3", "-c", PY_PING, "10.0.3.15");
          assertTrue(out.contains("reply id=4660 seq=1"), out);
        }
        assertTrue(guest.onVm(() -> guest.stack().counters().rxAccounted()));
      }
    } finally {
      run("ip", "link", "del", tap);
    }
  }

  /** One ICMP echo request (id 0x1234, seq 1) over a raw socket; prints the matching reply. */
  private static final String PY_PING = String.join("\n",
      "import socket, struct, sys, time",
      "def csum(b):",
      "    if len(b) % 2: b += b'\\0'",
      "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
      "    while s >> 16: s = (s & 0xffff) + (s >> 16)",
      "    return ~s & 0xffff",
      "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)",
      "s.settimeout(5)",
      "body = b'fleetsim' * 7",
      "hdr = struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1)",
      "pkt = struct.pack('!BBHHH', 8, 0, csum(hdr + body), 0x1234, 1) + body",
      "s.sendto(pkt, (sys.argv[1], 0))",
      "end = time.time() + 5",
      "while time.time() < end:",
      "    data, addr = s.recvfrom(2048)",
      "    ihl = (data[0] & 15) * 4",
      "    t, c, ck, i, q = struct.unpack('!BBHHH', data[ihl:ihl + 8])",
      "    if t == 0 and i == 0x1234 and data[ihl + 8:] == body and csum(data[ihl:]) == 0:",
      "        print('reply id=%d seq=%d from %s' % (i, q, addr[0]))",
      "        sys.exit(0)",
      "print('no reply')");

  private static void requirePrivateNamespace() throws IOException {
    List<String> names = new ArrayList<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      names.add(ni.getName());
    }
    Assumptions.assumeTrue(names.equals(List.of("lo")),
        "not in a private network namespace (interfaces " + names + "): no tap test");
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "no /dev/net/tun");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", command) + " hung");
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    return out;
  }
}
