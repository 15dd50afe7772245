package io.fleetsim.fabric;

import io.fleetsim.link.CreditLink.Ack;
import io.fleetsim.link.DropCause;
import io.fleetsim.link.PortCounters;
import io.fleetsim.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.util.ByteString;

/**
 * A hub or learning switch: one actor that owns the forwarding state and one outbound queue per
 * port. Frames arrive in batches from each port's link and leave in batches to each port's link.
 *
 * <p>Back-pressure is credit-based ({@link io.fleetsim.link.CreditLink}): a port's link sends one
 * batch and waits for {@link Ack}; the
 * fabric withholds that ack while any port the batch went to holds more than
 * {@code portQueueFrames}. The link then stops pulling, its netdev stops reading the socket, and
 * TCP pushes back on the sender, so nothing is dropped on a TCP path for lack of room. A port
 * with no peer cannot push back: frames for it are dropped and counted as {@link DropCause#NO_PEER}.
 */
public final class Fabric extends AbstractBehavior<Fabric.Command> {

  public sealed interface Command {}

  /**
   * Adds a port; the fabric completes {@code index} with its number. A future, not an ask: the
   * fabric answers at once, and how long to wait for it is its caller's business, not a timer here.
   */
  record Register(String name, PortCounters counters, CompletableFuture<Integer> index)
      implements Command {}

  /** A batch from a port's link; {@code ack} gives the link its next credit. */
  record FramesIn(int port, long generation, List<ByteString> frames, ActorRef<Ack> ack)
      implements Command {}

  record EgressReady(int port, long generation, PortEgress.Handle egress) implements Command {}

  record EgressAck(int port, long generation) implements Command {}

  record LinkEnded(int port, long generation) implements Command {}

  record AddStatic(int port, long mac) implements Command {}

  private enum Expire implements Command { INSTANCE }

  /** A port parked on another one, with the serial of that park. */
  private record Waiter(PortState port, long serial) {}

  /** What the fabric knows about one port. */
  private static final class PortState {
    final String name;
    final PortCounters counters;
    // handed over whole as the next batch, then replaced: no per-frame copy on the way out
    ArrayList<ByteString> queue = new ArrayList<>();
    long generation = -1; // the link whose egress is attached, -1 for none
    PortEgress.Handle egress;
    boolean egressBusy;
    // an ingress batch that is waiting for room: acked once every port it waits on has drained
    ActorRef<Ack> parkedAck;
    long parkedGeneration;
    long parkSerial; // tells this park from earlier ones still listed in other ports' waiters
    int parkedOnCount; // ports that batch still waits on
    // ingress ports parked on this one: each is counted down once when this one drains, so a
    // drain costs its waiters, not every port times every port it waits on
    List<Waiter> waiters = new ArrayList<>();

    PortState(String name, PortCounters counters) {
      this.name = name;
      this.counters = counters;
    }

    boolean attached() {
      return egress != null;
    }
  }

  /** {@code clock}: the time the fabric stamps frames with (learning, ageing) and sweeps by. */
  public static Behavior<Command> hub(FabricSettings settings, Clock clock) {
    return Behaviors.setup(ctx -> new Fabric(ctx, settings, new HubForwarding(), clock, null));
  }

  public static Behavior<Command> learningSwitch(FabricSettings settings, Clock clock) {
    return Behaviors.setup(ctx -> {
      Duration sweep = settings.macAgeing().dividedBy(2);
      return new Fabric(ctx, settings, new LearningSwitchForwarding(settings.macAgeing()), clock,
          sweep.isZero() ? Duration.ofMillis(1) : sweep);
    });
  }

  /** The largest capacity a fresh port queue starts with. */
  private static final int SHRINK_AFTER_FRAMES = 1024;

  private final FabricSettings settings;
  private final Forwarding forwarding;
  private final Clock clock;
  private final Duration sweepEvery; // null: nothing ages (a hub)
  private Clock.Timer sweep;
  private final List<PortState> ports = new ArrayList<>();
  private int[] routeBuffer = new int[0];
  private boolean[] touched = new boolean[0];
  private int[] touchedPorts = new int[0];
  private int touchedCount;

  private Fabric(ActorContext<Command> context, FabricSettings settings, Forwarding forwarding,
      Clock clock, Duration sweepEvery) {
    super(context);
    this.settings = settings;
    this.forwarding = forwarding;
    this.clock = clock;
    this.sweepEvery = sweepEvery;
    armSweep();
  }

