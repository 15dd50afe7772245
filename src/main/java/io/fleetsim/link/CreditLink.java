package io.fleetsim.link;

import io.fleetsim.time.SameThread;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The one link protocol between a port's netdev and the actor that owns the port (a fabric, a
 * NIC). Frames from the wire go to the owner in {@link FrameBatches batches}, one batch per
 * credit: the owner answers each {@link Protocol#framesIn} with {@link Ack} when it is ready for
 * the next (so a full owner pauses the wire). Frames for the wire come out of an egress flow the
 * owner supplies. When the link ends, from either side, the owner hears {@link Protocol#linkEnded}
 * exactly once, after {@code onEnd} has run.
 *
 * <p>The egress's input carries no elements, only the end of the ingress: it sees a completion
 * when the wire stops sending, so an egress that must not lose the frame it last emitted can
 * complete instead of being cancelled (see the fabric's {@code PortEgress}).
 */
public final class CreditLink {
  private CreditLink() {}

  /** The credit an owner gives back for a batch: the link may send the next one. */
  public enum Ack { INSTANCE }

  /** How a link talks to its owner; {@code generation} tells this link from earlier ones. */
  public interface Protocol<M> {
    /** A batch from the wire; answer {@code ack} once the next one may come. */
    M framesIn(long generation, List<ByteString> frames, ActorRef<Ack> ack);

    /** The link ended (either side, or the owner stopped); sent once per link. */
    M linkEnded(long generation);
  }

  /**
   * One link for {@code owner}: {@code batchFrames} frames at most per batch; {@code egress}
   * emits the frames for the wire and completes when its input (the ingress's end) does;
   * {@code onEnd} runs (on a stream thread) when the link ended, before the owner is told.
   */
  public static <M> Flow<ByteString, ByteString, NotUsed> of(ActorRef<M> owner,
      Protocol<M> protocol, long generation, int batchFrames,
      Flow<NotUsed, ByteString, NotUsed> egress, Runnable onEnd) {
    return ended(Flow.fromSinkAndSourceCoupled(ingress(owner, protocol, generation, batchFrames),
        Source.<NotUsed>never()).via(egress), owner, protocol, generation, onEnd);
  }

  /**
   * {@link #of(ActorRef, Protocol, long, int, Flow, Runnable)} with an egress that is simply
   * cancelled when the wire stops sending (one stage fewer per frame).
   */
  public static <M> Flow<ByteString, ByteString, NotUsed> of(ActorRef<M> owner,
      Protocol<M> protocol, long generation, int batchFrames,
      Source<ByteString, NotUsed> egress, Runnable onEnd) {
    return ended(Flow.fromSinkAndSourceCoupled(ingress(owner, protocol, generation, batchFrames),
        egress), owner, protocol, generation, onEnd);
  }

  private static <M> Sink<ByteString, NotUsed> ingress(ActorRef<M> owner, Protocol<M> protocol,
      long generation, int batchFrames) {
    return FrameBatches.of(batchFrames).to(Sink.fromGraph(new CreditSink<>(owner,
        (frames, ack) -> protocol.framesIn(generation, frames, ack))));
  }

  /** The one end notice: the coupling ends the egress whichever side stops first. */
  private static <M> Flow<ByteString, ByteString, NotUsed> ended(
      Flow<ByteString, ByteString, NotUsed> link, ActorRef<M> owner, Protocol<M> protocol,
      long generation, Runnable onEnd) {
    return link.watchTermination((notUsed, done) -> {
      done.whenCompleteAsync((ok, err) -> {
        onEnd.run();
        owner.tell(protocol.linkEnded(generation));
      }, SameThread.EXECUTOR);
      return NotUsed.getInstance();
    });
  }
}
