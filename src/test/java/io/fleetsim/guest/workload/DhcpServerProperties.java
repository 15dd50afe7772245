package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.DhcpLease;
import io.fleetsim.guest.Frames;
import io.fleetsim.guest.TestHost;
import io.fleetsim.guest.VirtualClock;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever reaches port 67, dhcp-server never throws, gives every datagram exactly one outcome,
 * and still leases to a well-behaved client afterwards.
 */
class DhcpServerProperties {
  private static final long MAC = 0x0200_0000_0055L;

  @Property(tries = 200)
  void anythingToPort67IsAccountedAndTheServerKeepsServing(
      @ForAll("payloads") List<byte[]> payloads) {
    VirtualClock clock = new VirtualClock();
    Lan lan = new Lan(clock);
    TestHost server = new TestHost(clock, 2).configured("10.1.0.2", 24);
    lan.attach(server.link);
    java.util.function.Consumer<byte[]> send = lan.raw(f -> {});
    WorkloadRun run = Workloads.parse("dhcp-server 10.1.0.100-10.1.0.103 router=10.1.0.1")
        .start(server.stack.sockets());
    for (byte[] p : payloads) {
      send.accept(Frames.ipv4(Frames.BROADCAST, MAC, 0, -1, 17, 64,
          Frames.udp(0, -1, 68, 67, p, true)));
    }
    clock.runFor(1_000_000_000L);
    DhcpServerResult r = (DhcpServerResult) run.snapshot();
    assertEquals(payloads.size(), r.datagrams());
    assertTrue(r.accounted(), r.toString());
    TestHost client = new TestHost(clock, 9, 9);
    lan.attach(client.link);
    CompletableFuture<DhcpLease> lease = client.stack.dhcp().toCompletableFuture();
    assertTrue(clock.runUntil(lease::isDone, 120_000_000_000L), r.toString());
    assertTrue(new DhcpPool(Ipv4Address.parse("10.1.0.100"), Ipv4Address.parse("10.1.0.103"))
        .contains(lease.join().address()));
    assertTrue(((DhcpServerResult) run.snapshot()).accounted());
  }

  @Provide
  Arbitrary<List<byte[]>> payloads() {
    Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    // a DHCP header from this client (type 1-8), then random option bytes
    Arbitrary<byte[]> dhcpish = Combinators.combine(Arbitraries.integers().between(1, 8),
        Arbitraries.integers().between(0, 2),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(60))
        .as((type, ciaddrKind, options) -> {
          ByteBuffer p = ByteBuffer.allocate(240 + 3 + options.length);
          p.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(7).putShort((short) 0)
              .putShort((short) 0x8000)
              .putInt(ciaddrKind == 0 ? 0 : ciaddrKind == 1 ? Frames.ip("10.1.0.101")
                  : Frames.ip("192.168.0.1"))
              .putInt(0).putInt(0).putInt(0);
          Frames.putMac(p, MAC);
          p.position(236);
          p.putInt(0x6382_5363);
          p.put((byte) 53).put((byte) 1).put((byte) (int) type);
          p.put(options);
          return p.array();
        });
    return Arbitraries.oneOf(junk, dhcpish).list().ofMaxSize(12);
  }
}
