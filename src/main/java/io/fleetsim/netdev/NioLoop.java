package io.fleetsim.netdev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one selector thread of fleetsim's TCP netdevs. It only waits: stages read, write and
 * accept on their own threads, and come here just to be told when a channel that had nothing
 * for them is ready again (one-shot interest). Under load a stage rarely needs it, so a frame
 * batch crosses no thread beyond the stream's own.
 */
final class NioLoop implements Runnable {
  private static NioLoop instance;

  private final Selector selector;
  private final ConcurrentLinkedQueue<Interest> requests = new ConcurrentLinkedQueue<>();

  /** What one channel waits for; the callbacks run on the loop thread and must only post. */
  private static final class Interest {
    final SelectableChannel channel;
    final int ops;
    final Runnable onReady;

    Interest(SelectableChannel channel, int ops, Runnable onReady) {
      this.channel = channel;
      this.ops = ops;
      this.onReady = onReady;
    }
  }

  /** Per registered channel: the callback waiting for each operation. */
  private static final class Waiters {
    Runnable read;
    Runnable write;
    Runnable accept;
    Runnable connect;
  }

  private NioLoop() throws IOException {
    this.selector = Selector.open();
  }

  static synchronized NioLoop get() {
    if (instance == null) {
      try {
        instance = new NioLoop();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread thread = new Thread(instance, "fleetsim-nio");
      thread.setDaemon(true);
      thread.start();
    }
    return instance;
  }

  /** Calls {@code onReady} once, from the loop thread, when {@code channel} is ready for {@code op}. */
  void await(SelectableChannel channel, int op, Runnable onReady) {
    requests.add(new Interest(channel, op, onReady));
    selector.wakeup();
  }

  @Override
  public void run() {
    while (true) {
      try {
        selector.select();
        Interest request;
        while ((request = requests.poll()) != null) {
          arm(request);
        }
        for (SelectionKey key : selector.selectedKeys()) {
          fire(key);
        }
        selector.selectedKeys().clear();
      } catch (IOException | RuntimeException e) {
        // one bad channel must not stop the loop every connection depends on
        org.slf4j.LoggerFactory.getLogger(NioLoop.class).warn("nio loop: {}", e.toString());
      }
    }
  }

  private void arm(Interest request) {
    if (!request.channel.isOpen()) {
      request.onReady.run(); // the stage finds the channel closed and ends itself
      return;
    }
    try {
      SelectionKey key = request.channel.keyFor(selector);
      if (key == null) {
        key = request.channel.register(selector, 0, new Waiters());
      }
      Waiters waiters = (Waiters) key.attachment();
      switch (request.ops) {
        case SelectionKey.OP_READ -> waiters.read = request.onReady;
        case SelectionKey.OP_WRITE -> waiters.write = request.onReady;
        case SelectionKey.OP_ACCEPT -> waiters.accept = request.onReady;
        default -> waiters.connect = request.onReady;
      }
      key.interestOps(key.interestOps() | request.ops);
    } catch (ClosedChannelException | CancelledKeyException e) {
      request.onReady.run();
    }
  }

  private void fire(SelectionKey key) {
    Waiters waiters = (Waiters) key.attachment();
    int ready;
    try {
      ready = key.readyOps();
      key.interestOps(key.interestOps() & ~ready); // one-shot: the stage asks again if it must
    } catch (CancelledKeyException e) {
      ready = SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_ACCEPT
          | SelectionKey.OP_CONNECT; // closed: wake everyone so they see it
    }
    if ((ready & SelectionKey.OP_READ) != 0) {
      waiters.read = take(waiters.read);
    }
    if ((ready & SelectionKey.OP_WRITE) != 0) {
      waiters.write = take(waiters.write);
    }
    if ((ready & SelectionKey.OP_ACCEPT) != 0) {
      waiters.accept = take(waiters.accept);
    }
    if ((ready & SelectionKey.OP_CONNECT) != 0) {
      waiters.connect = take(waiters.connect);
    }
  }

  private static Runnable take(Runnable waiter) {
    if (waiter != null) {
      waiter.run();
    }
    return null;
  }
}
