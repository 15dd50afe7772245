package io.fleetsim.fault;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.pekko.util.ByteString;

/**
 * The clock-free core of one chain materialisation: frames go through the stages in order at
 * their virtual times, and what comes out waits in a queue ordered by time (ties: arrival order)
 * until {@link #pollDue}. Not thread-safe: the stream stage (or a test) drives it.
 */
final class FaultPipeline {
  /** A stage made from a chain entry, for this materialisation only. */
  private static final class Active {
    final FaultChain.Entry entry;
    final FaultStage stage;

    Active(FaultChain.Entry entry) {
      this.entry = entry;
      this.stage = entry.fault().stage(FaultContext.seeded(entry.seed()));
    }
  }

  /** How much later a stage made a held frame: undone if that stage is removed. */
  private static final class Contribution {
    final Active owner;
    final long nanos;
    final Contribution next;

    Contribution(Active owner, long nanos, Contribution next) {
      this.owner = owner;
      this.nanos = nanos;
      this.next = next;
    }
  }

  private static final class Held {
    final ByteString frame;
    long due;
    final long seq;
    final Contribution delays;

    Held(ByteString frame, long due, long seq, Contribution delays) {
      this.frame = frame;
      this.due = due;
      this.seq = seq;
      this.delays = delays;
    }
  }

  private final FaultChain.Counters counters;
  private final List<Active> stages = new ArrayList<>();
  private final PriorityQueue<Held> held = new PriorityQueue<>((a, b) -> a.due != b.due
      ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long seq;

  FaultPipeline(FaultChain.Counters counters) {
    this.counters = counters;
  }

  /** The chain's entries now: new ones get a fresh stage, removed ones give up their delays. */
  void setEntries(List<FaultChain.Entry> entries, long now) {
    Map<String, Active> old = new HashMap<>();
    for (Active a : stages) {
      old.put(a.entry.id(), a);
    }
    List<Active> next = new ArrayList<>();
    for (FaultChain.Entry e : entries) {
      Active a = old.remove(e.id());
      next.add(a != null ? a : new Active(e));
    }
    stages.clear();
    stages.addAll(next);
    if (!old.isEmpty() && !held.isEmpty()) {
      release(old.values(), now);
    }
  }

  /** Frames held back by a removed stage lose that delay (never earlier than now). */
  private void release(java.util.Collection<Active> removed, long now) {
    List<Held> all = new ArrayList<>(held);
    held.clear();
    for (Held h : all) {
      long undo = 0;
      for (Contribution c = h.delays; c != null; c = c.next) {
        if (removed.contains(c.owner)) {
          undo += c.nanos;
        }
      }
      if (undo > 0) {
        h.due = Math.max(now, h.due - undo);
      }
      held.add(h);
    }
  }

  boolean passThrough() {
    return stages.isEmpty();
  }

  /** A frame arriving at {@code now}. */
  void offer(ByteString frame, long now) {
    counters.frameIn();
    run(0, frame, now, null);
  }

  private void run(int index, ByteString frame, long at, Contribution delays) {
    if (index == stages.size()) {
      held.add(new Held(frame, at, seq++, delays));
      counters.held(1);
      if (delays != null) {
        counters.delayed();
      }
      return;
    }
    Active active = stages.get(index);
    int[] outcomes = new int[1];
    active.stage.onFrame(frame, at, new FaultStage.Emit() {
      @Override
      public void frame(ByteString f, long when) {
        outcomes[0]++;
        long t = Math.max(when, at);
        run(index + 1, f, t, t > at ? new Contribution(active, t - at, delays) : delays);
      }

      @Override
      public void drop(String cause) {
        outcomes[0]++;
        counters.drop(cause);
      }
    });
    // every input accounts for exactly one outcome; more are copies, none is a silent drop
    if (outcomes[0] == 0) {
      counters.drop("fault-vanished");
    } else if (outcomes[0] > 1) {
      counters.added(outcomes[0] - 1);
    }
  }

  /** Time of the earliest held frame, {@link Long#MAX_VALUE} when none. */
  long nextDue() {
    Held h = held.peek();
    return h == null ? Long.MAX_VALUE : h.due;
  }

  /** The earliest frame due by {@code now}, or null. */
  ByteString pollDue(long now) {
    Held h = held.peek();
    if (h == null || h.due > now) {
      return null;
    }
    held.poll();
    counters.held(-1);
    counters.frameOut();
    return h.frame;
  }

  int held() {
    return held.size();
  }

  /** The link went away: what is still held is lost. */
  void dropAll(String cause) {
    while (!held.isEmpty()) {
      held.poll();
      counters.held(-1);
      counters.drop(cause);
    }
  }
}
