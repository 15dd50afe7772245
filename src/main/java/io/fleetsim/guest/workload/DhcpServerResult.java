package io.fleetsim.guest.workload;

import java.util.List;
import java.util.Optional;

/**
 * What one dhcp-server run on one interface did.
 *
 * @param server the interface's address/prefix (the server identifier); empty without one
 * @param idle why it did not serve on this interface, when it did not
 * @param refused it could not serve where it should (no address, a pool that does not fit the
 *     subnet, port 67 taken): this fails it; a pool on another interface's subnet does not
 * @param datagrams every datagram to port 67; each ends as exactly one of malformed, offers,
 *     exhausted, acks, naks, declines, releases or ignored ({@link #accounted})
 * @param exhausted DISCOVERs left unanswered because no address was free
 * @param malformed datagrams to port 67 that are not DHCP requests (counted and dropped)
 * @param ignored well-formed messages it had no business answering (a REQUEST for another
 *     server, an INIT-REBOOT of a client it has no record of, an INFORM, replies)
 * @param sendFailures replies the stack refused
 * @param leases the leases active when the result was taken, by address
 */
public record DhcpServerResult(String pool, int poolSize, Optional<String> server,
    Optional<String> idle, boolean refused, long datagrams, long discovers, long requests, long offers, long acks,
    long naks, long declines, long releases, long exhausted, long malformed, long ignored,
    long sendFailures, List<DhcpServerLease> leases) implements WorkloadResult {
  public DhcpServerResult {
    leases = List.copyOf(leases);
  }

  /** Whether every datagram has its one outcome. */
  public boolean accounted() {
    return datagrams == malformed + offers + exhausted + acks + naks + declines + releases + ignored;
  }

  @Override
  public String kind() {
    return DhcpServerWorkload.KIND;
  }

  @Override
  public String summary() {
    String head = "dhcp-server " + pool + server.map(s -> " on " + s).orElse("");
    if (idle.isPresent()) {
      return head + ": " + (refused ? "refused to serve: " : "idle: ") + idle.get();
    }
    return head + ": " + offers + " offers, " + acks + " acks, " + naks + " naks, " + declines
        + " declines, " + releases + " releases, " + leases.size() + "/" + poolSize
        + " leased, " + exhausted + " exhausted" + (malformed > 0 ? ", " + malformed + " malformed" : "")
        + (sendFailures > 0 ? ", " + sendFailures + " replies not sent" : "");
  }
}
