package io.fleetsim.link;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import scala.runtime.BoxedUnit;

/**
 * The ingress of a {@link CreditLink}: sends each batch to the owner and the next only after the
 * owner's {@link CreditLink.Ack}. While it waits it takes up to the stream's input buffer of
 * batches (as Pekko's {@code ActorSink.actorRefWithBackpressure} does, which it replaces), then
 * stops pulling, so the wire pauses. Unlike that sink it starts with one credit (no handshake
 * message) and sends the owner no completion message: the link tells its end once, for both
 * directions. Batches taken before the wire ended are still sent; if the owner stops, the stage
 * completes (and with it the link).
 */
final class CreditSink<M> extends GraphStage<SinkShape<List<ByteString>>> {
  private final Inlet<List<ByteString>> in = Inlet.create("CreditSink.in");
  private final SinkShape<List<ByteString>> shape = SinkShape.of(in);
  private final ActorRef<M> owner;
  private final BiFunction<List<ByteString>, ActorRef<CreditLink.Ack>, M> message;

  CreditSink(ActorRef<M> owner, BiFunction<List<ByteString>, ActorRef<CreditLink.Ack>, M> message) {
    this.owner = owner;
    this.message = message;
  }

  @Override
  public SinkShape<List<ByteString>> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("CreditSink");
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    int maxBuffer = attributes.getAttribute(Attributes.InputBuffer.class,
        new Attributes.InputBuffer(16, 16)).max();
    return new GraphStageLogic(shape) {
      private final ArrayDeque<List<ByteString>> buffer = new ArrayDeque<>();
      private ActorRef<CreditLink.Ack> self;
      private boolean credit = true;
      private boolean upstreamDone;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            buffer.addLast(grab(in));
            if (credit) {
              credit = false;
              send();
            }
            if (buffer.size() < maxBuffer) {
              pull(in);
            }
          }

          @Override
          public void onUpstreamFinish() {
            if (buffer.isEmpty()) {
              completeStage();
            } else {
              upstreamDone = true; // what was taken still goes to the owner
            }
          }
        });
      }

      @Override
      public void preStart() {
        StageActor stage = getStageActor(this::receive);
        stage.watch(Adapter.toClassic(owner));
        self = Adapter.toTyped(stage.ref());
        setKeepGoing(true); // batches taken before the wire ended still go out after it closed
        pull(in);
      }

      private BoxedUnit receive(scala.Tuple2<org.apache.pekko.actor.ActorRef, Object> envelope) {
        Object msg = envelope._2();
        if (msg == CreditLink.Ack.INSTANCE) {
          if (buffer.isEmpty()) {
            credit = true;
          } else {
            if (buffer.size() == maxBuffer) {
              tryPull(in);
            }
            send();
          }
        } else if (msg instanceof Terminated) {
          completeStage(); // the owner stopped: nobody takes frames any more
        }
        return BoxedUnit.UNIT;
      }

      private void send() {
        owner.tell(message.apply(buffer.pollFirst(), self));
        if (buffer.isEmpty() && upstreamDone) {
          completeStage();
        }
      }
    };
  }
}
