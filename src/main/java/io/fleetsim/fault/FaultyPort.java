package io.fleetsim.fault;

import io.fleetsim.time.SameThread;
import io.fleetsim.link.DropCause;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import io.fleetsim.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A port whose frames pass a fault chain each way, between the wire (the netdev or NIC that
 * materialises {@link #link(OutCount)}) and the port itself. Like {@link io.fleetsim.link.TappedPort}
 * it works for any port. The port's own counters see frames after the faults on the way in; on
 * the way out before them when the port counts (a NIC in this process), after them when a netdev
 * counts what it writes to its socket ({@link Port.OutCount#WRITER}).
 */
public final class FaultyPort implements Port {
  /** Frames lost as they crossed into or out of a network port's chain while its link closed. */
  public static final String CAUSE_LINK_CLOSED = "link-closed";
  private final Port inner;
  private final FaultChain fromWire;
  private final FaultChain toWire;
  private final AtomicLong ids = new AtomicLong(); // per port: ids do not depend on earlier runs
  // the links now up, in the order they came up, guarded by itself: a disconnect cuts them in
  // that order (an identity-hashed set would order them by chance)
  private final Set<SharedKillSwitch> live = new LinkedHashSet<>();
  // a network port's own books (null on a VM's port: the NIC and the fabric port count those)
  private final Books books;

  /** {@code clock}: the time the fault chains delay and release frames by. */
  public FaultyPort(Port inner, Clock clock) {
    this(inner, FaultChain.DEFAULT_MAX_HELD, clock);
  }

  public FaultyPort(Port inner, int maxHeld, Clock clock) {
    this(inner, maxHeld, false, clock);
  }

  private FaultyPort(Port inner, int maxHeld, boolean networkPort, Clock clock) {
    this.inner = inner;
    this.books = networkPort ? new Books() : null;
    this.fromWire = new FaultChain(maxHeld, clock);
    this.toWire = new FaultChain(maxHeld, clock);
  }

  /**
   * What crossed one chain of a network port, counted at its edges apart from the chain: frames
   * that came to its entry, frames that left it, and frames lost on a link that closed as they
   * crossed an edge (booked as {@link #CAUSE_LINK_CLOSED}). For every direction:
   * {@code entered + chain.framesAdded() = left + chain's drops + linkClosed + chain.held()}.
   */
  public record Crossing(long entered, long left, long linkClosed) {}

  /** The edges of both chains of a network port, and its gate for the end of a run. */
  private static final class Books {
    final ChainEdge wireIn = new ChainEdge("wire-in");
    final ChainEdge portIn = new ChainEdge("port-in");
    final ChainEdge portOut = new ChainEdge("port-out");
    final ChainEdge wireOut = new ChainEdge("wire-out");
    volatile boolean closed;
    final LongAdder afterClose = new LongAdder();

    static Crossing crossing(ChainEdge entry, ChainEdge exit) {
      // read while frames move, the edges can disagree by the frames in between: close the
      // books first and let the links go quiet
      return new Crossing(entry.passed() + entry.closedOn(), exit.passed(),
          entry.closedOn() + exit.closedOn());
    }
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
    String id = fault.kind() + "@" + inner.name() + "#" + ids.incrementAndGet();
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

  /**
   * A network's socket port (its far end a QEMU VM, another program, another network): its links
   * {@link #disconnect()} can cut, and its chains are counted at their edges ({@link
   * #fromWireCrossing()}, {@link #toWireCrossing()}) so their books can be checked though the far
   * end is outside fleetsim.
   */
  public static FaultyPort networkPort(Port inner, Clock clock) {
    return new FaultyPort(inner, FaultChain.DEFAULT_MAX_HELD, true, clock);
  }

  /** What crossed the chain from the wire into the port; only for a {@link #networkPort}. */
  public Crossing fromWireCrossing() {
    return Books.crossing(books().wireIn, books().portIn);
  }

  /** What crossed the chain from the port to the wire; only for a {@link #networkPort}. */
  public Crossing toWireCrossing() {
    return Books.crossing(books().portOut, books().wireOut);
  }

  /**
   * Frames lost at this port so far, read live (the once-a-second series reads it on every port):
   * the port's own drops but no-peer (a frame for a port without a peer, a broadcast that reached
   * everyone else, is no loss), both chains' drops, and on a network port what links that closed
   * lost at the chains' edges.
   */
  public long lostSoFar() {
    return inner.counters().droppedSoFar(DropCause.NO_PEER) + fromWire.dropped() + toWire.dropped()
        + linkClosed();
  }

  /** Frames lost on closing links as they crossed an edge; 0 for a VM's port, which has none. */
  public long linkClosed() {
    return books == null ? 0
        : books.wireIn.closedOn() + books.portIn.closedOn() + books.portOut.closedOn() + books.wireOut.closedOn();
  }

  /**
   * The run is over: from now on frames from the wire are read and ignored (counted by {@link
   * #framesAfterClose()}), so that the books can be closed while the far end keeps sending.
   * Frames already past the gate go on as before. Only for a {@link #networkPort}.
   */
  public void closeBooks() {
    books().closed = true;
  }

  /** Frames from the wire ignored after {@link #closeBooks()}. */
  public long framesAfterClose() {
    return books().afterClose.sum();
  }

  private Books books() {
    if (books == null) {
      throw new IllegalStateException(inner.name() + " is not a network port: its NIC and fabric port count it");
    }
    return books;
  }

  /**
   * Whether a link is up now: a {@link #networkPort}'s netdev has a peer (its socket is connected;
   * a datagram netdev's link runs from its bind on). A VM's port does not track its links: false.
   */
  public boolean linked() {
    synchronized (live) {
      return !live.isEmpty();
    }
  }

  /**
   * Cuts the current link as a TCP reset would: the netdev sees its connection fail and closes it
   * (a listen port then waits for the next peer). Faults stay; the next link gets them. Only a
   * {@link #networkPort} has links to cut.
   */
  public void disconnect() {
    List<SharedKillSwitch> links;
    synchronized (live) {
      links = new ArrayList<>(live); // an abort may end a link, and take it out, at once
    }
    for (SharedKillSwitch link : links) {
      link.abort(new Disconnected(inner.name()));
    }
  }

  @Override
  public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
    // with OutCount.WRITER the port's frames out are those written after the chain acted
    if (books == null) {
      // a VM's port: no kill switch, no edges on a frame path nobody disconnects
      return BidiFlow.fromFlows(fromWire.flow(), toWire.flow()).join(inner.link(outCount));
    }
    Books b = books;
    Flow<ByteString, ByteString, NotUsed> faulty = BidiFlow.fromFlows(
            b.wireIn.flow().via(fromWire.flow()).via(b.portIn.flow()),
            b.portOut.flow().via(toWire.flow()).via(b.wireOut.flow()))
        .join(inner.link(outCount));
    SharedKillSwitch cut = KillSwitches.shared("disconnect-" + inner.name());
    return Flow.<ByteString>create()
        .filter(frame -> {
          if (b.closed) {
            b.afterClose.increment();
            return false;
          }
          return true;
        })
        .via(cut.flow())
        .via(faulty)
        .via(cut.flow())
        .watchTermination((notUsed, done) -> {
          synchronized (live) {
            live.add(cut);
          }
          done.whenCompleteAsync((ok, err) -> {
            synchronized (live) {
              live.remove(cut);
            }
          }, SameThread.EXECUTOR);
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
