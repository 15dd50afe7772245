package io.fleetsim.control;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Every counter so far, read at one moment (in real time a moment's sum: frames move while it is
 * read). Maps iterate in a fixed order. {@code vmsByState}: VMs per state (running, paused,
 * crashed, ...); {@code pingRttMicros}: ping round trips so far per fleet, in microseconds;
 * {@code tcp}: what every VM's TCP did.
 */
public record Readings(List<PortReading> ports, List<LinkReading> links,
    Map<String, Integer> vmsByState, Map<String, Histogram> pingRttMicros, TcpReading tcp) {

  public Readings {
    ports = List.copyOf(ports);
    links = List.copyOf(links);
  }

  /**
   * A network's port: its network, name and VM (empty for a QEMU netdev). {@code in} is what the
   * network took from the port's peer, {@code out} what it delivered to it; {@code drops} frames
   * lost at this port per cause label (no-peer, fault-loss, link-down, ...).
   */
  public record PortReading(String network, String port, String vm, long framesIn, long bytesIn,
      long framesOut, long bytesOut, Map<String, Long> drops) {}

  /**
   * One direction ({@code a>b}) of a link between two networks: frames and bytes delivered, and
   * frames lost per cause.
   */
  public record LinkReading(String link, String direction, long frames, long bytes,
      Map<String, Long> drops) {}

  /** TCP over every VM: bytes delivered in order to programs, segments sent again. */
  public record TcpReading(long bytesDelivered, long segmentsRetransmitted) {}
}
