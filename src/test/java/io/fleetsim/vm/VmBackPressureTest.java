package io.fleetsim.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.link.PortStats;
import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.guest.workload.SenderStats;
import io.fleetsim.guest.workload.UdpSendResult;
import io.fleetsim.guest.workload.UdpSinkResult;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fast sender VM (udp-send at 200,000/s offered) and a receiver VM whose vCPU handles a few
 * thousand frames a second, on one link.
 *
 * <p>Over TCP the link is lossless: the receiver's RX ring fills, its NIC holds frames, its
 * netdev stops reading, TCP pushes back, the sender's NIC cannot transmit, its TX ring fills and
 * udp-send waits. Over UDP multicast nothing pushes back: the receiver's netdev still stops
 * reading when its NIC is full (as QEMU's does), so the excess is dropped by the kernel before
 * the NIC ever sees it.
 */
@Timeout(120)
class VmBackPressureTest {
  static final MacAddress RX_MAC = MacAddress.tryParse("52:54:00:00:00:01").orElseThrow();
  static final MacAddress TX_MAC = MacAddress.tryParse("52:54:00:00:00:02").orElseThrow();

  static final double OFFERED = 200_000;
  static final int SIZE = 1400;
  /** Cycles the receiver's stack charges per frame at least (CostTable.defaults().rxPacket()). */
  static final double RX_PACKET_CYCLES = 3_000;

  @Test
  void aSlowReceiverSlowsTheSenderOverTcpAndNothingIsLost() throws Exception {
    // 20 MHz at >= 3000 cycles a frame: at most ~6,700 frames/s. 60,000 frames of 1400 bytes
    // (84 MB) are many times what loopback TCP buffers and the netdevs' buffers hold (with 20,000
    // a loaded machine once let the sender finish at 21,500/s), so the sender must wait.
    int count = 60_000;
    double rxMhz = 20;
    int port = Ports.free();
    try (VmRig rig = new VmRig()) {
      VmRig.Running rx = rig.start("rx", rxMhz, "socket,id=n0,listen=127.0.0.1:" + port, RX_MAC,
          "10.0.0.1/24", "udp-sink 5000");
      VmRig.Running tx = rig.start("tx", 1000, "socket,id=n0,connect=127.0.0.1:" + port, TX_MAC,
          "10.0.0.2/24", udpSend(count));
      VmEvent end = tx.events().expectMessageClass(VmEvent.class, Duration.ofSeconds(90));
      VmReport rxAtSenderEnd = rig.report(rx);
      VmReport txReport = rig.report(tx);
      assertEquals(new VmEvent.Finished("tx", true), end, () -> String.join("\n", tx.console()));

      UdpSendResult sent = VmRig.result(txReport, 0, UdpSendResult.class).orElseThrow();
      assertEquals(count, sent.sent(), sent.summary());
      assertEquals(0, sent.dropped(), sent.summary());

      rig.awaitReport(rx, r -> VmRig.guestCounters(r).get("udpDatagramsReceived") >= count,
          Duration.ofSeconds(60));
      VmReport rxFinal = rig.shutdown(rx);
      UdpSinkResult sink = VmRig.result(rxFinal, 0, UdpSinkResult.class).orElseThrow();
      String context = sent.summary() + "\n" + sink.summary();

      // Every sequence number exactly once, from the one sender.
      assertEquals(1, sink.senders().size(), context);
      SenderStats from = sink.senders().get(0);
      assertEquals(count, from.received(), context);
      assertEquals(count - 1, from.highestSequence(), context);
      assertEquals(0, from.lost(), context);
      assertEquals(0, from.duplicates(), context);
      assertEquals(count, sink.datagrams(), context);

      // The receiver's NIC held frames rather than dropping them: no missed packets, no
      // "receive no buffers", every frame from the wire taken, nothing dropped on the way in
      // (no-peer counts only what the receiver itself sent before the sender connected).
      Map<String, Long> e1000 = VmRig.e1000(rxFinal);
      assertEquals(0L, e1000.get("MPC"), e1000::toString);
      assertEquals(0L, e1000.get("RNBC"), e1000::toString);
      PortStats rxPort = VmRig.nic(rxFinal).port();
      assertEquals(rxPort.framesIn(), e1000.get("GPRC"), () -> rxPort + "\n" + e1000);
      for (String cause : List.of("runt", "zero-length", "peer-lost", "oversize",
          "receive-overflow")) {
        assertEquals(0L, rxPort.drops().getOrDefault(cause, 0L), rxPort::toString);
      }

      // The sender was held back: its TX ring filled and udp-send waited for it.
      E1000Driver.Stats txDriver = VmRig.driver(txReport);
      assertTrue(txDriver.txRingFull() > 0, txDriver::toString);
      assertTrue(sent.delayed() > 0, sent.summary());
      assertTrue(sent.achievedRate() < OFFERED / 10, sent.summary());

      // ...by the receiver: its vCPU was busy for most of the sender's run (with a fast
      // receiver the same transfer leaves it a few percent busy), so the sender's pace was the
      // receiver's, except for what the TCP buffers absorbed.
      double rxBusySeconds = rxAtSenderEnd.cpuCycles() / (rxMhz * 1e6);
      double utilisation = rxBusySeconds / (sent.elapsedNanos() / 1e9);
      assertTrue(utilisation > 0.5, "receiver vCPU busy " + utilisation + " of the sender's run; "
          + context);
      double receiverCeiling = rxMhz * 1e6 / RX_PACKET_CYCLES;
      assertTrue(sent.achievedRate() < 4 * receiverCeiling,
          "achieved " + sent.achievedRate() + "/s, receiver ceiling " + receiverCeiling + "/s");
    }
  }

  @Test
  void overMulticastTheExcessShowsInTheReceiversMissedPacketCount() throws Exception {
    // 5 MHz: at most ~1,700 frames/s, far below what the sender pushes into the group.
    int count = 5_000;
    double rxMhz = 5;
    int port = Ports.free();
    String group = "230.0.0.7";
    String netdev = "socket,id=n0,mcast=" + group + ":" + port + ",localaddr=127.0.0.1";
    try (VmRig rig = new VmRig()) {
      VmRig.Running rx = rig.start("rx", rxMhz, netdev, RX_MAC, "10.0.0.1/24", "udp-sink 5000");
      VmRig.Running tx = rig.start("tx", 1000, netdev, TX_MAC, "10.0.0.2/24", udpSend(count));
      VmEvent end = tx.events().expectMessageClass(VmEvent.class, Duration.ofSeconds(90));
      VmReport txReport = rig.report(tx);
      assertEquals(new VmEvent.Finished("tx", true), end, () -> String.join("\n", tx.console()));
      UdpSendResult sent = VmRig.result(txReport, 0, UdpSendResult.class).orElseThrow();
      assertEquals(count, sent.sent(), sent.summary());

      // Let the receiver drain what reached it: nothing waits in the kernel for the group's
      // sockets any more, every frame the NIC took from its netdev it put in the ring or missed,
      // and the guest took every frame from the ring.
      rig.awaitReport(rx, r -> {
        Map<String, Long> nic = VmRig.e1000(r);
        long tookFromWire = VmRig.nic(r).port().framesIn();
        return kernelQueued(group, port) == 0 && tookFromWire == nic.get("GPRC") + nic.get("MPC")
            && VmRig.guestCounters(r).get("rxFrames").equals(nic.get("GPRC"));
      }, Duration.ofSeconds(30));
      VmReport rxFinal = rig.shutdown(rx);
      UdpSinkResult sink = VmRig.result(rxFinal, 0, UdpSinkResult.class).orElseThrow();
      String context = sent.summary() + "\n" + sink.summary();

      assertEquals(1, sink.senders().size(), context);
      SenderStats from = sink.senders().get(0);
      assertTrue(from.lost() > 0, context);
      assertEquals(0, from.duplicates(), context);
      // Every number up to the highest that arrived was received or counted lost; the rest
      // (after the last arrival) never arrived. Together: exactly what was sent.
      assertEquals(from.highestSequence() + 1, from.received() + from.lost(), context);
      assertTrue(from.highestSequence() < count, context);
      long missing = count - from.received();
      assertTrue(missing > 0, context);

      // A datagram wire cannot be paused: frames the full ring has no room for are missed by
      // the NIC itself, and the guest's e1000 statistics show it.
      Map<String, Long> e1000 = VmRig.e1000(rxFinal);
      assertTrue(e1000.get("MPC") > 0, e1000::toString);
      assertTrue(e1000.get("RNBC") > 0, e1000::toString);
      // Everything the NIC took reached the guest stack, and every datagram the stack got
      // reached the sink.
      Map<String, Long> guest = VmRig.guestCounters(rxFinal);
      assertEquals(e1000.get("GPRC"), guest.get("rxFrames"), guest::toString);
      assertEquals(sink.datagrams(), guest.get("udpDatagramsReceived"), guest::toString);
      // ... so every missing datagram was missed by the NIC (MPC), or dropped before it: by the
      // kernel on the group's sockets (both VMs' sockets are bound to group:port) or as
      // netdev receive-overflow on the receiver's port.
      PortStats rxPort = VmRig.nic(rxFinal).port();
      long overflow = rxPort.drops().getOrDefault("receive-overflow", 0L);
      long kernelDrops = kernelDrops(group, port);
      assertTrue(e1000.get("MPC") + kernelDrops + overflow >= missing,
          "MPC " + e1000.get("MPC") + " + kernel drops " + kernelDrops + " + receive-overflow "
              + overflow + " < missing " + missing + "; " + context);
    }
  }

  private static String udpSend(int count) {
    return "udp-send 10.0.0.1:5000 rate=" + (long) OFFERED + "/s size=" + SIZE + "B count=" + count;
  }

  /** Sum of the "drops" column of /proc/net/udp over the sockets bound to {@code group:port}. */
  private static long kernelDrops(String group, int port) throws IOException {
    return sumOverSockets(group, port, f -> Long.parseLong(f[f.length - 1]));
  }

  /** Bytes waiting to be read on the sockets bound to {@code group:port} ("rx_queue"). */
  private static long kernelQueued(String group, int port) {
    try {
      return sumOverSockets(group, port, f -> Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long sumOverSockets(String group, int port,
      java.util.function.ToLongFunction<String[]> column) throws IOException {
    String[] octets = group.split("\\.");
    // /proc shows the address as a little-endian 32-bit hex number
    String wanted = String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X",
        Integer.parseInt(octets[3]), Integer.parseInt(octets[2]), Integer.parseInt(octets[1]),
        Integer.parseInt(octets[0]), port);
    List<String> lines = Files.readAllLines(Path.of("/proc/net/udp"));
    long sum = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f[1].equals(wanted)) {
        sum += column.applyAsLong(f);
      }
    }
    return sum;
  }
}
