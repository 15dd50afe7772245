package io.fleetsim.fabric;

import io.fleetsim.time.SameThread;
import io.fleetsim.link.DropCause;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The fabric side of a port's link towards the wire: the fabric {@link Handle#offer offers}
 * batches, the stage emits their frames one per pull. It holds at most two batches (the one it
 * emits and the next) and calls {@code onRoom} whenever it can take another.
 *
 * <p>It accounts for every frame it was given, exactly once: counted out as it is emitted (when
 * the port counts, {@link Port.OutCount#PORT}; a writer counts for itself otherwise), and
 * {@link DropCause#PEER_LOST} if still held when the link stops. A batch offered after the stage
 * stopped never reached it: that is peer-lost too, counted when the offer is refused.
 *
 * <p>Its inlet carries no elements, only the end of the link's ingress: the stage then
 * <em>completes</em> its outlet rather than being cancelled from beside it (as
 * {@code fromSinkAndSourceCoupled} would cancel a source). Pekko drops an element pushed into a
 * stage that is cancelled before it takes it, so a cancel would lose the frame last emitted,
 * counted by nobody; a completion reaches the consumer after that frame.
 */
final class PortEgress
    extends AbstractGraphStageWithMaterializedValue<FlowShape<NotUsed, ByteString>,
        PortEgress.Handle> {

  /** How the fabric hands this egress its batches; thread-safe. */
  interface Handle {
    void offer(List<ByteString> batch);
  }

  private final Inlet<NotUsed> ingressEnd = Inlet.create("PortEgress.ingressEnd");
  private final Outlet<ByteString> out = Outlet.create("PortEgress.out");
  private final FlowShape<NotUsed, ByteString> shape = FlowShape.of(ingressEnd, out);
  private final PortCounters counters;
  private final boolean countsOut;
  private final Runnable onRoom;

  PortEgress(PortCounters counters, Port.OutCount outCount, Runnable onRoom) {
    this.counters = counters;
    this.countsOut = outCount == Port.OutCount.PORT;
    this.onRoom = onRoom;
  }

  @Override
  public FlowShape<NotUsed, ByteString> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("PortEgress");
  }

  @Override
  public Pair<GraphStageLogic, Handle> createLogicAndMaterializedValuePair(Attributes attributes) {
    class Logic extends GraphStageLogic {
      private List<ByteString> current; // being emitted, from index on
      private int index;
      private List<ByteString> next;
      final AsyncCallback<List<ByteString>> accept = createAsyncCallback(this::onBatch);

      Logic() {
        super(shape);
        setHandler(ingressEnd, new AbstractInHandler() {
          @Override
          public void onPush() {
            // never pulled: the inlet only tells that the ingress ended
          }

          @Override
          public void onUpstreamFinish() {
            completeStage(); // postStop counts what is still held
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            failStage(ex);
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            emit();
          }
        });
      }

      private void onBatch(List<ByteString> batch) {
        if (current == null) {
          current = batch;
          index = 0;
          if (isAvailable(out)) {
            emit();
          }
        } else {
          next = batch; // the fabric sends no more before onRoom
        }
      }

      private void emit() {
        if (current == null) {
          return;
        }
        if (index == 0) {
          // room for the next batch once this one drains, not before: a peer that reads nothing
          // holds one batch here and the rest stays queued in the fabric, where its limit
          // pauses the senders
          onRoom.run();
        }
        ByteString frame = current.get(index++);
        if (index == current.size()) {
          current = next;
          index = 0;
          next = null;
        }
        if (countsOut) {
          counters.frameOut(frame.size());
        }
        push(out, frame);
      }

      @Override
      public void postStop() {
        long held = (current == null ? 0 : current.size() - index) + (next == null ? 0 : next.size());
        if (held > 0) {
          counters.drop(DropCause.PEER_LOST, held);
        }
        current = null;
        next = null;
      }
    }
    Logic logic = new Logic();
    Handle handle = batch -> logic.accept.invokeWithFeedbackCompletionStage(batch)
        .whenCompleteAsync((done, refused) -> {
          if (refused != null) {
            counters.drop(DropCause.PEER_LOST, batch.size()); // the link had already stopped
          }
        }, SameThread.EXECUTOR);
    return Pair.create(logic, handle);
  }
}
