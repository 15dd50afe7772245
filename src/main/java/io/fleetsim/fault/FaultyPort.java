package io.fleetsim.fault;

import io.fleetsim.fabric.Port;
import io.fleetsim.fabric.PortCounters;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A port whose frames pass a fault chain each way, between the wire (the netdev or NIC that
 * materialises {@link #link()}) and the port itself. Like {@link io.fleetsim.fabric.TappedPort}
 * it works for any port. The port's own counters see frames after the faults on the way in and
 * before them on the way out.
 */
public final class FaultyPort implements Port {
  private static final AtomicLong IDS = new AtomicLong();
  private final Port inner;
  private final FaultChain fromWire;
  private final FaultChain toWire;

  public FaultyPort(Port inner) {
    this(inner, FaultChain.DEFAULT_MAX_HELD);
  }

  public FaultyPort(Port inner, int maxHeld) {
    this.inner = inner;
    this.fromWire = new FaultChain(maxHeld);
    this.toWire = new FaultChain(maxHeld);
  }

  /** Frames the wire sends into the port. */
  public FaultChain fromWire() {
    return fromWire;
  }

  /** Frames the port sends to the wire. */
  public FaultChain toWire() {
    return toWire;
  }

  /**
   * Adds {@code fault} with {@code direction} taken relative to the wire end: {@code OUT} is what
   * the wire end sends ({@link #fromWire()}). For a VM's NIC on its fabric port the VM is that end,
   * so a fault on a VM passes its direction as is; for a network's socket port the network is the
   * port's side, so pass {@code direction.reversed()}. With {@code BOTH} each chain gets its own
   * stage, the second seeded {@code seed + 1}. Returns one id for {@link #remove}.
   */
  public String add(Fault.LinkFault fault, Direction direction, long seed) {
    String id = fault.kind() + "@" + inner.name() + "#" + IDS.incrementAndGet();
    if (direction != Direction.IN) {
      fromWire.add(id, fault, seed);
    }
    if (direction != Direction.OUT) {
      toWire.add(id, fault, direction == Direction.BOTH ? seed + 1 : seed);
    }
    return id;
  }

  /** Removes a fault added by {@link #add}, from both chains. */
  public void remove(String id) {
    fromWire.remove(id);
    toWire.remove(id);
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public PortCounters counters() {
    return inner.counters();
  }

  @Override
  public Flow<ByteString, ByteString, NotUsed> link() {
    return BidiFlow.fromFlows(fromWire.flow(), toWire.flow()).join(inner.link());
  }
}
