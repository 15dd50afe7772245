package io.fleetsim.netdev;

import org.slf4j.Logger;

/** The log lines stream netdevs share, so every backend words them alike. */
final class NetdevLog {
  private NetdevLog() {}

  static void peerEnded(Logger log, String id, String peer, LinkEnd end) {
    if (end instanceof LinkEnd.Oversize oversize) {
      log.error("netdev {}: oversized packet received, connection terminated "
          + "(peer {}, length {} > {})", id, peer, oversize.length(), oversize.maxFrame());
    } else if (end instanceof LinkEnd.Disconnected disconnected
        && !disconnected.detail().isEmpty()) {
      log.info("netdev {}: peer {} disconnected ({})", id, peer, disconnected.detail());
    } else {
      log.info("netdev {}: peer {} disconnected", id, peer);
    }
  }
}
