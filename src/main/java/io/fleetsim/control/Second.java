package io.fleetsim.control;

import java.util.Optional;

/**
 * One second of the series, as results.json's {@code series} has it: frames and bytes delivered
 * and frames lost in that second over every port, ping round trips completed in it (median, 99th
 * percentile, max, in ms; empty when none) and TCP bytes delivered and segments retransmitted.
 */
public record Second(long second, long frames, long bytes, long drops, Optional<Rtt> rtt,
    long tcpBytes, long tcpRetransmissions) {

  public record Rtt(double p50, double p99, double max) {}
}
