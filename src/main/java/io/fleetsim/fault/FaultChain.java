package io.fleetsim.fault;

import io.fleetsim.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The faults on one direction of one port, in order. The runner changes it at any time from any
 * thread; every running link (and every link materialised later) follows. Accounting over all
 * links: {@code framesIn + framesAdded = framesOut + sum(drops) + held}, where added counts the
 * extra copies a stage made (duplicate). Frames are stamped, and held ones released, on the
 * chain's clock.
 */
public final class FaultChain {
  /** Frames held before the link stops pulling from upstream. */
  public static final int DEFAULT_MAX_HELD = 10_000;
  /** Held frames of a link that stops (peer gone, stream cancelled) are counted under this. */
  public static final String CAUSE_LINK_CLOSED = "fault-link-closed";

  /** One fault of the chain: {@code id} names it for {@link #remove}. */
  public record Entry(String id, Fault.LinkFault fault, long seed) {}

  private final int maxHeld;
  private final Clock clock;
  private final Counters counters = new Counters();
  // materialisations in the order they started, guarded by this: a change reaches them in that
  // order, so on one thread their callbacks run in the same order every run (an identity-hashed
  // set would order them by chance)
  private final Set<Logic> running = new LinkedHashSet<>();
  private final AtomicLong ids = new AtomicLong(); // per chain: ids do not depend on earlier runs
  private List<Entry> entries = List.of();

  public FaultChain(Clock clock) {
    this(DEFAULT_MAX_HELD, clock);
  }

  public FaultChain(int maxHeld, Clock clock) {
    if (maxHeld < 1) {
      throw new IllegalArgumentException("maxHeld must be >= 1, not " + maxHeld);
    }
    this.maxHeld = maxHeld;
    this.clock = clock;
  }

  /** Appends {@code fault}, its randomness seeded by {@code seed}; returns its id. */
  public String add(Fault.LinkFault fault, long seed) {
    String id = fault.kind() + "#" + ids.incrementAndGet();
    add(id, fault, seed);
    return id;
  }

  /** Appends under a given id (a {@link FaultyPort} uses one id for both directions). */
  synchronized void add(String id, Fault.LinkFault fault, long seed) {
    for (Entry e : entries) {
      if (e.id().equals(id)) {
        throw new IllegalArgumentException("fault id already in the chain: " + id);
      }
    }
    List<Entry> next = new ArrayList<>(entries);
    next.add(new Entry(id, fault, seed));
    publish(next);
  }

  /** Removes the fault {@code id}, releasing what it holds back; unknown ids are ignored. */
  public synchronized void remove(String id) {
    List<Entry> next = new ArrayList<>(entries);
    if (next.removeIf(e -> e.id().equals(id))) {
      publish(next);
    }
  }

  private void publish(List<Entry> next) {
    entries = List.copyOf(next);
    for (Logic logic : running) {
      logic.changes.invoke(entries);
    }
  }

  /** Ids of the faults in the chain, in order. */
  public synchronized List<String> active() {
    return entries.stream().map(Entry::id).collect(java.util.stream.Collectors.toList());
  }

  synchronized List<Entry> entries() {
    return entries;
  }

  /** A materialisation starts: it gets the current faults and, from now on, every change. */
  private synchronized List<Entry> started(Logic logic) {
    running.add(logic);
    return entries;
  }

  private synchronized void stopped(Logic logic) {
    running.remove(logic);
  }

  public long framesIn() {
    return counters.framesIn.sum();
  }

  public long framesOut() {
    return counters.framesOut.sum();
  }

  /** Extra copies made by stages (duplicates). */
  public long framesAdded() {
    return counters.added.sum();
  }

  /**
   * Frames a stage let through later than they arrived (latency, reorder, rate): each counted
   * once, however many stages delayed it. Not part of the balance: a delayed frame is held until
   * it leaves, then counted out like any other.
   */
  public long delayed() {
    return counters.delayed.sum();
  }

  /** Frames held right now by all running links. */
  public long held() {
    return counters.held.sum();
  }

  /** All drops so far, whatever their cause. */
  public long dropped() {
    long n = 0;
    for (java.util.concurrent.atomic.LongAdder a : counters.drops.values()) {
      n += a.sum();
    }
    return n;
  }

  /** Drops by cause, e.g. {@code fault-loss}, sorted by cause. */
  public Map<String, Long> drops() {
    Map<String, Long> out = new TreeMap<>();
    counters.drops.forEach((cause, n) -> out.put(cause, n.sum()));
    return out;
  }

