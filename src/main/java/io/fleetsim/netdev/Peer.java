package io.fleetsim.netdev;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * One stream peer's byte pipe, not yet running. {@code transport} carries raw wire bytes
 * (to the peer in, from the peer out); its materialized value completes with the peer's
 * address once connected, or fails when the connection cannot be made.
 */
record Peer(String address, Flow<ByteString, ByteString, CompletionStage<String>> transport) {}
