package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.capture.PcapWriter;
import io.fleetsim.link.FrameTap.Direction;
import io.fleetsim.guest.workload.Workloads;
import io.fleetsim.time.RealClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent judge of what the stack puts on the wire: Wireshark's dissectors, with
 * checksum validation on, must read every frame as the protocol we meant, with good checksums
 * and nothing malformed.
 */
class TsharkDissectionTest {
  private static final Path TSHARK = Path.of("/usr/bin/tshark");

  @TempDir Path dir;

  @Test
  void everyFrameTheStackSendsDissectsCleanly() throws Exception {
    requireTshark();
    VirtualClock clock = new VirtualClock();
    List<byte[]> frames = new ArrayList<>();

    // DHCP: DISCOVER, REQUEST, then the gratuitous ARP of the bound address.
    TestHost client = new TestHost(clock, 0x56);
    ScriptedDhcpServer server = new ScriptedDhcpServer(clock, client.link);
    CompletableFuture<DhcpLease> lease = client.stack.dhcp().toCompletableFuture();
    assertTrue(clock.runUntil(lease::isDone, 60_000_000_000L));
    frames.addAll(client.link.sent());
    assertEquals(2, server.seen.size());

    // Two hosts: ARP request/reply, echo request/reply, UDP with udp-send's payload, echo.
    TestHost[] p = TestHost.pair(clock);
    p[0].link.sent().clear();
    p[1].link.sent().clear();
    CompletableFuture<?> ping = Workloads.parse("ping 10.0.0.2 count=1 size=1472B")
        .start(p[0].stack.sockets()).result().toCompletableFuture();
    assertTrue(clock.runUntil(ping::isDone, 60_000_000_000L));
    Workloads.parse("echo 7").start(p[1].stack.sockets());
    CompletableFuture<?> send = Workloads.parse("udp-send 10.0.0.2:7 count=1 size=1472B")
        .start(p[0].stack.sockets()).result().toCompletableFuture();
    assertTrue(clock.runUntil(send::isDone, 60_000_000_000L));
    clock.runForMillis(10);
    frames.addAll(p[0].link.sent());
    frames.addAll(p[1].link.sent());

    Path file = dir.resolve("stack.pcap");
    try (PcapWriter w = PcapWriter.open("t", file, 65536, RealClock.system())) {
      for (byte[] f : frames) {
        w.frame(Direction.TO_WIRE, ByteString.fromArray(f));
      }
    }
    List<String> lines = tshark(file, "-o", "ip.check_checksum:TRUE", "-o",
        "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=|", "-e", "frame.protocols",
        "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "icmp.checksum.status",
        "-e", "dhcp.option.dhcp", "-e", "arp.opcode", "-e", "_ws.malformed", "-e",
        "_ws.expert.severity");
    // Fields: protocols | IPv4 checksum | UDP checksum | ICMP checksum | DHCP type | ARP op |
    // malformed | expert severity. Checksum status 1 = good (validated).
    assertEquals(List.of(
        "eth:ethertype:ip:udp:dhcp|1|1||1|||",   // DISCOVER
        "eth:ethertype:ip:udp:dhcp|1|1||3|||",   // REQUEST
        "eth:ethertype:arp|||||1||",             // gratuitous ARP of the lease
        "eth:ethertype:arp|||||1||",             // host 0 asks for 10.0.0.2
        "eth:ethertype:ip:icmp:data|1||1||||",   // echo request, 1472 data bytes
        "eth:ethertype:ip:udp:echo|1|1|||||",    // udp-send datagram to port 7
        "eth:ethertype:arp|||||2||",             // host 1 answers
        "eth:ethertype:ip:icmp:data|1||1||||",   // echo reply
        "eth:ethertype:ip:udp:echo|1|1|||||"),   // the echo server's answer
        lines);
  }

  private static void requireTshark() {
    boolean present = Files.isExecutable(TSHARK);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(TSHARK + " is missing, and CI=true requires this test to run");
    }
    Assumptions.assumeTrue(present, TSHARK + " not installed: skipping the tshark check");
  }

  private List<String> tshark(Path file, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(TSHARK.toString(), "-r", file.toString()));
    command.addAll(List.of(args));
    Path stderr = dir.resolve("tshark.err");
    Process proc = new ProcessBuilder(command).redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    byte[] stdout = proc.getInputStream().readAllBytes();
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
    assertEquals(0, proc.exitValue(), "tshark failed: " + Files.readString(stderr));
    String text = new String(stdout, StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
