package io.fleetsim.link;

import io.fleetsim.time.Clock;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One direction of a cable: a frame is serialised at the link's rate once the wire is free, then
 * propagates for the latency, and is delivered at start + serialisation + latency, in order.
 * Serialisation counts what Ethernet puts on the wire besides the frame (fleetsim's frames carry
 * no FCS): preamble and SFD (8 bytes), FCS (4) and the inter-frame gap (12), and pads a frame to
 * the 60-byte minimum first.
 *
 * <p>Back-pressure stays where it is: the wire takes the next frame only when the previous one
 * has been serialised (so a busy wire leaves the backlog in the sender's queue, which tail-drops
 * or pauses as it did without a wire), and not while a frame that has arrived waits for the
 * receiver. Frames propagating are bounded by {@code maxInFlight}, a guard the link's own
 * bandwidth-delay product stays below in practice.
 *
 * <p>A wire may also have {@link Impairments} (a link between networks has them): jitter on the
 * latency, drawn per frame but never letting a frame overtake the one before (FIFO, as one cable
 * is), and random loss of frames once they have been serialised (they used the wire's time but
 * never arrive), both drawn from a generator seeded afresh for each link materialised.
 *
 * <p>Counters are shared by every link materialised from one wire: {@code framesIn = framesOut +
 * held + lost + dropped}, where lost are the frames inside when the link ended (its downstream
 * cancelled) and dropped those the impairments' loss took. When upstream completes, the frames
 * inside are still delivered first.
 */
public final class Wire {
  /** Preamble 7, SFD 1, FCS 4, inter-frame gap 12: bytes on the wire beyond a frame. */
  public static final int OVERHEAD_BYTES = 24;
  /** The shortest frame without FCS (64 with it); shorter ones are padded on the wire. */
  public static final int MIN_FRAME_BYTES = 60;
  /** The default bound on frames inside one direction of one link. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

  private final long latencyNanos;
  private final long bitsPerSecond;
  private final int maxInFlight;
  private final Clock clock;
  private final LongAdder framesIn = new LongAdder();
  private final LongAdder framesOut = new LongAdder();
  private final LongAdder held = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final Impairments impairments;

  /**
   * What a wire adds beyond latency and rate: each frame's delay is latency + a uniform draw from
   * [-{@code jitterNanos}, +{@code jitterNanos}] (at least the delay of the frame before, so
   * nothing overtakes; {@code jitterNanos} <= latency), a frame is lost with {@code loss} (0 to
   * 1), both from a {@link SplittableRandom} of {@code seed} made per link. {@code slackNanos}: how
   * far in the past a frame may start when the wire has been free, so that a real clock's late
   * timers do not cost the wire its rate (a token bucket of slack x rate bits); 0 in virtual
   * time, where every frame starts exactly when the wire comes free.
   */
  public record Impairments(long jitterNanos, double loss, long seed, long slackNanos) {
    public static final Impairments NONE = new Impairments(0, 0, 0, 0);

    public Impairments {
      if (jitterNanos < 0 || slackNanos < 0) {
        throw new IllegalArgumentException("jitter and slack must be >= 0 ns");
      }
      if (!(loss >= 0 && loss <= 1)) {
        throw new IllegalArgumentException("loss must be 0 to 1, not " + loss);
      }
    }
  }

  /**
   * A wire delaying by {@code latencyNanos} after serialising at {@code bitsPerSecond}; a rate of
   * 0 serialises in no time (the rate is not modelled).
   */
  public Wire(long latencyNanos, long bitsPerSecond, int maxInFlight, Clock clock) {
    this(latencyNanos, bitsPerSecond, maxInFlight, clock, Impairments.NONE);
  }

