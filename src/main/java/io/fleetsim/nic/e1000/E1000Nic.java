package io.fleetsim.nic.e1000;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.link.CreditLink;
import io.fleetsim.link.CreditLink.Ack;
import io.fleetsim.link.DropCause;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import io.fleetsim.time.Clock;
import io.fleetsim.vm.hw.GuestMemory;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The network side of an emulated e1000: the actor between the device model and its netdev.
 *
 * <p>Receive is gated exactly where QEMU gates it: a batch of frames from the wire is fed to the
 * device only while {@link E1000#canReceive()}; the rest is held and the link's ack withheld, so
 * the netdev stops reading until the guest returns RX descriptors (RDT) and the device calls
 * {@link E1000.Host#receiveReady()}. Transmit goes into a bounded queue towards the wire; when it
 * is full the device stops its TX pass, and the queue's consumer resumes it as soon as there is
 * room. The device's mitigation timer is armed on the {@link Clock} straight from its host
 * callback and fires here; interrupts go to the VM.
 *
 * <p>Where transmit back-pressure is held, one owner per boundary: towards the wire, the link's
 * bounded queue ({@code ToWire}); a frame it refused stays in the device ({@link E1000}'s held
 * frame, with its descriptor, so TDH stops and the guest's ring fills); {@code transmitBlocked}
 * only records that the device waits, and the queue's consumer wakes it once:
 * {@code TransmitSpace} -> {@link E1000#resumeTransmit()}. Receive back-pressure is the link's
 * credit ({@link CreditLink}): the ack for a batch is withheld until the ring took it.
 */
public final class E1000Nic extends AbstractBehavior<E1000Nic.Command> {

  public sealed interface Command {}

  /** Carrier on or off: a link-flap fault, or a cable pulled. The guest sees LSC. */
  public record SetCarrier(boolean up) implements Command {}

  private record FramesIn(long generation, List<ByteString> frames, ActorRef<Ack> ack)
      implements Command {}

  private record LinkEnded(long generation) implements Command {}

  private enum ReceiveReady implements Command { INSTANCE }

  private enum TransmitSpace implements Command { INSTANCE }

  private record TimerFired(long generation) implements Command {}

  /**
   * What the NIC's wire can do when the NIC is full. A stream (TCP, an in-process fabric) can be
   * paused, so frames wait and the sender is pushed back, as QEMU does. A datagram wire cannot:
   * frames keep arriving, and those the ring has no room for are missed by the NIC itself
   * (RXO, MPC, RNBC), where the guest's statistics show them, as on a real Ethernet.
   */
  public enum Wire { PAUSABLE, UNPAUSABLE }

  /** What the VM holds of a NIC: the device for MMIO, the port for its netdev, the actor. */
  public record Handle(E1000 device, Port port, ActorRef<Command> actor) {}

  /** Tunables: frames per ingress batch and frames queued towards the wire. */
  public record Settings(int ingressBatchFrames, int transmitQueueFrames) {
    public Settings {
      if (ingressBatchFrames < 1 || transmitQueueFrames < 1) {
        throw new IllegalArgumentException("NIC batch and queue sizes must be at least 1");
      }
    }

    public static Settings defaults() {
      return new Settings(64, 256);
    }
  }

  /**
   * Creates the device and spawns its actor under {@code context}. {@code interrupt} runs (on any
   * thread) when the device asserts its interrupt line; it must only post a message. The device's
   * timers run on {@code clock}.
   */
  public static Handle spawn(ActorContext<?> context, String name, MacAddress mac, GuestMemory memory,
      Settings settings, Wire wire, Clock clock, Runnable interrupt) {
    Bridge bridge = new Bridge(name, settings, clock, interrupt);
    E1000 device = new E1000(mac, memory, bridge);
    ActorRef<Command> actor = context.spawn(
        Behaviors.<Command>setup(ctx -> new E1000Nic(ctx, device, bridge, wire)), name);
    bridge.actor = actor;
    return new Handle(device, bridge, actor);
  }

  private final E1000 device;
  private final Bridge bridge;
  private final Wire wire;
  private final ArrayDeque<ByteString> held = new ArrayDeque<>();
  private ActorRef<Ack> heldAck;
  private long heldGeneration;

  private E1000Nic(ActorContext<Command> context, E1000 device, Bridge bridge, Wire wire) {
    super(context);
    this.wire = wire;
    this.device = device;
    this.bridge = bridge;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FramesIn.class, this::onFramesIn)
        .onMessageEquals(ReceiveReady.INSTANCE, this::deliverHeld)
        .onMessageEquals(TransmitSpace.INSTANCE, this::onTransmitSpace)
        .onMessage(LinkEnded.class, this::onLinkEnded)
        .onMessage(TimerFired.class, this::onTimerFired)
        .onMessage(SetCarrier.class, this::onSetCarrier)
        .build();
  }

  private Behavior<Command> onFramesIn(FramesIn in) {
    for (ByteString frame : in.frames()) {
      bridge.counters.frameIn(frame.size());
    }
    held.addAll(in.frames());
    heldAck = in.ack();
    heldGeneration = in.generation();
    return deliverHeld();
  }

  /** Feeds held frames while the device can take them; acks the link once all are in. */
  private Behavior<Command> deliverHeld() {
    while (!held.isEmpty() && (wire == Wire.UNPAUSABLE || device.canReceive())) {
      device.receive(held.poll()); // on an unpausable wire a full ring overruns here
    }
    if (held.isEmpty() && heldAck != null) {
      ActorRef<Ack> ack = heldAck;
      heldAck = null;
      ack.tell(Ack.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onTransmitSpace() {
    device.resumeTransmit();
    return this;
  }

  private Behavior<Command> onLinkEnded(LinkEnded e) {
    if (heldAck != null && heldGeneration == e.generation()) {
      bridge.counters.drop(DropCause.PEER_LOST, held.size());
      held.clear();
      heldAck = null;
    }
    if (bridge.linkEnded(e.generation()) && bridge.transmitBlocked.getAndSet(false)) {
      device.resumeTransmit(); // no wire any more: what was waiting now drops as no-peer
    }
    return this;
  }

  private Behavior<Command> onTimerFired(TimerFired fired) {
    if (fired.generation() != bridge.timerGeneration) {
      return this; // replaced by a later request
    }
    device.onTimer();
    return this;
  }

  private Behavior<Command> onSetCarrier(SetCarrier c) {
    device.setLinkUp(c.up());
    return this;
  }

  /**
   * One link's queue towards the wire. Frames the device enqueued and the link never emitted are
   * counted as peer-lost when the link ends; after that the device's frames are refused.
   */
  private static final class ToWire {
    final BoundedSourceQueue<ByteString> queue;
    final long generation;
    final AtomicLong emitted = new AtomicLong();
    long enqueued; // guarded by this
    boolean ended; // guarded by this

    ToWire(BoundedSourceQueue<ByteString> queue, long generation) {
      this.queue = queue;
      this.generation = generation;
    }

    synchronized void end(PortCounters counters) {
      if (!ended) {
        ended = true;
        long left = enqueued - emitted.get();
        if (left > 0) {
          counters.drop(DropCause.PEER_LOST, left);
        }
      }
    }
  }

  /**
   * The device's host and the NIC's port in one: it lives as long as the device, while links
   * come and go with the netdev's peers. Called on the VM thread (MMIO) and the NIC thread.
   */
  private static final class Bridge implements E1000.Host, Port {
    private final String name;
    private final Settings settings;
    private final Clock clock;
    private final Runnable interrupt;
    private final PortCounters counters = new PortCounters();
    private final AtomicLong generations = new AtomicLong();
    private final AtomicBoolean transmitBlocked = new AtomicBoolean();
    private volatile ActorRef<Command> actor;
    private volatile ToWire toWire;
    // the mitigation timer: armed under the device's lock, read by the NIC actor
    private Clock.Timer timer;
    private volatile long timerGeneration;
    private final CreditLink.Protocol<Command> protocol = new CreditLink.Protocol<>() {
      @Override
      public Command framesIn(long generation, List<ByteString> frames, ActorRef<Ack> ack) {
        return new FramesIn(generation, frames, ack);
      }

      @Override
      public Command linkEnded(long generation) {
        return new LinkEnded(generation);
      }
    };

    Bridge(String name, Settings settings, Clock clock, Runnable interrupt) {
      this.name = name;
      this.settings = settings;
      this.clock = clock;
      this.interrupt = interrupt;
    }

    // --- E1000.Host: called with the device lock held, so only post messages ---

    @Override
    public void interruptLine(boolean asserted) {
      if (asserted) {
        interrupt.run();
      }
    }

    @Override
    public boolean transmit(ByteString frame) {
      ToWire link = toWire;
      if (link == null) {
        counters.drop(DropCause.NO_PEER); // QEMU: frames sent with no peer are dropped silently
        return true;
      }
      synchronized (link) { // against the link's end, which counts what is left in the queue
        if (link.ended) {
          counters.drop(DropCause.PEER_LOST); // the link closed under us
          return true;
        }
        QueueOfferResult result = link.queue.offer(frame);
        if (result == QueueOfferResult.dropped()) {
          // Full. Mark blocked first, then try once more: if the consumer drained in between,
          // nobody would otherwise wake the device.
          transmitBlocked.set(true);
          result = link.queue.offer(frame);
          if (result == QueueOfferResult.dropped()) {
            return false;
          }
        }
        if (result == QueueOfferResult.enqueued()) {
          link.enqueued++;
        } else {
          counters.drop(DropCause.PEER_LOST); // the link closed under us
        }
      }
      return true;
    }

    /**
     * The mitigation window's timer, armed here on the clock (a real clock keeps the device's
     * 128 us minimum; Pekko timers fire in whole 1 ms ticks). A newer request replaces an older
     * one; the one that fires only posts to the NIC actor, which drops it if it was replaced.
     */
    @Override
    public void scheduleTimer(long delayNanos) {
      if (timer != null) {
        timer.cancel();
      }
      long generation = ++timerGeneration;
      ActorRef<Command> nic = actor;
      timer = clock.schedule(delayNanos, () -> nic.tell(new TimerFired(generation)));
    }

    @Override
    public void receiveReady() {
      actor.tell(ReceiveReady.INSTANCE);
    }

    // --- Port: the netdev's side ---

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
      ActorRef<Command> nic = actor;
      ToWire[] link = new ToWire[1];
      Source<ByteString, NotUsed> toWireSource = Source.<ByteString>queue(settings.transmitQueueFrames())
          .mapMaterializedValue(queue -> {
            link[0] = new ToWire(queue, generation);
            toWire = link[0];
            nic.tell(TransmitSpace.INSTANCE); // frames refused while there was no link may go now
            return NotUsed.getInstance();
          })
          .map(frame -> {
            link[0].emitted.incrementAndGet();
            if (outCount == OutCount.PORT) {
              counters.frameOut(frame.size()); // else the netdev counts what it writes
            }
            if (transmitBlocked.compareAndSet(true, false)) {
              nic.tell(TransmitSpace.INSTANCE);
            }
            return frame;
          });
      return CreditLink.of(nic, protocol, generation, settings.ingressBatchFrames(), toWireSource,
          () -> {
            if (link[0] != null) {
              link[0].end(counters);
            }
          });
    }

    /** Forgets the link's queue if {@code generation} is still the current link. */
    boolean linkEnded(long generation) {
      ToWire link = toWire;
      if (link != null && link.generation == generation) {
        toWire = null;
        return true;
      }
      return false;
    }

    @Override
    public String toString() {
      return "nic " + name;
    }
  }


}
