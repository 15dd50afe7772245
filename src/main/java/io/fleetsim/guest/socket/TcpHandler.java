package io.fleetsim.guest.socket;

/**
 * Events of one TCP connection, on the VM thread. Data arrives in order, exactly once; every
 * connection ends with exactly one {@link #closed} call.
 */
public interface TcpHandler {
  /** The active open completed (not called for accepted connections). */
  default void connected(TcpSocket socket) {}

  /** The next bytes of the peer's stream (the array is the handler's to keep). */
  void received(TcpSocket socket, byte[] data);

  /** The send buffer has room again after {@link TcpSocket#send} took less than offered. */
  default void writable(TcpSocket socket) {}

  /** The peer closed its direction (FIN): no more data will arrive; we may still send. */
  default void peerClosed(TcpSocket socket) {}

  /**
   * The connection is over: {@code error} is empty for an orderly close (both FINs exchanged and
   * acknowledged), else why it ended (reset, refused, timed out, no route).
   */
  default void closed(TcpSocket socket, java.util.Optional<TcpError> error) {}
}
