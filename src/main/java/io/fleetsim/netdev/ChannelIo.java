package io.fleetsim.netdev;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the blocking socket calls of unix-socket and inherited-fd netdevs.
 *
 * <p>Not Pekko's blocking-IO dispatcher: that is a fixed pool of 16 threads, and every connected
 * unix/fd peer parks one thread in a read (every idle unix listener one in accept), so a
 * seventeenth would starve them all. This pool grows with the number of blocked calls and lets
 * idle threads go after a minute; they are daemons, so they never keep the JVM alive.
 */
final class ChannelIo {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "fleetsim-channel-io-" + COUNT.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  private ChannelIo() {}

  static Executor executor() {
    return POOL;
  }
}
