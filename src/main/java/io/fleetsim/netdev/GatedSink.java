package io.fleetsim.netdev;

import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;

/**
 * A sink that demands one element only when its {@link Gate} is opened, and never reads ahead.
 * Put after a listener's connection source it accepts exactly one peer per {@code next()}: the
 * next client waits in the kernel's backlog, as with QEMU, not in a stream buffer.
 * (Pekko's actor-ref sinks pull one element ahead, which would accept a second peer early.)
 */
final class GatedSink<T> extends AbstractGraphStageWithMaterializedValue<SinkShape<T>, GatedSink.Gate> {
  /** Thread-safe: asks the upstream for exactly one more element. */
  interface Gate {
    void next();
  }

  private final Inlet<T> in = Inlet.create("GatedSink.in");
  private final SinkShape<T> shape = SinkShape.of(in);
  private final Consumer<T> onElement;
  private final Consumer<Optional<Throwable>> onEnd;

  /** {@code onElement} and {@code onEnd} run on the stream's thread: they should only send messages. */
  GatedSink(Consumer<T> onElement, Consumer<Optional<Throwable>> onEnd) {
    this.onElement = onElement;
    this.onEnd = onEnd;
  }

  @Override
  public SinkShape<T> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("GatedSink");
  }

  @Override
  public Pair<GraphStageLogic, Gate> createLogicAndMaterializedValuePair(Attributes attributes) {
    class Logic extends GraphStageLogic {
      private boolean ended;
      final AsyncCallback<Done> request = createAsyncCallback(done -> {
        if (!isClosed(in) && !hasBeenPulled(in)) {
          pull(in);
        }
      });

      Logic() {
        super(shape);
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            onElement.accept(grab(in));
          }

          @Override
          public void onUpstreamFinish() {
            end(Optional.empty());
            completeStage();
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            end(Optional.of(ex));
            failStage(ex);
          }
        });
      }

      private void end(Optional<Throwable> cause) {
        if (!ended) {
          ended = true;
          onEnd.accept(cause);
        }
      }

      @Override
      public void postStop() {
        end(Optional.of(new AbruptStageTerminationException(this)));
      }
    }
    Logic logic = new Logic();
    return Pair.create(logic, () -> logic.request.invoke(Done.getInstance()));
  }
}
