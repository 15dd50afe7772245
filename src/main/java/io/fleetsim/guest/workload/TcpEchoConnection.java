package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpStats;
import java.util.Optional;

/**
 * One connection tcp-echo served.
 *
 * @param peer the client, {@code ADDRESS:PORT}
 * @param bytesEchoed bytes sent back (taken by the connection)
 * @param elapsedNanos from the accept to its end, or now while open
 * @param stats the connection's TCP counters (at its end, or now)
 * @param error why it ended abnormally; empty otherwise
 */
public record TcpEchoConnection(String peer, long bytesEchoed, long elapsedNanos, TcpStats stats,
    Optional<TcpError> error) {}
