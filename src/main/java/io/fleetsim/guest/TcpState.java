package io.fleetsim.guest;

/** The connection states of RFC 9293 3.3.2 (LISTEN is the listener itself, not a connection). */
enum TcpState {
  SYN_SENT("SYN-SENT"),
  SYN_RECEIVED("SYN-RECEIVED"),
  ESTABLISHED("ESTABLISHED"),
  FIN_WAIT_1("FIN-WAIT-1"),
  FIN_WAIT_2("FIN-WAIT-2"),
  CLOSE_WAIT("CLOSE-WAIT"),
  CLOSING("CLOSING"),
  LAST_ACK("LAST-ACK"),
  TIME_WAIT("TIME-WAIT"),
  CLOSED("CLOSED");

  private final String rfcName;

  TcpState(String rfcName) {
    this.rfcName = rfcName;
  }

  String rfcName() {
    return rfcName;
  }

  /** Both SYNs exchanged (RFC 9293's synchronized states). */
  boolean synchronized_() {
    return this != SYN_SENT && this != SYN_RECEIVED && this != CLOSED;
  }

  /** Our stream may still have data or a FIN waiting for acknowledgement or to be sent. */
  boolean sending() {
    return this == ESTABLISHED || this == CLOSE_WAIT || this == FIN_WAIT_1 || this == CLOSING
        || this == LAST_ACK;
  }

  /** The peer's data is still accepted (it has not sent FIN). */
  boolean receiving() {
    return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
  }
}
