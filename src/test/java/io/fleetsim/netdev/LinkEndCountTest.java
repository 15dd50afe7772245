package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.fabric.Fabric;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fabric.FabricSettings;
import io.fleetsim.link.PortStats;
import io.fleetsim.time.RealClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageWithMaterializedValue;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import scala.Tuple2;

/**
 * A stream peer that leaves while frames flow to it: whatever the port had taken for it is
 * counted once, out (written) or peer-lost, also the frame that was on its way from the port's
 * egress to the writer at that moment (Pekko drops an element pushed into a stage that is being
 * cancelled). Many short-lived peers, each closing after a few writes, so some close lands in
 * that window; no sockets, so the moments differ only by the interpreter's event order.
 */
@Timeout(120)
class LinkEndCountTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final int PEERS = 200;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void framesTakenForAPeerThatLeavesAreCountedOnceOutOrPeerLost() throws Exception {
    FabricSettings settings = FabricSettings.defaults();
    ActorRef<Fabric.Command> fabric = kit.spawn(Fabric.hub(settings, RealClock.system()));
    FabricPort a = FabricPort.attach(fabric, settings, "a").toCompletableFuture().get();
    FabricPort b = FabricPort.attach(fabric, settings, "b").toCompletableFuture().get();
    Materializer mat = Materializer.createMaterializer(kit.system());
    // a's peer sends 64-byte frames throughout; nothing comes back to it (b's peers send nothing)
    Pair<UniqueKillSwitch, CompletionStage<Done>> sender = Source.repeat(ByteString.fromArray(new byte[64]))
        .throttle(200, Duration.ofMillis(10))
        .viaMat(KillSwitches.single(), Keep.right())
        .via(a.link())
        .toMat(Sink.ignore(), Keep.both())
        .run(mat);
    try {
      for (int i = 0; i < PEERS; i++) {
        PeerLink link = PeerLink.start(Flow.fromGraph(new LeavingPeer(1 + i % 4)), false, b,
            NetdevSettings.defaults(), mat);
        link.ended().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      sender.first().shutdown();
    }
    sender.second().toCompletableFuture().get(10, TimeUnit.SECONDS);

    // the last counts land after the links' ends (the fabric hears of them by message): wait
    // for them, for as long as a lost frame could still be on its way
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    PortStats in = a.counters().snapshot("a");
    PortStats out = b.counters().snapshot("b");
    while (in.framesIn() != out.framesOut() + out.dropped() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      in = a.counters().snapshot("a");
      out = b.counters().snapshot("b");
    }
    assertTrue(out.framesOut() > 0 && out.drops().get("peer-lost") > 0,
        "the peers took frames and left with some: " + out);
    assertEquals(in.framesIn(), out.framesOut() + out.dropped(),
        "every frame from a went out to b or was dropped, once: " + in + " " + out);
  }

  /**
   * A connected peer that takes {@code writes} chunks and then closes, both ways at once, as
   * {@link NioConnection} does when the peer hangs up.
   */
  static final class LeavingPeer
      extends GraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, CompletionStage<String>> {
    final Inlet<ByteString> in = Inlet.create("LeavingPeer.in");
    final Outlet<ByteString> out = Outlet.create("LeavingPeer.out");
    final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
    final int writes;

    LeavingPeer(int writes) {
      this.writes = writes;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
      return shape;
    }

    @Override
    public Tuple2<GraphStageLogic, CompletionStage<String>> createLogicAndMaterializedValue(
        Attributes attributes) {
      GraphStageLogic logic = new GraphStageLogic(shape) {
        int written;

        {
          setHandler(in, new AbstractInHandler() {
            @Override
            public void onPush() {
              grab(in);
              if (++written == writes) {
                completeStage();
              } else {
                pull(in);
              }
            }
          });
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {
              // sends nothing
            }
          });
        }

        @Override
        public void preStart() {
          pull(in);
        }
      };
      return new Tuple2<>(logic, CompletableFuture.completedFuture("peer"));
    }
  }
}
