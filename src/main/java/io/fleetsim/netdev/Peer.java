package io.fleetsim.netdev;

import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * One accepted stream peer, not yet running. {@code transport} carries raw wire bytes (to the
 * peer in, from the peer out); its materialized value completes with the peer's address.
 * {@code channel} is the connected socket that transport would own; a {@link Splice} takes it
 * instead, and then the transport is never materialized.
 */
record Peer(String address, Flow<ByteString, ByteString, CompletionStage<String>> transport,
    SocketChannel channel) {}
