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

  /** The stream was cut short because the actor system is stopping: fleetsim is exiting. */
  static boolean isShutdown(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof org.apache.pekko.stream.NeverMaterializedException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof org.apache.pekko.stream.AbruptStageTerminationException;
  }
}
