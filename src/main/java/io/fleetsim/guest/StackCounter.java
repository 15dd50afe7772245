package io.fleetsim.guest;

/**
 * What the stack counts, each under a stable name. Every received frame ends in exactly one
 * {@link Kind#RX_OUTCOME}: delivered to a protocol, forwarded (a router), or dropped for a named
 * reason.
 */
public enum StackCounter {
  RX_FRAMES("rxFrames", Kind.TOTAL),
  RX_BYTES("rxBytes", Kind.TOTAL),
  RX_DELIVERED("rxDelivered", Kind.RX_OUTCOME),
  /** A router's: a packet for another host, sent on by the routing table (not a drop). */
  RX_FORWARDED("rxForwarded", Kind.RX_OUTCOME),
  /** A router's: a packet to forward whose TTL would reach 0 (ICMP time exceeded sent). */
  RX_DROP_TTL_EXCEEDED("rxDropTtlExceeded", Kind.RX_OUTCOME),
  /** A router's: a packet to forward with no route (ICMP net unreachable sent). */
  RX_DROP_NO_ROUTE("rxDropNoRoute", Kind.RX_OUTCOME),
  /** Shorter than the header of some layer (a runt below 14 bytes, a cut IPv4/UDP/ICMP header). */
  RX_DROP_TRUNCATED("rxDropTruncated", Kind.RX_OUTCOME),
  /** A length field that disagrees with the bytes present (IPv4 total length, UDP length). */
  RX_DROP_BAD_LENGTH("rxDropBadLength", Kind.RX_OUTCOME),
  RX_DROP_BAD_VERSION("rxDropBadVersion", Kind.RX_OUTCOME),
  /** IPv4 IHL below 5; ARP for other hardware/protocol types; BOOTP not for Ethernet or DHCP. */
  RX_DROP_BAD_HEADER("rxDropBadHeader", Kind.RX_OUTCOME),
  RX_DROP_BAD_CHECKSUM("rxDropBadChecksum", Kind.RX_OUTCOME),
  /** A broadcast/multicast/zero source where a host address must be (RFC 1122 3.2.1.3). */
  RX_DROP_BAD_ADDRESS("rxDropBadAddress", Kind.RX_OUTCOME),
  RX_DROP_FRAGMENT("rxDropFragment", Kind.RX_OUTCOME),
  /** Another host's MAC or IPv4 address, an ARP for someone else, a broadcast ping. */
  RX_DROP_NOT_FOR_US("rxDropNotForUs", Kind.RX_OUTCOME),
  /** Our own MAC as source: our broadcast looped back (QEMU mcast does that) or a MAC clash. */
  RX_DROP_OWN_SOURCE("rxDropOwnSource", Kind.RX_OUTCOME),
  /** An EtherType or IPv4 protocol the stack does not speak. */
  RX_DROP_UNKNOWN_PROTOCOL("rxDropUnknownProtocol", Kind.RX_OUTCOME),
  /** A known protocol's message the stack ignores: other ICMP types, ARP opcodes, DHCP types. */
  RX_DROP_UNSUPPORTED("rxDropUnsupported", Kind.RX_OUTCOME),
  RX_DROP_NO_PORT("rxDropNoPort", Kind.RX_OUTCOME),
  /** A reply nobody waits for: echo reply with an unknown id, DHCP with another xid. */
  RX_DROP_UNMATCHED("rxDropUnmatched", Kind.RX_OUTCOME),
  // DHCP replies the client refused (RFC 2131/2132), one counter per reason:
  /** An option cut short, or of a length RFC 2132 forbids (a 3-byte mask, a 5-byte router). */
  RX_DROP_DHCP_BAD_OPTION("rxDropDhcpBadOption", Kind.RX_OUTCOME),
  /** An offered address or server identifier that is no unicast host: 0/8, 127/8, 224/4, 240/4. */
  RX_DROP_DHCP_BAD_ADDRESS("rxDropDhcpBadAddress", Kind.RX_OUTCOME),
  /** A subnet mask with holes (255.0.255.0), or 0.0.0.0. */
  RX_DROP_DHCP_BAD_MASK("rxDropDhcpBadMask", Kind.RX_OUTCOME),
  /** The server offering its own address. */
  RX_DROP_DHCP_SERVER_ADDRESS("rxDropDhcpServerAddress", Kind.RX_OUTCOME),
  /** The network or broadcast address of the offered subnet (prefixes up to /30). */
  RX_DROP_DHCP_SUBNET_ADDRESS("rxDropDhcpSubnetAddress", Kind.RX_OUTCOME),

