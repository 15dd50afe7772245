package io.fleetsim.control;

import java.util.List;
import java.util.Optional;

/**
 * What is running: {@code kind} experiment, hub or switch; {@code name} the experiment's (the
 * command's label for a hub or switch); {@code clock} real or virtual; {@code state} starting,
 * running, stopping or ended; seconds since the timeline started (on the run's clock) and the
 * run's duration (empty: until stopped); VMs running of all; {@code readOnly} with the reason
 * when changes are refused (virtual time, not running); and every network with its ports.
 */
public record Status(String kind, String name, String clock, String state, double elapsedSeconds,
    Optional<Double> durationSeconds, int vmsRunning, int vmCount, Optional<String> readOnly,
    List<NetworkView> networks) {

  public Status {
    networks = List.copyOf(networks);
  }

  /** A network (or a hub or switch's fabric): its kind hub or switch, and its ports. */
  public record NetworkView(String name, String kind, List<PortView> ports) {
    public NetworkView {
      ports = List.copyOf(ports);
    }
  }

  /**
   * One port: its name ({@code web-1/eth0}, a netdev id), what is on the other end in words
   * ({@code vm web-1 eth0}, {@code qemu socket,listen=127.0.0.1:5000}), and whether that peer is
   * there now (a VM running, a socket connected).
   */
  public record PortView(String name, String peer, boolean peerUp) {}
}
