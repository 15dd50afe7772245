package io.fleetsim.guest.socket;

/**
 * Why a TCP connection ended abnormally: {@code kind} for programs, {@code message} for people
 * (it names the peer and, for timeouts, how long the stack waited).
 */
public record TcpError(Kind kind, String message) {
  public enum Kind {
    /** The peer answered our SYN with RST: nothing listens there. */
    REFUSED,
    /** The peer reset an established connection. */
    RESET,
    /** Data or a SYN went unacknowledged past the user timeout (or the SYN retry limit). */
    TIMED_OUT,
    /** Keep-alive probes went unanswered. */
    KEEPALIVE_TIMEOUT,
    /** The stack could not send at all: no route to the peer, or no address yet. */
    NO_ROUTE,
    /** This side aborted it ({@link TcpSocket#abort}). */
    ABORTED
  }

  @Override
  public String toString() {
    return message;
  }
}