  TX_FRAMES("txFrames", Kind.TX),
  TX_BYTES("txBytes", Kind.TX),
  /** Frames the link refused at first (ring full), held and sent on transmitSpace. */
  TX_DEFERRED("txDeferred", Kind.TX),
  TX_QUEUE_FULL("txQueueFull", Kind.TX),
  TX_DROP_LINK_DOWN("txDropLinkDown", Kind.TX),
  TX_DROP_NO_ROUTE("txDropNoRoute", Kind.TX),
  TX_DROP_ARP_FAILED("txDropArpFailed", Kind.TX),
  TX_DROP_ARP_QUEUE_FULL("txDropArpQueueFull", Kind.TX),
  /** Packets to our own address, handed back to the receive path without touching the link. */
  TX_LOOPBACK("txLoopback", Kind.TX),
  /** Packets forwarded out of this interface (another interface, or this one, received them). */
  TX_FORWARDED("txForwarded", Kind.TX),

  ARP_REQUESTS_SENT("arpRequestsSent", Kind.PROTOCOL),
  ARP_REPLIES_SENT("arpRepliesSent", Kind.PROTOCOL),
  ARP_ANNOUNCEMENTS_SENT("arpAnnouncementsSent", Kind.PROTOCOL),
  ARP_REQUESTS_RECEIVED("arpRequestsReceived", Kind.PROTOCOL),
  ARP_REPLIES_RECEIVED("arpRepliesReceived", Kind.PROTOCOL),
  ARP_RESOLUTION_FAILURES("arpResolutionFailures", Kind.PROTOCOL),
  ARP_CONFLICTS("arpConflicts", Kind.PROTOCOL),
  ICMP_ECHO_REQUESTS_SENT("icmpEchoRequestsSent", Kind.PROTOCOL),
  ICMP_ECHO_REPLIES_RECEIVED("icmpEchoRepliesReceived", Kind.PROTOCOL),
  ICMP_ECHO_REQUESTS_RECEIVED("icmpEchoRequestsReceived", Kind.PROTOCOL),
  ICMP_ECHO_REPLIES_SENT("icmpEchoRepliesSent", Kind.PROTOCOL),
  /** ICMP time exceeded and destination unreachable sent (a router's forwarding errors). */
  ICMP_ERRORS_SENT("icmpErrorsSent", Kind.PROTOCOL),
  /** ICMP errors not sent because the token bucket was empty (as Linux's icmp_ratelimit). */
  ICMP_ERRORS_RATE_LIMITED("icmpErrorsRateLimited", Kind.PROTOCOL),
  /** ICMP destination unreachable and time exceeded received about a packet of ours. */
  ICMP_ERRORS_RECEIVED("icmpErrorsReceived", Kind.PROTOCOL),
  UDP_DATAGRAMS_SENT("udpDatagramsSent", Kind.PROTOCOL),
  UDP_DATAGRAMS_RECEIVED("udpDatagramsReceived", Kind.PROTOCOL),
  DHCP_DISCOVERS_SENT("dhcpDiscoversSent", Kind.PROTOCOL),
  DHCP_REQUESTS_SENT("dhcpRequestsSent", Kind.PROTOCOL),
  DHCP_OFFERS_RECEIVED("dhcpOffersReceived", Kind.PROTOCOL),
  DHCP_ACKS_RECEIVED("dhcpAcksReceived", Kind.PROTOCOL),
  DHCP_NAKS_RECEIVED("dhcpNaksReceived", Kind.PROTOCOL),
  /** TCP segments sent (data, ACKs, SYNs, RSTs, retransmissions). */
  TCP_SEGMENTS_SENT("tcpSegmentsSent", Kind.PROTOCOL),
  /** TCP segments received with a good checksum, for us. */
  TCP_SEGMENTS_RECEIVED("tcpSegmentsReceived", Kind.PROTOCOL),
  TCP_RESETS_SENT("tcpResetsSent", Kind.PROTOCOL),
  /** TCP segments sent again (timeouts and fast retransmits). */
  TCP_RETRANSMISSIONS("tcpRetransmissions", Kind.PROTOCOL);

  /** Groups for display and for the receive accounting identity. */
  public enum Kind { TOTAL, RX_OUTCOME, TX, PROTOCOL }

  private final String key;
  private final Kind kind;

  StackCounter(String key, Kind kind) {
    this.key = key;
    this.kind = kind;
  }

  /** The stable camelCase name, e.g. {@code rxDropBadChecksum}. */
  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isRxDrop() {
    return kind == Kind.RX_OUTCOME && this != RX_DELIVERED && this != RX_FORWARDED;
  }
}