  /** A wire with {@code impairments}; its jitter may not exceed its latency. */
  public Wire(long latencyNanos, long bitsPerSecond, int maxInFlight, Clock clock,
      Impairments impairments) {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException("latency must be >= 0 ns, not " + latencyNanos);
    }
    if (bitsPerSecond < 0) {
      throw new IllegalArgumentException("rate must be >= 0 bit/s, not " + bitsPerSecond);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, not " + maxInFlight);
    }
    this.latencyNanos = latencyNanos;
    this.bitsPerSecond = bitsPerSecond;
    this.maxInFlight = maxInFlight;
    this.clock = clock;
    if (impairments.jitterNanos() > latencyNanos) {
      throw new IllegalArgumentException("jitter " + impairments.jitterNanos()
          + " ns is more than the latency " + latencyNanos + " ns");
    }
    this.impairments = impairments;
  }

  /**
   * Nanoseconds a frame of {@code frameBytes} (without FCS) occupies a wire of {@code
   * bitsPerSecond}, rounded up to a whole nanosecond.
   */
  public static long serialisationNanos(int frameBytes, long bitsPerSecond) {
    long bits = (Math.max(frameBytes, MIN_FRAME_BYTES) + OVERHEAD_BYTES) * 8L;
    return (bits * 1_000_000_000L + bitsPerSecond - 1) / bitsPerSecond;
  }

  public long framesIn() {
    return framesIn.sum();
  }

  public long framesOut() {
    return framesOut.sum();
  }

  /** Frames inside the wire right now, over all its links. */
  public long held() {
    return held.sum();
  }

  /** Frames the impairments' loss took. */
  public long dropped() {
    return dropped.sum();
  }

  /** Frames that were inside when their link ended. */
  public long lost() {
    return lost.sum();
  }

  /** A fresh stage for the next link. */
  public Flow<ByteString, ByteString, NotUsed> flow() {
    return Flow.fromGraph(new Stage());
  }

  /** A frame on its way and when it arrives. */
  private record Flight(ByteString frame, long arrives) {}

  private final class Stage extends GraphStage<FlowShape<ByteString, ByteString>> {
    final Inlet<ByteString> in = Inlet.create("Wire.in");
    final Outlet<ByteString> out = Outlet.create("Wire.out");
    final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

    @Override
    public FlowShape<ByteString, ByteString> shape() {
      return shape;
    }

    @Override
    public Attributes initialAttributes() {
      return Attributes.name("Wire");
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new Logic(this);
    }
  }

  /**
   * One link's wire. One clock timer at a time, for the next of the two things that happen: the
   * wire comes free (take the next frame) or the head frame arrives.
   */
  private final class Logic extends GraphStageLogic {
    final Stage s;
    final ArrayDeque<Flight> flights = new ArrayDeque<>();
    final AsyncCallback<Long> timerFired;
    private long freeAt = Long.MIN_VALUE;
    private Clock.Timer timer;
    private long timerArmed; // counts armings: a timer replaced by an earlier one is ignored
    private long timerAt = Long.MAX_VALUE;
    private boolean upstreamDone;
    private long lastArrives = Long.MIN_VALUE;
    private final SplittableRandom random = new SplittableRandom(impairments.seed());

    Logic(Stage s) {
      super(s.shape);
      this.s = s;
      timerFired = createAsyncCallback(this::onTimer);
      setHandler(s.in, new AbstractInHandler() {
        @Override
        public void onPush() {
          onFrame(grab(s.in));
        }

        @Override
        public void onUpstreamFinish() {
          upstreamDone = true; // what is on the wire still arrives
          release();
        }
      });
      setHandler(s.out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          release();
        }
      });
    }

    @Override
    public void preStart() {
      release();
    }

    @Override
    public void postStop() {
      if (timer != null) {
        timer.cancel();
      }
      lost.add(flights.size());
      held.add(-flights.size());
      flights.clear();
    }

    private void onFrame(ByteString frame) {
      long now = clock.nanos();
      framesIn.increment();
      held.increment();
      long start = Math.max(now - impairments.slackNanos(), freeAt);
      freeAt = bitsPerSecond == 0 ? start : start + serialisationNanos(frame.size(), bitsPerSecond);
      long delay = latencyNanos;
      if (impairments.jitterNanos() > 0) {
        delay += (long) StrictMath.floor((random.nextDouble() * 2 - 1) * impairments.jitterNanos());
      }
      boolean lose = impairments.loss() > 0 && random.nextDouble() < impairments.loss();
      if (lose) {
        held.decrement();
        dropped.increment();
      } else {
        long arrives = Math.max(freeAt + delay, lastArrives); // FIFO: never before the one ahead
        lastArrives = arrives;
        flights.addLast(new Flight(frame, arrives));
      }
      release();
    }

    private void onTimer(long armed) {
      if (armed != timerArmed) {
        return; // replaced by an earlier deadline, but it fired before the cancel took
      }
      timer = null;
      timerAt = Long.MAX_VALUE;
      release();
    }

    /** Delivers the head if it has arrived, takes the next frame if the wire is free, re-arms. */
    private void release() {
      long now = clock.nanos();
      Flight head = flights.peekFirst();
      if (head != null && head.arrives() <= now && isAvailable(s.out)) {
        flights.pollFirst();
        held.decrement();
        framesOut.increment();
        push(s.out, head.frame());
        head = flights.peekFirst();
      }
      if (upstreamDone && head == null) {
        completeStage();
        return;
      }
      boolean waitingForReceiver = head != null && head.arrives() <= now;
      boolean busy = freeAt > now;
      long next = Long.MAX_VALUE;
      if (head != null && !waitingForReceiver) {
        next = head.arrives();
      }
      if (busy && !upstreamDone) {
        next = Math.min(next, freeAt);
      }
      if (next != Long.MAX_VALUE && next < timerAt) {
        armTimer(next, now);
      }
      if (!busy && !waitingForReceiver && flights.size() < maxInFlight && !upstreamDone
          && !hasBeenPulled(s.in) && !isClosed(s.in)) {
        pull(s.in);
      }
    }

    private void armTimer(long at, long now) {
      if (timer != null) {
        timer.cancel();
      }
      timerAt = at;
      long armed = ++timerArmed;
      timer = clock.schedule(at - now, () -> timerFired.invoke(armed));
    }
  }
}
