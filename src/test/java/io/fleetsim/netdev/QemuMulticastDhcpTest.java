package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import io.fleetsim.time.RealClock;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with a real QEMU: a guest-less QEMU whose slirp DHCP server sits on a hub with a
 * {@code socket,mcast=} netdev answers a DHCP DISCOVER that fleetsim's multicast netdev sends to
 * the same group. Skipped when qemu-system-x86_64 is not installed.
 */
@ExtendWith(TestKitJUnit5Extension.class)
class QemuMulticastDhcpTest {
  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static final String GROUP = "230.0.0.40";
  private static final int PORT = 24040;
  private static final byte[] MAC = {0x52, 0x54, 0x00, 0x0f, 0x5e, 0x01};
  private static final int XID = 0x0f5e0d1c;

  @Test
  void slirpBehindQemuAnswersADiscoverSentThroughTheGroup(@TempDir Path tmp) throws Exception {
    String qemu = findOnPath("qemu-system-x86_64");
    Assumptions.assumeTrue(qemu != null, "qemu-system-x86_64 is not installed");

    ProbePort fabric = new ProbePort("m0", testKit.system());
    TestProbe<NetdevStatus> status = testKit.createTestProbe();
    NetdevSpec spec = new NetdevSpec.Multicast("m0", new SocketAddr.Inet(GROUP, PORT),
        Optional.of("127.0.0.1"), "socket,id=m0,mcast=" + GROUP + ":" + PORT
            + ",localaddr=127.0.0.1");
    testKit.spawn(DatagramNetdev.create(spec, fabric, DatagramOptions.defaults(),
        RealClock.system(), status.ref()));
    status.expectMessageClass(NetdevStatus.Ready.class, ProbePort.WAIT);
    ProbePort.Link link = fabric.awaitLink();

    Path log = tmp.resolve("qemu.log");
    Process process = new ProcessBuilder(qemu, "-M", "none", "-nodefaults", "-nographic",
        "-display", "none",
        "-netdev", "socket,id=m,mcast=" + GROUP + ":" + PORT + ",localaddr=127.0.0.1",
        "-netdev", "hubport,id=h0,hubid=0,netdev=m",
        "-netdev", "user,id=u0,restrict=on",
        "-netdev", "hubport,id=h1,hubid=0,netdev=u0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      ByteString offer = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      // QEMU gives no sign when it is up: repeat the DISCOVER until an OFFER comes back.
      while (offer == null && System.nanoTime() < deadline && process.isAlive()) {
        link.toWire().sendNext(dhcpDiscover());
        offer = awaitOffer(link, Duration.ofMillis(500));
      }
      assertNotNull(offer, "no DHCP OFFER from QEMU; its output:\n"
          + Files.readString(log, StandardCharsets.UTF_8));
      assertEquals("10.0.2.15", yourAddress(offer), "slirp's first lease");
    } finally {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Frames until a DHCP OFFER for our transaction, or null after {@code wait} of silence. */
  private static ByteString awaitOffer(ProbePort.Link link, Duration wait) {
    while (true) {
      link.fromWire().request(1);
      ByteString frame;
      try {
        frame = link.fromWire().expectNext(wait);
      } catch (AssertionError silence) {
        return null; // the unmet demand stays and is used by the next round
      }
      if (isOfferForUs(frame)) {
        return frame;
      }
    }
  }

  private static String findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  // --- a minimal DHCP DISCOVER and OFFER check (RFC 2131), built by hand ---

  private static final int ETH = 14;
  private static final int IP = 20;
  private static final int UDP = 8;
  private static final int BOOTP_FIXED = 236;

  static ByteString dhcpDiscover() {
    int bootpLength = BOOTP_FIXED + 312; // the classic 548-byte BOOTP message
    ByteBuffer b = ByteBuffer.allocate(ETH + IP + UDP + bootpLength);
    // Ethernet: broadcast from our MAC, IPv4.
    for (int i = 0; i < 6; i++) {
      b.put((byte) 0xff);
    }
    b.put(MAC).putShort((short) 0x0800);
    // IPv4: 0.0.0.0 -> 255.255.255.255, UDP, TTL 64.
    int ipStart = b.position();
    b.put((byte) 0x45).put((byte) 0).putShort((short) (IP + UDP + bootpLength))
        .putShort((short) 0).putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
        .putInt(0).putInt(0xffffffff);
    b.putShort(ipStart + 10, ipChecksum(b.array(), ipStart, IP));
    // UDP 68 -> 67, no checksum (allowed over IPv4).
    b.putShort((short) 68).putShort((short) 67).putShort((short) (UDP + bootpLength))
        .putShort((short) 0);
    // BOOTP request, Ethernet, broadcast reply wanted.
    b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(XID).putShort((short) 0)
        .putShort((short) 0x8000);
    b.position(b.position() + 16); // ciaddr, yiaddr, siaddr, giaddr
    int chaddr = b.position();
    b.put(MAC);
    b.position(chaddr + 16 + 64 + 128); // chaddr, sname, file
    b.putInt(0x63825363); // magic cookie
    b.put((byte) 53).put((byte) 1).put((byte) 1); // DHCP DISCOVER
    b.put((byte) 255);
    return ByteString.fromArray(b.array());
  }

  private static short ipChecksum(byte[] data, int offset, int length) {
    int sum = 0;
    for (int i = offset; i < offset + length; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (short) ~sum;
  }

  private static boolean isOfferForUs(ByteString frame) {
    ByteBuffer b = frame.asByteBuffer();
    int bootp = ETH + IP + UDP;
    if (b.remaining() < bootp + BOOTP_FIXED + 4 || b.getShort(12) != 0x0800
        || b.get(ETH + 9) != 17 || b.getShort(ETH + IP) != 67 || b.getShort(ETH + IP + 2) != 68
        || b.get(bootp) != 2 || b.getInt(bootp + 4) != XID
        || b.getInt(bootp + BOOTP_FIXED) != 0x63825363) {
      return false;
    }
    for (int i = bootp + BOOTP_FIXED + 4; i + 1 < b.limit(); ) {
      int code = b.get(i) & 0xff;
      if (code == 255) {
        return false;
      }
      if (code == 0) {
        i++;
        continue;
      }
      int len = b.get(i + 1) & 0xff;
      if (code == 53 && len == 1) {
        return b.get(i + 2) == 2; // DHCP OFFER
      }
      i += 2 + len;
    }
    return false;
  }

  private static String yourAddress(ByteString offer) {
    ByteBuffer b = offer.asByteBuffer();
    int at = ETH + IP + UDP + 16;
    return (b.get(at) & 0xff) + "." + (b.get(at + 1) & 0xff) + "." + (b.get(at + 2) & 0xff) + "."
        + (b.get(at + 3) & 0xff);
  }
}
