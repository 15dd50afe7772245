package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.Dhcp;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Ports;
import io.fleetsim.testing.Qemu;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * fleetsim's hub against a real QEMU: a guest-less QEMU whose slirp sits on a QEMU hub with a
 * socket netdev joins fleetsim; a test client on another fleetsim port asks slirp for a lease.
 * The test JVM runs in a private network namespace, so the multicast group stays inside it.
 */
@Timeout(120)
class QemuInteropTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final byte[] CLIENT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x77};

  @BeforeEach
  void qemuPresent() {
    Qemu.require();
  }

  @Test
  void qemuConnectsToAFleetsimListenPortAndItsSlirpAnswersDhcp() throws Exception {
    int qemuPort = Ports.free();
    int clientPort = Ports.free();
    try (Fleetsim hub = Fleetsim.start("hub",
            "-netdev", "socket,id=vm,listen=127.0.0.1:" + qemuPort,
            "-netdev", "socket,id=client,listen=127.0.0.1:" + clientPort);
         Qemu qemu = startAfter(hub, "socket,id=s0,connect=127.0.0.1:" + qemuPort)) {
      assertOfferThrough(clientPort, qemu);
    }
  }

  @Test
  void qemuStreamClientConnectsToAFleetsimListenPort() throws Exception {
    int qemuPort = Ports.free();
    int clientPort = Ports.free();
    try (Fleetsim hub = Fleetsim.start("switch",
            "-netdev", "socket,id=vm,listen=127.0.0.1:" + qemuPort,
            "-netdev", "socket,id=client,listen=127.0.0.1:" + clientPort);
         Qemu qemu = startAfter(hub, "stream,id=s0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port="
             + qemuPort)) {
      assertOfferThrough(clientPort, qemu);
    }
  }

  @Test
  void fleetsimConnectsToQemusOwnListenPort() throws Exception {
    int qemuPort = Ports.free();
    int clientPort = Ports.free();
    try (Qemu qemu = Qemu.withSlirp("socket,id=s0,listen=127.0.0.1:" + qemuPort)) {
      awaitListening(qemuPort, qemu);
      try (Fleetsim hub = Fleetsim.start("hub",
          "-netdev", "socket,id=vm,connect=127.0.0.1:" + qemuPort,
          "-netdev", "socket,id=client,listen=127.0.0.1:" + clientPort)) {
        hub.awaitLine(l -> l.startsWith("hub ready"), START);
        assertOfferThrough(clientPort, qemu);
      }
    }
  }

  @Test
  void qemuOnAMulticastBusReachesAFleetsimTcpPort() throws Exception {
    int group = Ports.free();
    int clientPort = Ports.free();
    String mcast = "mcast=230.0.0.1:" + group + ",localaddr=127.0.0.1";
    try (Fleetsim hub = Fleetsim.start("hub",
            "-netdev", "socket,id=bus," + mcast,
            "-netdev", "socket,id=client,listen=127.0.0.1:" + clientPort);
         Qemu qemu = startAfter(hub, "socket,id=s0," + mcast)) {
      assertOfferThrough(clientPort, qemu);
    }
  }

  private static Qemu startAfter(Fleetsim hub, String qemuNetdev) throws Exception {
    hub.awaitLine(l -> l.endsWith("ready: 2 ports"), START);
    return Qemu.withSlirp(qemuNetdev);
  }

  /** Sends DISCOVERs from a client on {@code port} until slirp's OFFER comes back. */
  private static void assertOfferThrough(int port, Qemu qemu) throws Exception {
    int xid = ThreadLocalRandom.current().nextInt();
    try (FramedClient client = FramedClient.connect("127.0.0.1", port)) {
      long deadline = System.nanoTime() + START.toNanos();
      while (System.nanoTime() < deadline) {
        client.send(Dhcp.discover(CLIENT_MAC, xid));
        long until = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < until) {
          Optional<byte[]> frame = client.receive(200);
          if (frame.isPresent()) {
            Optional<Dhcp.Offer> offer = Dhcp.parseOffer(frame.get());
            if (offer.isPresent() && offer.get().xid() == xid) {
              assertEquals("10.0.2.15", offer.get().yourIp());
              assertEquals("10.0.2.2", offer.get().serverIp());
              return;
            }
          }
        }
        assertTrue(qemu.process().isAlive(), "qemu exited:\n" + qemu.output());
      }
    }
    throw new AssertionError("no DHCP OFFER from QEMU's slirp; qemu output:\n" + qemu.output());
  }

  private static void awaitListening(int port, Qemu qemu) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(qemu.process().isAlive(), "qemu exited:\n" + qemu.output());
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
        // QEMU takes this probe as its peer; it listens again once we close it
        Thread.sleep(200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("qemu never listened on " + port + ":\n" + qemu.output());
  }
}
