package io.fleetsim.guest.socket;

import io.fleetsim.addr.Ipv4Address;
import java.time.Duration;

/**
 * One TCP connection (RFC 9293), as a program sees it. Sending is back-pressured by the send
 * buffer: {@link #send} takes what fits and {@link TcpHandler#writable} says when more fits.
 * Receiving is pushed to the handler; {@link #pauseReceiving} stops that, the stack then buffers
 * up to its receive buffer and the advertised window closes, as an application that stops
 * reading makes a real one do.
 */
public interface TcpSocket {
  Ipv4Address localAddress();

  int localPort();

  Ipv4Address remoteAddress();

  int remotePort();

  /** The state name of RFC 9293 ({@code ESTABLISHED}, {@code TIME-WAIT}, ...). */
  String state();

  /**
   * Queues bytes for sending; returns how many were taken (0 when the buffer is full or the
   * connection cannot send any more). After a short count, {@link TcpHandler#writable} follows
   * once there is room.
   */
  int send(byte[] data, int offset, int length);

  default int send(byte[] data) {
    return send(data, 0, data.length);
  }

  /** Free space in the send buffer, in bytes. */
  int sendSpace();

  /** Bytes taken by {@link #send} that the peer has not acknowledged yet. */
  int unacknowledged();

  /** Sends FIN after the queued data (half-close: we may still receive). Idempotent. */
  void shutdownOutput();

  /** {@link #shutdownOutput} and stop delivering data; the connection ends after the FIN exchange. */
  void close();

  /** Sends RST and ends the connection now; {@link TcpHandler#closed} reports {@code ABORTED}. */
  void abort();

  void pauseReceiving();

  void resumeReceiving();

  /**
   * How long sent data may stay unacknowledged before the connection is aborted with {@code
   * TIMED_OUT} (RFC 9293's user timeout, Linux's TCP_USER_TIMEOUT).
   */
  void userTimeout(Duration timeout);

  /** Turns keep-alive on (RFC 1122 4.2.3.6; off by default) with the given idle time. */
  void keepAlive(Duration idle);

  /** The connection's counters and estimates now. */
  TcpStats stats();
}
