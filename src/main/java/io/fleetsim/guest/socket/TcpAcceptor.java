package io.fleetsim.guest.socket;

/** Decides what handles each connection a {@link TcpListener} accepts. */
@FunctionalInterface
public interface TcpAcceptor {
  /**
   * A peer's connection is established on the listening port; the returned handler gets its
   * data ({@link TcpHandler#connected} is not called for accepted connections: this is it).
   */
  TcpHandler accepted(TcpSocket socket);
}
