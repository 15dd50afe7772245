package io.fleetsim.netdev;

import static io.fleetsim.netdev.NetdevHarness.listen;
import static io.fleetsim.netdev.NetdevHarness.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.link.DropCause;
import io.fleetsim.netdev.NetdevHarness.Started;
import io.fleetsim.netdev.TestPorts.EchoPort;
import io.fleetsim.netdev.TestPorts.StalledPort;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fault (b): when the far side stops taking frames, the netdev stops reading, TCP pushes back on
 * the sender, and nothing piles up in the JVM. Bounds: loopback kernel buffers are a few MB per
 * socket direction (tcp_wmem/tcp_rmem maxima 4 MB / 6 MB), the netdev's own buffers about 1 MB;
 * an unbounded netdev would swallow the whole {@link #TRY_TO_WRITE} at memory speed.
 */
class BackPressureTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final int FRAME = 1514;
  static final int FRAMES_PER_WRITE = 40;
  static final long TRY_TO_WRITE = 512L * 1024 * 1024;
  static final long BOUND = 48L * 1024 * 1024;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** Writes numbered frames until told to stop or {@link #TRY_TO_WRITE} is reached. */
  static final class Writer extends Thread {
    final OutputStream out;
    final AtomicLong bytesWritten = new AtomicLong();
    final AtomicLong framesWritten = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile Throwable failure;

    Writer(OutputStream out) {
      super("test-writer");
      setDaemon(true);
      this.out = out;
    }

    @Override
    public void run() {
      ByteBuffer batch = ByteBuffer.allocate(FRAMES_PER_WRITE * (4 + FRAME));
      try {
        long seq = 0;
        while (!stop.get() && bytesWritten.get() < TRY_TO_WRITE) {
          batch.clear();
          for (int i = 0; i < FRAMES_PER_WRITE; i++) {
            batch.putInt(FRAME);
            batch.putLong(seq++);
            batch.position(batch.position() + FRAME - 8);
          }
          out.write(batch.array(), 0, batch.position()); // blocks when TCP pushes back
          bytesWritten.addAndGet(batch.position());
          framesWritten.addAndGet(FRAMES_PER_WRITE);
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }
  }

  /** Waits until {@code counter} has not moved for a second; returns its value. */
  static long awaitPlateau(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = -1;
    int stable = 0;
    while (stable < 5) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the writer never got blocked: " + counter.get() + " bytes");
      }
      Thread.sleep(200);
      long now = counter.get();
      if (now == last) {
        stable++;
      } else {
        stable = 0;
        last = now;
      }
    }
    return last;
  }

  @Test
  void aPortThatStopsPullingBlocksTheSender() throws Exception {
    StalledPort port = new StalledPort("stalled");
    Started netdev = start(kit, listen("bp1", 0), port);
    try (WireClient client = WireClient.connect(netdev.boundPort())) {
      Writer writer = new Writer(client.socket.getOutputStream());
      writer.start();
      long written = awaitPlateau(writer.bytesWritten);
      assertTrue(writer.isAlive() && writer.failure == null, "the writer is blocked, not failed");
      System.out.println("sender blocked after " + written + " bytes");
      assertTrue(written < BOUND, "the sender was stopped after " + written + " bytes");
      assertEquals(1, port.counters.snapshot("stalled").framesIn(), "the stalled link took one frame");
      writer.stop.set(true);
    }
  }

  @Test
  void aPeerThatStopsReadingBlocksItsOwnSenderAndNothingIsLost() throws Exception {
    EchoPort port = new EchoPort("echo");
    Started netdev = start(kit, listen("bp2", 0), port);
    try (WireClient client = WireClient.connect(netdev.boundPort())) {
      Writer writer = new Writer(client.socket.getOutputStream());
      writer.start();
      long written = awaitPlateau(writer.bytesWritten);
      assertTrue(writer.isAlive() && writer.failure == null, "the writer is blocked, not failed");
      System.out.println("sender blocked after " + written + " bytes");
      assertTrue(written < BOUND, "the sender was stopped after " + written + " bytes");

      // Now read: every frame comes back, in order, and the writer gets going again.
      writer.stop.set(true);
      DataInputStream in = new DataInputStream(client.socket.getInputStream());
      byte[] body = new byte[FRAME];
      long expected = 0;
      while (writer.isAlive() || expected < writer.framesWritten.get()) {
        assertEquals(FRAME, in.readInt());
        in.readFully(body);
        assertEquals(expected, ByteBuffer.wrap(body).getLong(), "frames in order, none lost");
        expected++;
      }
      assertTrue(writer.failure == null, String.valueOf(writer.failure));
      assertEquals(writer.framesWritten.get(), expected);
      assertTrue(expected * (4 + FRAME) > written, "the writer continued once the reader did");
    }
    assertEquals(0, port.dropped(DropCause.PEER_LOST));
  }
}
