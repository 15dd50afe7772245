package io.fleetsim.guest.workload;

import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code dhcp-server POOL [router=ADDR] [lease=DURATION] [dns=ADDR]}: a DHCP server (RFC 2131)
 * leasing the pool's addresses to the clients of its subnet, as QEMU's slirp does for its guest.
 * A server, so the guest starts it on every interface; it serves on the interface whose subnet
 * holds the pool and stays idle on the others ({@link #fitOn}). Runs until stopped. Default
 * criterion ({@link Criteria}): it did not refuse to serve (see {@link DhcpServerResult#refused}).
 *
 * @param lease whole seconds, 1 minute to 2^32 - 2 seconds (the largest finite option 51)
 */
public record DhcpServerWorkload(DhcpPool pool, Optional<Ipv4Address> router, Duration lease,
    Optional<Ipv4Address> dns) implements Workload {
  public static final String KIND = "dhcp-server";
  /** Without {@code lease=}: an hour, as reference.conf and README say. */
  public static final Duration DEFAULT_LEASE = Duration.ofHours(1);
  /** fleetsim's own client stretches shorter leases to a minute, as many clients do. */
  public static final Duration MIN_LEASE = Duration.ofMinutes(1);
  /** 0xFFFFFFFF in option 51 means "infinite"; one second less is the longest finite lease. */
  public static final long MAX_LEASE_SECONDS = 0xFFFF_FFFEL;

  public DhcpServerWorkload {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(dns, "dns");
    if (lease.getNano() != 0) {
      throw new IllegalArgumentException("lease=" + DurationText.human(lease)
          + " is not a whole number of seconds (option 51 counts seconds)");
    }
    if (lease.compareTo(MIN_LEASE) < 0) {
      throw new IllegalArgumentException("lease=" + DurationText.human(lease)
          + " is shorter than 1m (clients stretch shorter leases to a minute)");
    }
    if (lease.getSeconds() > MAX_LEASE_SECONDS) {
      throw new IllegalArgumentException("lease=" + DurationText.human(lease) + " is longer than "
          + MAX_LEASE_SECONDS + "s (the largest finite DHCP lease)");
    }
    if (router.isPresent() && pool.contains(router.get())) {
      throw new IllegalArgumentException("router=" + router.get() + " is inside the pool " + pool);
    }
  }

  /** How the server fits one interface: serve there, stay idle, or refuse (a wrong setup). */
  public record Fit(boolean serves, boolean refused, String why) {
    static Fit serve() {
      return new Fit(true, false, "");
    }

    static Fit idle(String why) {
      return new Fit(false, false, why);
    }

    static Fit refuse(String why) {
      return new Fit(false, true, why);
    }
  }

  /**
   * Whether the pool can be served from an interface with address and prefix {@code iface}: a
   * pool wholly outside its subnet leaves the server idle there (another interface may hold it);
   * a pool that runs past the subnet, holds the subnet's network or broadcast address, the
   * server's own address or the router, or a router off the subnet, is refused.
   */
  public Fit fitOn(Cidr iface) {
    boolean hasFirst = iface.contains(pool.first());
    boolean hasLast = iface.contains(pool.last());
    String subnet = iface.network() + "/" + iface.prefixLength();
    if (!hasFirst && !hasLast) {
      return Fit.idle("pool " + pool + " is not in this interface's subnet " + subnet);
    }
    if (!hasFirst || !hasLast) {
      return Fit.refuse("pool " + pool + " runs past this interface's subnet " + subnet);
    }
    if (iface.prefixLength() <= 30) {
      int network = iface.network().bits();
      int broadcast = network | ~Ipv4Address.mask(iface.prefixLength());
      if (pool.contains(new Ipv4Address(network)) || pool.contains(new Ipv4Address(broadcast))) {
        return Fit.refuse("pool " + pool + " holds the network or broadcast address of " + subnet);
      }
    }
    if (pool.contains(iface.address())) {
      return Fit.refuse("pool " + pool + " holds the server's own address " + iface.address());
    }
    if (router.isPresent() && !iface.contains(router.get())) {
      return Fit.refuse("router=" + router.get() + " is not on the server's subnet " + subnet);
    }
    return Fit.serve();
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return KIND + " " + pool + router.map(r -> " router=" + r).orElse("")
        + " lease=" + DurationText.human(lease) + dns.map(d -> " dns=" + d).orElse("");
  }

  @Override
  public boolean finite() {
    return false;
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    return new DhcpServerRun(this, stack);
  }
}
