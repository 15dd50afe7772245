package io.fleetsim.fabric;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Where a netdev plugs its wire into a fabric. The netdev materializes {@link #link()} once per
 * connected peer (a TCP connection, a bound datagram socket): frames from the wire go in, frames
 * for the wire come out, with demand flowing both ways. While no link is materialized the port
 * has no peer, and frames sent towards it are dropped and counted as {@link DropCause#NO_PEER}.
 */
public interface Port {
  String name();

  PortCounters counters();

  /** A fresh link for the next peer. At most one may be running at a time. */
  Flow<ByteString, ByteString, NotUsed> link();
}
