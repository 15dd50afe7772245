package io.fleetsim.guest.socket;

/**
 * One TCP connection's counters and estimates at one moment.
 *
 * @param segmentsSent every segment sent, retransmissions and pure ACKs included
 * @param segmentsReceived every segment accepted for this connection (checksum good)
 * @param bytesSent stream bytes sent for the first time (retransmissions not counted)
 * @param bytesAcked stream bytes the peer acknowledged
 * @param bytesReceived stream bytes delivered in order to the program
 * @param retransmissions segments sent again (timeouts and fast retransmits)
 * @param timeouts retransmission timer expiries
 * @param fastRetransmits retransmissions on the third duplicate ACK (RFC 5681)
 * @param duplicateAcks duplicate ACKs received
 * @param srttNanos smoothed RTT (RFC 6298); 0 before the first sample
 * @param rttvarNanos RTT variation; 0 before the first sample
 * @param rtoNanos the current retransmission timeout
 * @param cwndBytes congestion window
 * @param ssthreshBytes slow-start threshold
 * @param mss the send MSS in use
 * @param outOfOrderSegments segments that arrived ahead of a hole and were queued
 */
public record TcpStats(String state, long segmentsSent, long segmentsReceived, long bytesSent,
    long bytesAcked, long bytesReceived, long retransmissions, long timeouts,
    long fastRetransmits, long duplicateAcks, long srttNanos, long rttvarNanos, long rtoNanos,
    long cwndBytes, long ssthreshBytes, int mss, long outOfOrderSegments) {}
