package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpStats;
import java.util.Optional;

/**
 * One connection a tcp-sink read.
 *
 * @param peer the sender, {@code ADDRESS:PORT}
 * @param bytes stream bytes received
 * @param sha256 of those bytes, lower-case hex
 * @param corruptBytes received bytes that differ from tcp-stream's pattern at their offset
 * @param intact no corrupt byte (a stream other than tcp-stream's is never intact)
 * @param complete the sender closed its direction in order (FIN): the whole stream is here
 * @param elapsedNanos from the accept to the sender's close, the error, or now while it is open
 * @param goodputBitsPerSecond bytes x 8 over elapsedNanos
 * @param stats the connection's TCP counters (at its end, or now)
 * @param error why it ended abnormally (reset, timed out, ...); empty otherwise
 */
public record TcpSinkConnection(String peer, long bytes, String sha256, long corruptBytes,
    boolean intact, boolean complete, long elapsedNanos, double goodputBitsPerSecond,
    TcpStats stats, Optional<TcpError> error) {}
