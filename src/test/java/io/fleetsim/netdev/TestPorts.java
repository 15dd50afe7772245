package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/**
 * Ports standing in for the fabric in netdev tests. They count frames as the fabric would (out
 * only when the link's consumer does not, {@link Port.OutCount}).
 */
final class TestPorts {
  private TestPorts() {}

  /** Common bookkeeping: counters and how many links are running / were ever materialized. */
  abstract static class TestPort implements Port {
    private final String name;
    final PortCounters counters = new PortCounters();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger materialized = new AtomicInteger();

    TestPort(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public PortCounters counters() {
      return counters;
    }

    long dropped(io.fleetsim.link.DropCause cause) {
      return counters.snapshot(name).drops().get(cause.label());
    }

    /** Wraps a link so that running/materialized are tracked. */
    Flow<ByteString, ByteString, NotUsed> tracked(Flow<ByteString, ByteString, NotUsed> link) {
      return link.watchTermination((notUsed, done) -> {
        materialized.incrementAndGet();
        running.incrementAndGet();
        done.whenComplete((d, failure) -> running.decrementAndGet());
        return NotUsed.notUsed();
      });
    }

    void awaitRunning(int expected) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (running.get() != expected) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("expected " + expected + " running links, have " + running);
        }
        Thread.sleep(5);
      }
    }
  }

  /** Sends every frame from the wire straight back to the wire. */
  static final class EchoPort extends TestPort {
    EchoPort(String name) {
      super(name);
    }

    @Override
    public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
      return tracked(Flow.<ByteString>create().map(frame -> {
        counters.frameIn(frame.length());
        if (outCount == OutCount.PORT) {
          counters.frameOut(frame.length());
        }
        return frame;
      }));
    }
  }

  /** Keeps frames from the wire in a queue; the test sends frames to the wire with {@link #send}. */
  static final class QueuePort extends TestPort {
    final BlockingQueue<ByteString> received = new LinkedBlockingQueue<>();
    private final AtomicReference<SourceQueueWithComplete<ByteString>> toWire =
        new AtomicReference<>();

    QueuePort(String name) {
      super(name);
    }

    @Override
    public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
      Sink<ByteString, ?> in = Sink.foreach(frame -> {
        counters.frameIn(frame.length());
        received.add(frame);
      });
      Source<ByteString, SourceQueueWithComplete<ByteString>> out =
          Source.<ByteString>queue(256, OverflowStrategy.backpressure())
              .map(frame -> {
                if (outCount == OutCount.PORT) {
                  counters.frameOut(frame.length());
                }
                return frame;
              });
      return tracked(Flow.fromSinkAndSourceCoupledMat(in, out, Keep.right())
          .mapMaterializedValue(queue -> {
            toWire.set(queue);
            return NotUsed.notUsed();
          }));
    }

    /** Offers a frame to the current link (waits for one to exist). */
    void send(ByteString frame) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (toWire.get() == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no link materialized on " + name());
        }
        Thread.sleep(5);
      }
      toWire.get().offer(frame).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    ByteString take() throws InterruptedException {
      ByteString frame = received.poll(10, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no frame arrived on " + name());
      }
      return frame;
    }
  }

  /** A port whose link takes one frame from the wire and then never pulls again. */
  static final class StalledPort extends TestPort {
    StalledPort(String name) {
      super(name);
    }

    @Override
    public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
      Sink<ByteString, ?> never = Flow.<ByteString>create()
          .map(frame -> {
            counters.frameIn(frame.length());
            return frame;
          })
          .mapAsync(1, frame -> new CompletableFuture<ByteString>())
          .to(Sink.ignore());
      return tracked(Flow.fromSinkAndSourceCoupled(never, Source.<ByteString>maybe()));
    }
  }

  static Duration timeout() {
    return Duration.ofSeconds(10);
  }
}
