package io.fleetsim.link;

import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Where a netdev plugs its wire into a fabric. The netdev materializes {@link #link(OutCount)}
 * once per connected peer (a TCP connection, a bound datagram socket): frames from the wire go in,
 * frames for the wire come out, with demand flowing both ways. While no link is materialized the
 * port has no peer, and frames sent towards it are dropped and counted as {@link DropCause#NO_PEER}.
 *
 * <p>Every frame for the wire is counted once: out, or dropped by one cause. Frames the port still
 * holds when a link ends (queued, or inside the link) are {@link DropCause#PEER_LOST}.
 */
public interface Port {
  /** Who counts a frame out of the port. */
  enum OutCount {
    /** The port, as its link hands the frame over (to a NIC in the same process, say). */
    PORT,
    /**
     * The link's consumer, once it has written the frame to its socket: a netdev, which also
     * counts as {@link DropCause#PEER_LOST} the frames it took but could not write. It does not
     * cancel the link's output (Pekko would drop the frame on its way, uncounted): once its
     * socket is gone it takes what still comes as peer-lost until the output completes, which
     * it does when the link's input ends.
     */
    WRITER
  }

  String name();

  PortCounters counters();

  /** {@link #link(OutCount)} for a consumer that does not count: the port counts frames out. */
  default Flow<ByteString, ByteString, NotUsed> link() {
    return link(OutCount.PORT);
  }

  /** A fresh link for the next peer. At most one may be running at a time. */
  Flow<ByteString, ByteString, NotUsed> link(OutCount outCount);

  /**
   * What this port offers its netdev besides links, asked for by type: a splice's end offers
   * itself, so a stream netdev hands it its connected sockets instead of running a link. Empty
   * for ordinary ports (and for a {@link TappedPort}: taps must see every frame).
   */
  default <T> Optional<T> extension(Class<T> type) {
    return Optional.empty();
  }
}