  /** The next ageing sweep, {@code sweepEvery} after the last one ended (a fixed delay). */
  private void armSweep() {
    if (sweepEvery != null) {
      ActorRef<Command> self = getContext().getSelf();
      sweep = clock.schedule(sweepEvery.toNanos(), () -> self.tell(Expire.INSTANCE));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Register.class, this::onRegister)
        .onMessage(FramesIn.class, this::onFramesIn)
        .onMessage(EgressReady.class, this::onEgressReady)
        .onMessage(EgressAck.class, this::onEgressAck)
        .onMessage(LinkEnded.class, this::onLinkEnded)
        .onMessage(AddStatic.class, a -> {
          forwarding.addStatic(a.mac(), a.port());
          return this;
        })
        .onMessageEquals(Expire.INSTANCE, this::onExpire)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onRegister(Register r) {
    ports.add(new PortState(r.name(), r.counters()));
    if (ports.size() > routeBuffer.length) { // doubling: a 10,000-port fabric registers in O(n)
      int capacity = Math.max(16, 2 * routeBuffer.length);
      routeBuffer = new int[capacity];
      touched = new boolean[capacity];
      touchedPorts = new int[capacity];
    }
    r.index().complete(ports.size() - 1);
    return this;
  }

  private Behavior<Command> onFramesIn(FramesIn in) {
    PortState from = ports.get(in.port());
    long now = clock.nanos();
    int portCount = ports.size();
    touchedCount = 0;
    for (ByteString frame : in.frames()) {
      from.counters.frameIn(frame.size());
      if (forwarding.isRunt(frame)) {
        from.counters.drop(DropCause.RUNT);
        continue;
      }
      int n = forwarding.route(in.port(), frame, now, portCount, routeBuffer);
      for (int i = 0; i < n; i++) {
        PortState to = ports.get(routeBuffer[i]);
        if (to.attached()) {
          to.queue.add(frame);
          int p = routeBuffer[i];
          if (!touched[p]) {
            touched[p] = true;
            touchedPorts[touchedCount++] = p;
          }
        } else {
          to.counters.drop(DropCause.NO_PEER);
        }
      }
    }
    // Only the ports this batch went to have anything new: a switch forwarding unicast among
    // thousands of ports does not walk them all per batch.
    List<PortState> waitOn = List.of();
    for (int t = 0; t < touchedCount; t++) {
      PortState to = ports.get(touchedPorts[t]);
      touched[touchedPorts[t]] = false;
      flush(to);
      if (to.attached() && to.queue.size() > settings.portQueueFrames()) {
        if (waitOn.isEmpty()) {
          waitOn = new ArrayList<>(2);
        }
        waitOn.add(to);
      }
    }
    if (waitOn.isEmpty()) {
      in.ack().tell(Ack.INSTANCE);
    } else {
      from.parkedAck = in.ack();
      from.parkedGeneration = in.generation();
      from.parkSerial++;
      from.parkedOnCount = waitOn.size();
      for (PortState full : waitOn) {
        full.waiters.add(new Waiter(from, from.parkSerial));
      }
    }
    return this;
  }

  private Behavior<Command> onEgressReady(EgressReady e) {
    PortState port = ports.get(e.port());
    port.generation = e.generation();
    port.egress = e.egress();
    port.egressBusy = false;
    return this;
  }

  private Behavior<Command> onEgressAck(EgressAck a) {
    PortState port = ports.get(a.port());
    if (port.generation != a.generation()) {
      return this; // an ack from a link that has since gone
    }
    port.egressBusy = false;
    flush(port);
    if (port.queue.size() <= settings.portQueueFrames()) {
      releaseParkedOn(port);
    }
    return this;
  }

  private Behavior<Command> onLinkEnded(LinkEnded e) {
    PortState port = ports.get(e.port());
    if (port.parkedAck != null && port.parkedGeneration == e.generation()) {
      port.parkedAck = null; // that ingress is gone; nobody to ack (its waiter entries go stale)
    }
    if (port.generation == e.generation()) {
      // what the link's egress held it counts itself when it stops; this is what it never got
      port.counters.drop(DropCause.PEER_LOST, port.queue.size());
      port.queue.clear();
      port.egress = null;
      port.generation = -1;
      port.egressBusy = false;
      forwarding.portDown(e.port());
      releaseParkedOn(port);
    }
    return this;
  }

  private Behavior<Command> onExpire() {
    forwarding.expire(clock.nanos());
    armSweep();
    return this;
  }

  private Behavior<Command> onPostStop(PostStop stop) {
    if (sweep != null) {
      sweep.cancel(); // a clock timer outlives the actor
    }
    return this;
  }

  /**
   * {@code drained} is back under its limit (or gone): every batch parked on it waits on one port
   * fewer, and those that wait on none any more are acked. Every port a batch waits on drains
   * eventually: its egress is busy (else it would have been flushed), so its next ack flushes
   * it, or its link ends.
   */
  private void releaseParkedOn(PortState drained) {
    if (drained.waiters.isEmpty()) {
      return;
    }
    List<Waiter> waiters = drained.waiters;
    drained.waiters = new ArrayList<>(); // not clear(): a storm's list would keep its capacity
    for (Waiter w : waiters) {
      PortState p = w.port();
      if (p.parkedAck != null && p.parkSerial == w.serial() && --p.parkedOnCount == 0) {
        ActorRef<Ack> ack = p.parkedAck;
        p.parkedAck = null;
        ack.tell(Ack.INSTANCE);
      }
    }
  }

  /**
   * Hands everything queued for a port to its link, as one batch, if the link is free. The
   * link's egress counts the frames from here on (out as it emits them, or peer-lost).
   */
  private void flush(PortState port) {
    if (port.egressBusy || !port.attached() || port.queue.isEmpty()) {
      return;
    }
    List<ByteString> batch = port.queue;
    // The next queue starts at the size this one needed, capped: steady traffic does not regrow
    // it batch after batch, and a burst (a broadcast storm on a big hub) leaves no big array.
    port.queue = new ArrayList<>(Math.min(batch.size(), SHRINK_AFTER_FRAMES));
    port.egressBusy = true;
    port.egress.offer(batch);
  }
}
