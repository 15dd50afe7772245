package io.fleetsim.fault;

import io.fleetsim.fabric.Port;
import io.fleetsim.fabric.PortCounters;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A port whose frames pass a fault chain each way, between the wire (the netdev or NIC that
 * materialises {@link #link(OutCount)}) and the port itself. Like {@link io.fleetsim.fabric.TappedPort}
 * it works for any port. The port's own counters see frames after the faults on the way in; on
 * the way out before them when the port counts (a NIC in this process), after them when a netdev
 * counts what it writes to its socket ({@link Port.OutCount#WRITER}).
 */
public final class FaultyPort implements Port {
  private static final AtomicLong IDS = new AtomicLong();
  private final Port inner;
  private final FaultChain fromWire;
  private final FaultChain toWire;
  private final Set<SharedKillSwitch> live = ConcurrentHashMap.newKeySet();
  private final boolean severable;

  public FaultyPort(Port inner) {
    this(inner, FaultChain.DEFAULT_MAX_HELD);
  }

  public FaultyPort(Port inner, int maxHeld) {
    this(inner, maxHeld, false);
  }

  private FaultyPort(Port inner, int maxHeld, boolean severable) {
    this.inner = inner;
    this.severable = severable;
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

  /** A faulty port whose links {@link #disconnect()} can cut (a network's socket port). */
  public static FaultyPort severable(Port inner) {
    return new FaultyPort(inner, FaultChain.DEFAULT_MAX_HELD, true);
  }

  /**
   * Cuts the current link as a TCP reset would: the netdev sees its connection fail and closes it
   * (a listen port then waits for the next peer). Faults stay; the next link gets them. Only a
   * {@link #severable} port has links to cut.
   */
  public void disconnect() {
    for (SharedKillSwitch link : live) {
      link.abort(new Disconnected(inner.name()));
    }
  }

  @Override
  public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
    // with OutCount.WRITER the port's frames out are those written after the chain acted
    Flow<ByteString, ByteString, NotUsed> faulty =
        BidiFlow.fromFlows(fromWire.flow(), toWire.flow()).join(inner.link(outCount));
    if (!severable) {
      return faulty; // no kill switch on the frame path of links nobody disconnects
    }
    SharedKillSwitch cut = KillSwitches.shared("disconnect-" + inner.name());
    return Flow.<ByteString>create().via(cut.flow())
        .via(faulty)
        .via(cut.flow())
        .watchTermination((notUsed, done) -> {
          live.add(cut);
          done.whenComplete((ok, err) -> live.remove(cut));
          return NotUsed.getInstance();
        });
  }

  /** Why a disconnected link failed, as the netdev logs it. */
  static final class Disconnected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Disconnected(String port) {
      super("disconnected by a fault on " + port, null, false, false);
    }
  }
}
