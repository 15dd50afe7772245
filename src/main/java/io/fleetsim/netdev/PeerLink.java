package io.fleetsim.netdev;

import io.fleetsim.fabric.DropCause;
import io.fleetsim.fabric.Port;
import io.fleetsim.fabric.PortCounters;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * One running stream peer: {@code transport <-> FrameCodec <-> port.link()}, materialized by the
 * netdev actor that owns it (so it stops with that actor).
 *
 * <p>The port's link is materialized only once the transport is connected, so a port never
 * "has a peer" for a connection that failed. When the peer's byte stream ends (closed, reset,
 * oversize, cut mid-frame) the write side is stopped too and frames still queued for the peer
 * are counted as {@link DropCause#PEER_LOST}, as QEMU drops its queue on disconnect. The link's
 * input sees a normal completion in every case.
 */
final class PeerLink {
  /** Stops the write side once the peer has gone: no stack, it is not an error of ours. */
  private static final RuntimeException PEER_GONE =
      new RuntimeException("peer disconnected", null, false, false) {};

  private final CompletionStage<String> connected;
  private final CompletionStage<LinkEnd> ended;

  private PeerLink(CompletionStage<String> connected, CompletionStage<LinkEnd> ended) {
    this.connected = connected;
    this.ended = ended;
  }

  /** Completes with the peer's address once the transport is up; fails if it cannot connect. */
  CompletionStage<String> connected() {
    return connected;
  }

  /** Completes when both directions are over; drops are counted by then. */
  CompletionStage<LinkEnd> ended() {
    return ended;
  }

  static PeerLink start(Flow<ByteString, ByteString, CompletionStage<String>> transport, Port port,
      NetdevSettings settings, Materializer materializer) {
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

    Flow<ByteString, ByteString, CompletionStage<Done>> fromWire =
        FrameCodec.decoder(settings.maxFrame())
            .watchTermination(Keep.right())
            .recoverWithRetries(1, Throwable.class, Source::empty);
    Flow<ByteString, ByteString, Pair<UniqueKillSwitch, CompletionStage<Done>>> toWire =
        Flow.<ByteString>create()
            .viaMat(KillSwitches.single(), Keep.right())
            .via(FrameCodec.encoder(settings.writeBatchBytes(),
                unsent -> counters.drop(DropCause.PEER_LOST, unsent)))
            .watchTermination(Keep.both());
    Flow<ByteString, ByteString, CompletionStage<NotUsed>> link =
        Flow.completionStageFlow(connected.thenApply(address -> port.link()));

    Pair<Pair<CompletionStage<Done>, Pair<UniqueKillSwitch, CompletionStage<Done>>>,
        CompletionStage<NotUsed>> running = wire
        .joinMat(BidiFlow.fromFlowsMat(fromWire, toWire, Pair::create), Keep.right())
        .joinMat(link, Keep.both())
        .run(materializer);
    CompletionStage<Done> readDone = running.first().first();
    UniqueKillSwitch writeSwitch = running.first().second().first();
    CompletionStage<Done> writeDone = running.first().second().second();
    // "Connected" only once the port's link runs too: whoever hears Ready may send at once.
    CompletionStage<NotUsed> linked = running.second();
    CompletionStage<String> connectedAndLinked =
        connected.thenCompose(address -> linked.thenApply(m -> address));

    CompletionStage<LinkEnd> readEnd = readDone.handle((done, failure) -> {
      writeSwitch.abort(PEER_GONE);
      return outcome(failure, counters);
    });
    CompletionStage<LinkEnd> ended =
        readEnd.thenCombine(writeDone.handle((done, failure) -> Done.getInstance()),
            (end, done) -> end);
    return new PeerLink(connectedAndLinked, ended);
  }

  private static LinkEnd outcome(Throwable failure, PortCounters counters) {
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
