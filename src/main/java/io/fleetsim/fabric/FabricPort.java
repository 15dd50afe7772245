package io.fleetsim.fabric;

import io.fleetsim.time.SameThread;
import io.fleetsim.link.CreditLink;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A port of a {@link Fabric}. Each {@link #link(OutCount)} materialization is one peer, a
 * {@link CreditLink}: its ingress batches frames into the fabric under the fabric's acks, its
 * egress ({@link PortEgress}) takes the fabric's batches under acks of its own and accounts for
 * every frame in them, and its end tells the fabric, once, that the peer is gone.
 */
public final class FabricPort implements Port {
  private final String name;
  private final int index;
  private final PortCounters counters;
  private final ActorRef<Fabric.Command> fabric;
  private final FabricSettings settings;
  private final AtomicLong generations = new AtomicLong();
  private final CreditLink.Protocol<Fabric.Command> protocol = new CreditLink.Protocol<>() {
    @Override
    public Fabric.Command framesIn(long generation, List<ByteString> frames,
        ActorRef<CreditLink.Ack> ack) {
      return new Fabric.FramesIn(index, generation, frames, ack);
    }

    @Override
    public Fabric.Command linkEnded(long generation) {
      return new Fabric.LinkEnded(index, generation);
    }
  };

  private FabricPort(String name, int index, PortCounters counters, ActorRef<Fabric.Command> fabric,
      FabricSettings settings) {
    this.name = name;
    this.index = index;
    this.counters = counters;
    this.fabric = fabric;
    this.settings = settings;
  }

  /** Adds a port named {@code name} to {@code fabric}. */
  public static CompletionStage<FabricPort> attach(ActorRef<Fabric.Command> fabric,
      FabricSettings settings, String name) {
    PortCounters counters = new PortCounters();
    CompletableFuture<Integer> index = new CompletableFuture<>();
    fabric.tell(new Fabric.Register(name, counters, index));
    return index.thenApplyAsync(i -> new FabricPort(name, i, counters, fabric, settings),
        SameThread.EXECUTOR);
  }

  /**
   * Provisions {@code mac} behind this port on a switch ({@code bridge fdb add ... static}): frames
   * for it go here before the switch has heard from it, instead of flooding every port. A hub
   * ignores it.
   */
  public void addStaticAddress(io.fleetsim.addr.MacAddress mac) {
    fabric.tell(new Fabric.AddStatic(index, mac.bits()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PortCounters counters() {
    return counters;
  }

  @Override
  public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
    long generation = generations.incrementAndGet();
    Flow<NotUsed, ByteString, NotUsed> egress = Flow.fromGraph(new PortEgress(counters, outCount,
            () -> fabric.tell(new Fabric.EgressAck(index, generation))))
        .mapMaterializedValue(handle -> {
          fabric.tell(new Fabric.EgressReady(index, generation, handle));
          return NotUsed.getInstance();
        });
    return CreditLink.of(fabric, protocol, generation, settings.ingressBatchFrames(), egress,
        () -> { });
  }

  @Override
  public String toString() {
    return "port " + name;
  }
}
