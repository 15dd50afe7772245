package io.fleetsim.guest.socket;

import io.fleetsim.addr.Ipv4Address;

/**
 * An ICMP error (destination unreachable, time exceeded) about an echo request of an {@link
 * EchoSocket}, matched by the identifier of the request it quotes.
 *
 * @param from the reporting host (a router, or the destination itself)
 * @param sequence the sequence number of the request it is about
 * @param type the ICMP type: 3 destination unreachable, 11 time exceeded
 * @param code the ICMP code (3/0 net, 3/1 host unreachable; 11/0 TTL exceeded in transit)
 * @param destination where the request was going
 * @param receivedAtNanos guest time of arrival
 */
public record EchoError(Ipv4Address from, int sequence, int type, int code,
    Ipv4Address destination, long receivedAtNanos) {
  public static final int DEST_UNREACHABLE = 3;
  public static final int TIME_EXCEEDED = 11;

  /** What iputils ping prints for it: "Time to live exceeded", "Destination Net Unreachable". */
  public String describe() {
    if (type == TIME_EXCEEDED) {
      return code == 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
    }
    if (type == DEST_UNREACHABLE) {
      return switch (code) {
        case 0 -> "Destination Net Unreachable";
        case 1 -> "Destination Host Unreachable";
        case 2 -> "Destination Protocol Unreachable";
        case 3 -> "Destination Port Unreachable";
        case 4 -> "Frag needed and DF set";
        case 13 -> "Communication prohibited by filter";
        default -> "Dest Unreachable, Bad Code: " + code;
      };
    }
    return "Bad ICMP type: " + type;
  }
}