  /** A fresh stage for the next link materialisation, starting with the current faults. */
  public Flow<ByteString, ByteString, NotUsed> flow() {
    return Flow.fromGraph(new Stage());
  }

  /** Counters shared by every materialisation; written on stream threads. */
  static final class Counters {
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder added = new LongAdder();
    final LongAdder held = new LongAdder();
    final LongAdder delayed = new LongAdder();
    final ConcurrentHashMap<String, LongAdder> drops = new ConcurrentHashMap<>();

    void frameIn() {
      framesIn.increment();
    }

    void frameOut() {
      framesOut.increment();
    }

    void added(int n) {
      added.add(n);
    }

    void held(int delta) {
      held.add(delta);
    }

    void delayed() {
      delayed.increment();
    }

    void drop(String cause) {
      drops.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }
  }

  private final class Stage extends GraphStage<FlowShape<ByteString, ByteString>> {
    final Inlet<ByteString> in = Inlet.create("FaultChain.in");
    final Outlet<ByteString> out = Outlet.create("FaultChain.out");
    final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

    @Override
    public FlowShape<ByteString, ByteString> shape() {
      return shape;
    }

    @Override
    public Attributes initialAttributes() {
      return Attributes.name("FaultChain");
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new Logic(this);
    }
  }

  /**
   * One link's state. Arrival time is the chain's clock; a frame is released by a clock timer when
   * its time comes and downstream wants it. With no faults nothing is scheduled: a frame arriving
   * while downstream waits is pushed straight on.
   */
  private final class Logic extends GraphStageLogic {
    final Stage s;
    final FaultPipeline pipeline = new FaultPipeline(counters);
    final AsyncCallback<List<Entry>> changes;
    // the clock's timer comes back into the stage through this, with the number of its arming
    final AsyncCallback<Long> timerFired;
    private Clock.Timer timer;
    private long timerArmed; // counts armings: a timer replaced by an earlier one is ignored
    private long timerAt = Long.MAX_VALUE;
    private boolean upstreamDone;

    Logic(Stage s) {
      super(s.shape);
      this.s = s;
      changes = createAsyncCallback(list -> {
        pipeline.setEntries(list, clock.nanos());
        release();
      });
      timerFired = createAsyncCallback(this::onTimer);
      setHandler(s.in, new AbstractInHandler() {
        @Override
        public void onPush() {
          // no faults and nothing held: the frame goes straight on, counted in and out as the
          // pipeline would count it (an empty chain costs a port on every frame: bench/api)
          if (pipeline.passThrough() && pipeline.held() == 0 && isAvailable(s.out)) {
            counters.frameIn();
            counters.frameOut();
            push(s.out, grab(s.in));
            return;
          }
          pipeline.offer(grab(s.in), clock.nanos());
          release();
        }

        @Override
        public void onUpstreamFinish() {
          upstreamDone = true;
          release();
        }
      });
      setHandler(s.out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          release();
        }
      });
    }

    @Override
    public void preStart() {
      pipeline.setEntries(started(this), clock.nanos());
      release();
    }

    @Override
    public void postStop() {
      stopped(this);
      if (timer != null) {
        timer.cancel();
      }
      pipeline.dropAll(CAUSE_LINK_CLOSED);
    }

    private void onTimer(long armed) {
      if (armed != timerArmed) {
        return; // replaced by an earlier deadline, but it fired before the cancel took
      }
      timer = null;
      timerAt = Long.MAX_VALUE;
      release();
    }

    /** (Re)arms the one release timer for {@code at}; an earlier arming no longer counts. */
    private void armTimer(long at, long now) {
      if (timer != null) {
        timer.cancel();
      }
      timerAt = at;
      long armed = ++timerArmed;
      timer = clock.schedule(at - now, () -> timerFired.invoke(armed));
    }

    /** Pushes what is due, sets the timer for the next frame, then pulls if there is room. */
    private void release() {
      long now = clock.nanos();
      if (isAvailable(s.out)) {
        ByteString frame = pipeline.pollDue(now);
        if (frame != null) {
          push(s.out, frame);
        }
      }
      if (upstreamDone && pipeline.held() == 0) {
        completeStage();
        return;
      }
      long next = pipeline.nextDue();
      if (next > now && next < timerAt) {
        armTimer(next, now);
      }
      boolean waitingForDownstream = next <= now;
      boolean room = pipeline.held() < maxHeld && !waitingForDownstream
          && (!pipeline.passThrough() || isAvailable(s.out));
      if (room && !upstreamDone && !hasBeenPulled(s.in) && !isClosed(s.in)) {
        pull(s.in);
      }
    }
  }
}
