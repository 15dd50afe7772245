package io.fleetsim.link;

/** Why a frame did not reach its destination. Every drop in fleetsim is counted under one. */
public enum DropCause {
  /** Sent towards a port whose netdev has no peer (an idle listen port, a lost connect). */
  NO_PEER("no-peer"),
  /** A TCP length prefix above QEMU's 69632-byte limit: the connection was closed. */
  OVERSIZE("oversize"),
  /** A zero-length datagram: QEMU would stop reading for good; we drop and go on. */
  ZERO_LENGTH("zero-length"),
  /** Frames queued for, or half-read from, a peer when it went away. */
  PEER_LOST("peer-lost"),
  /** Shorter than two MAC addresses: a switch cannot forward it. */
  RUNT("runt"),
  /** A datagram socket refused a send (kernel buffer full): UDP's own loss. */
  SEND_FAILED("send-failed"),
  /**
   * A datagram read while the netdev's small receive queue was full: the socket had been asked to
   * stop reading but datagrams already read were still arriving. The loss the kernel would
   * otherwise have made, counted because we saw it.
   */
  RECEIVE_OVERFLOW("receive-overflow");

  private final String label;

  DropCause(String label) {
    this.label = label;
  }

  /** The name used in printed counters and JSON. */
  public String label() {
    return label;
  }
}
