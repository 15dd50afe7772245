package io.fleetsim.link;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A pass-through stage that counts every frame it hands on, for books kept apart from the code
 * they check. When its downstream cancels it does not cancel upstream: Pekko drops, counted by
 * nobody, an element pushed into a stage that was cancelled before it took it. So the edge keeps
 * taking what still comes, counts it as lost, and stops when its upstream completes.
 */
public final class CountingEdge extends GraphStage<FlowShape<ByteString, ByteString>> {
  private final Inlet<ByteString> in;
  private final Outlet<ByteString> out;
  private final FlowShape<ByteString, ByteString> shape;
  private final String name;
  private final LongAdder passed;
  private final LongAdder lost;
  private final Runnable onDownstreamGone;
  private final Runnable onStop;

  private CountingEdge(String name, LongAdder passed, LongAdder lost, Runnable onDownstreamGone,
      Runnable onStop) {
    this.name = name;
    this.in = Inlet.create(name + ".in");
    this.out = Outlet.create(name + ".out");
    this.shape = FlowShape.of(in, out);
    this.passed = passed;
    this.lost = lost;
    this.onDownstreamGone = onDownstreamGone;
    this.onStop = onStop;
  }

  /**
   * A fresh edge counting into {@code passed} and {@code lost}; {@code onDownstreamGone} runs on
   * the stream's thread as the downstream cancels (before any frame is counted lost),
   * {@code onStop} when the edge has stopped.
   */
  public static Flow<ByteString, ByteString, NotUsed> of(String name, LongAdder passed,
      LongAdder lost, Runnable onDownstreamGone, Runnable onStop) {
    return Flow.fromGraph(new CountingEdge(name, passed, lost, onDownstreamGone, onStop));
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name(name);
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      private boolean downstreamGone;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString frame = grab(in);
            if (downstreamGone) {
              lost.increment();
              pull(in);
            } else {
              passed.increment();
              push(out, frame);
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            downstreamGone = true;
            onDownstreamGone.run();
            if (!hasBeenPulled(in) && !isClosed(in)) {
              pull(in); // stay until upstream completes: a frame on its way here is counted
            }
          }
        });
      }

      @Override
      public void postStop() {
        onStop.run();
      }
    };
  }
}
