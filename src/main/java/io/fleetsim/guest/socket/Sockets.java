package io.fleetsim.guest.socket;

import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What a guest program gets from the guest OS: UDP, TCP and ICMP echo sockets on one interface,
 * timers on the VM's clock, the console and the VM's seeded random numbers. This is the whole
 * surface a workload is written against (built-in or a user's {@link App}).
 *
 * <p>Single-threaded, like the guest: every call comes on the VM's thread and every callback
 * (handlers, timers) runs there, never inside the call that caused it unless a method says so.
 * Nothing blocks; back-pressure is a short count or a refusal plus a later callback.
 */
public interface Sockets {
  /** The largest UDP payload that fits a 1500-byte MTU unfragmented. */
  int MAX_UDP_PAYLOAD = 1500 - 20 - 8;
  /** The largest echo payload that fits a 1500-byte MTU unfragmented. */
  int MAX_ICMP_PAYLOAD = 1500 - 20 - 8;

  /** Guest time in nanoseconds: the VM's clock (virtual or real), never read the host's. */
  long nanoTime();

  /** Runs {@code task} after {@code delayNanos} on the VM's clock; it costs the vCPU a timer tick. */
  Timer schedule(long delayNanos, Runnable task);

  /** A line of guest console output. */
  void print(String line);

  /** The VM's random numbers, seeded by the experiment: the same seed, the same decisions. */
  SplittableRandom random();

  /** This interface's IPv4 address, once configured (statically or by DHCP). */
  Optional<Ipv4Address> address();

  /** This interface's address with its prefix length (its on-link subnet), once configured. */
  Optional<Cidr> subnet();

  /**
   * Binds a UDP port (0 picks a free ephemeral one).
   *
   * @throws IllegalStateException when the port is bound already
   */
  UdpSocket udpBind(int port, UdpHandler handler);

  /**
   * Whether a packet to {@code destination} would leave now (nothing held for the link, the next
   * hop not being resolved); datagram senders that respect back-pressure ask this first.
   */
  boolean canSend(Ipv4Address destination);

  /** Runs {@code task} once {@link #canSend} holds; never synchronously. */
  void whenCanSend(Ipv4Address destination, Runnable task);

  /** Opens an ICMP echo socket (what ping uses) with a fresh identifier. */
  EchoSocket openEcho(EchoListener listener);

  /**
   * Listens on a TCP port; each connection a peer opens is offered to {@code acceptor} once its
   * handshake completes.
   *
   * @throws IllegalStateException when the port is taken
   */
  TcpListener tcpListen(int port, TcpAcceptor acceptor);

  /**
   * Opens a TCP connection from a free ephemeral port. Returns at once; {@link
   * TcpHandler#connected} follows when the handshake completes, else {@link TcpHandler#closed}
   * with the reason (refused, timed out, no route).
   */
  TcpSocket tcpConnect(Ipv4Address host, int port, TcpHandler handler);
}
