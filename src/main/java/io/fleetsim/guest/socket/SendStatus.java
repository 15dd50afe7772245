package io.fleetsim.guest.socket;

/** What became of a packet handed to the stack. */
public enum SendStatus {
  /** Handed to the link. */
  SENT(true),
  /** The link's ring was full: held by the stack, sent on transmitSpace. */
  QUEUED(true),
  /** Waiting for ARP to resolve the next hop. */
  RESOLVING(true),
  /** To our own address: delivered back to ourselves. */
  LOOPED_BACK(true),
  NO_ROUTE(false),
  LINK_DOWN(false),
  /** The stack's hold queue (link back-pressure) or ARP's pending queue was full. */
  QUEUE_FULL(false);

  private final boolean accepted;

  SendStatus(boolean accepted) {
    this.accepted = accepted;
  }

  /** True unless the packet was dropped on the spot. */
  public boolean accepted() {
    return accepted;
  }
}
