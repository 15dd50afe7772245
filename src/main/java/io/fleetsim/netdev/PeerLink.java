package io.fleetsim.netdev;

import io.fleetsim.link.DropCause;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.util.ByteString;

/**
 * One running stream peer: {@code transport <-> FrameCodec <-> port.link()}, materialized by the
 * netdev actor that owns it (so it stops with that actor).
 *
 * <p>The port's link is materialized only once the transport is connected, so a port never
 * "has a peer" for a connection that failed. Frames out of the port are counted here, once the
 * socket has taken them ({@link Port.OutCount#WRITER}). When the peer's byte stream ends (closed,
 * reset, oversize, cut mid-frame) the write side is stopped too and frames still queued for the
 * peer, here or in the port, are counted once as {@link DropCause#PEER_LOST}, as QEMU drops its
 * queue on disconnect. The link's input sees a normal completion in every case.
 */
final class PeerLink {
  /** Stops the write side once the peer has gone: no stack, it is not an error of ours. */
  private static final RuntimeException PEER_GONE =
      new RuntimeException("peer disconnected", null, false, false) {};

  private final CompletionStage<String> connected;
  private final CompletionStage<LinkEnd> ended;
  private final Runnable close;

  private PeerLink(CompletionStage<String> connected, CompletionStage<LinkEnd> ended,
      Runnable close) {
    this.connected = connected;
    this.ended = ended;
    this.close = close;
  }

  /**
   * A link run by something other than a stream (a {@link Splice}); {@code close} drops its peer
   * when the owning netdev stops.
   */
  static PeerLink of(CompletionStage<String> connected, CompletionStage<LinkEnd> ended,
      Runnable close) {
    return new PeerLink(connected, ended, close);
  }

  /**
   * Drops the peer because the owning netdev is stopping. A stream link needs nothing: it stops
   * with the netdev's materializer.
   */
  void close() {
    close.run();
  }

  /** Completes with the peer's address once the transport is up; fails if it cannot connect. */
  CompletionStage<String> connected() {
    return connected;
  }

  /** Completes when both directions are over; drops are counted by then. */
  CompletionStage<LinkEnd> ended() {
    return ended;
  }

  /**
   * Runs {@code transport <-> codec <-> port.link()}. With {@code awaitConnection} (an outgoing
   * connection) the link is materialized only once the transport's materialized address
   * completes; otherwise (an accepted or inherited socket, already connected) right away, which
   * spares every frame the hop through a deferred inner flow.
   */
  static PeerLink start(Flow<ByteString, ByteString, CompletionStage<String>> transport,
      boolean awaitConnection, Port port, NetdevSettings settings, Materializer materializer) {
    PortCounters counters = port.counters();
    CompletableFuture<String> connected = new CompletableFuture<>();
    Flow<ByteString, ByteString, NotUsed> wire = transport.mapMaterializedValue(address -> {
      address.whenComplete((a, failure) -> {
        if (failure != null) {
          connected.completeExceptionally(failure);
        } else {
          connected.complete(a);
        }
      });
      return NotUsed.notUsed();
    });

    // Both ends report how they stopped; the link's input always sees a plain completion.
    CompletableFuture<Optional<Throwable>> readEnd = new CompletableFuture<>();
    CompletableFuture<Done> writeEnd = new CompletableFuture<>();
    Flow<ByteString, ByteString, NotUsed> fromWire = Flow.fromGraph(new FrameDecoder(
        settings.maxFrame(), FrameCodec.READ_AHEAD_BYTES, false, readEnd::complete));
    // Frames out are what the socket took: counted here, not by the port (OutCount.WRITER).
    FrameEncoder.Tally tally = new FrameEncoder.Tally() {
      @Override
      public void written(long frames, long bytes) {
        counters.framesOut(frames, bytes);
      }

      @Override
      public void unsent(long frames) {
        counters.drop(DropCause.PEER_LOST, frames);
      }
    };
    Flow<ByteString, ByteString, FrameEncoder.Abort> toWire = Flow.fromGraph(new FrameEncoder(
        settings.writeBatchBytes(), tally, () -> writeEnd.complete(Done.getInstance())));
    Flow<ByteString, ByteString, CompletionStage<NotUsed>> link = awaitConnection
        ? Flow.completionStageFlow(connected.thenApply(address -> port.link(Port.OutCount.WRITER)))
        : port.link(Port.OutCount.WRITER)
            .mapMaterializedValue(m -> CompletableFuture.completedFuture(m));

    Pair<FrameEncoder.Abort, CompletionStage<NotUsed>> running = wire
        .joinMat(BidiFlow.fromFlowsMat(fromWire, toWire, Keep.right()), Keep.right())
        .joinMat(link, Keep.both())
        .run(materializer);
    FrameEncoder.Abort writeAbort = running.first();
    // "Connected" only once the port's link runs too: whoever hears Ready may send at once.
    CompletionStage<String> connectedAndLinked =
        connected.thenCompose(address -> running.second().thenApply(m -> address));

    // QEMU drops what it queued for a peer that went away: stop the write side as soon as
    // reads end (a no-op when the write side ended first).
    CompletionStage<LinkEnd> readOutcome = readEnd.thenApply(how -> {
      writeAbort.abort(PEER_GONE);
      return outcome(how.orElse(null), counters);
    });
    CompletionStage<LinkEnd> ended = readOutcome.thenCombine(writeEnd, (end, done) -> end);
    return new PeerLink(connectedAndLinked, ended, () -> { });
  }

  /** How a peer's byte stream ended, as a {@link LinkEnd}; counts the drop that ending implies. */
  static LinkEnd outcome(Throwable failure, PortCounters counters) {
    if (failure == null) {
      return new LinkEnd.Disconnected("");
    }
    if (failure instanceof OversizeFrameException oversize) {
      counters.drop(DropCause.OVERSIZE);
      return new LinkEnd.Oversize(oversize.length(), oversize.maxFrame());
    }
    if (failure instanceof TruncatedFrameException truncated) {
      counters.drop(DropCause.PEER_LOST);
      String why = truncated.getCause() == null ? ""
          : ", " + StartFailure.reason("", truncated.getCause());
      return new LinkEnd.Disconnected("partial frame of " + truncated.bufferedBytes()
          + " bytes discarded" + why);
    }
    return new LinkEnd.Disconnected(StartFailure.reason("", failure));
  }
}
