package io.fleetsim.netdev;

import java.util.Optional;

/**
 * Tunables of a datagram transport.
 *
 * @param sendsInFlight datagrams handed to the socket and not yet acknowledged; more frames wait
 *     upstream (back-pressure). A send the socket refuses is dropped as {@code send-failed}.
 * @param receiveQueue received datagrams held while the fabric is not pulling; beyond it they are
 *     dropped as {@code receive-overflow}
 * @param suspendReadingAt queue length at which the socket is told to stop reading, so that the
 *     kernel buffer absorbs (and past its size drops) what comes next, as UDP would
 * @param resumeReadingAt queue length at which reading resumes
 * @param echo how own looped-back multicast frames are recognised; empty: they are delivered like
 *     any other (QEMU's behaviour). Ignored for unicast sockets, which get no echo.
 */
public record DatagramOptions(int sendsInFlight, int receiveQueue, int suspendReadingAt,
    int resumeReadingAt, Optional<EchoWindow> echo) {

  public static DatagramOptions defaults() {
    return new DatagramOptions(8, 256, 64, 16, Optional.of(EchoWindow.defaults()));
  }

  public DatagramOptions {
    if (sendsInFlight < 1) {
      throw new IllegalArgumentException("sendsInFlight must be at least 1, got " + sendsInFlight);
    }
    if (suspendReadingAt < 1 || suspendReadingAt > receiveQueue) {
      throw new IllegalArgumentException("suspendReadingAt must be in 1.." + receiveQueue
          + " (the receive queue), got " + suspendReadingAt);
    }
    if (resumeReadingAt < 0 || resumeReadingAt >= suspendReadingAt) {
      throw new IllegalArgumentException("resumeReadingAt must be in 0.." + (suspendReadingAt - 1)
          + ", got " + resumeReadingAt);
    }
  }

  public DatagramOptions withEcho(Optional<EchoWindow> window) {
    return new DatagramOptions(sendsInFlight, receiveQueue, suspendReadingAt, resumeReadingAt,
        window);
  }
}
