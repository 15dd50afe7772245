package io.fleetsim.time;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated time: a discrete-event loop on one thread. Everything of a run (every actor, stream
 * stage and timer, through {@link #actorConfig()}) runs on that thread; when nothing is runnable
 * the clock jumps to the earliest timer. Nothing reads the host, so a run takes as long as the
 * CPU needs and gives the same result every time: tasks run in the order they were posted, and
 * timers due at the same instant in the order they were set.
 *
 * <p>The run's own thread (the one that builds the world and plays the timeline) and the loop take
 * turns once {@link #drive()} was called: the loop runs only while that thread waits in
 * {@link #await}, and stops where the condition holds with nothing left to run at that instant.
 * So what the run's thread does between two waits lands at one fixed point of the model. Before
 * {@code drive()} (starting the actor system) and after {@link #release()} (stopping it), the loop
 * runs tasks as they come, for Pekko's own blocking start and stop; time moves only after release.
 */
public final class VirtualClock implements Clock, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualClock.class);
  private static final Map<String, VirtualClock> BY_ID = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();
  /** What {@link #instant()} counts from: simulated seconds read as times of day in a pcap. */
  private static final Instant EPOCH = Instant.EPOCH;

  private enum Phase { STARTING, DRIVEN, RELEASED, CLOSED }

  /** A timer; ordered by due time, then by the order it was set (the tie-break is fixed). */
  private static final class Due implements Timer {
    final long at;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Due(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private final String id;
  private final Object lock = new Object();
  // both guarded by lock
  private final ArrayDeque<Runnable> runnable = new ArrayDeque<>();
  private final PriorityQueue<Due> timers = new PriorityQueue<>(
      (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private final Thread loop;
  private long seq;
  private volatile long now;
  private Phase phase = Phase.STARTING;
  private boolean loopIdle;
  // the run's thread's wait, while it is in await (guarded by lock)
  private BooleanSupplier waitingFor;
  private long waitDeadline;
  private long tasksRun;
  private Thread runThread; // the thread that drives (see drive())
  private long foreignPosts;

  private VirtualClock() {
    id = "virtual-" + IDS.incrementAndGet();
    loop = new Thread(this::loop, "fleetsim-" + id);
    loop.setDaemon(true);
  }

  /** A clock at 0, its loop started (idle until something is posted). */
  public static VirtualClock create() {
    VirtualClock clock = new VirtualClock();
    BY_ID.put(clock.id, clock);
    clock.loop.start();
    return clock;
  }

  /** The clock an actor config names (see {@link #actorConfig()}). */
  static VirtualClock byConfig(Config config) {
    String id = config.getString("fleetsim.virtual-clock");
    VirtualClock clock = BY_ID.get(id);
    if (clock == null) {
      throw new IllegalStateException("no virtual clock " + id + " (closed?)");
    }
    return clock;
  }

  /**
   * Settings that put an actor system on this clock: its scheduler, and every dispatcher Pekko
   * and fleetsim use (actors, Pekko's internal actors, streams, blocking IO) on the one thread.
   */
  public Config actorConfig() {
    String executor = "\"" + VirtualExecutor.class.getName() + "\"";
    return ConfigFactory.parseString(String.join("\n",
        "fleetsim.virtual-clock = \"" + id + "\"",
        "pekko.scheduler.implementation = \"" + VirtualScheduler.class.getName() + "\"",
        "pekko.actor.default-dispatcher.executor = " + executor,
        "pekko.actor.internal-dispatcher = \"pekko.actor.default-dispatcher\"",
        "pekko.actor.default-blocking-io-dispatcher.executor = " + executor,
        "pekko.stream.materializer.dispatcher = \"pekko.actor.default-dispatcher\"",
        "pekko.stream.materializer.blocking-io-dispatcher = \"pekko.actor.default-blocking-io-dispatcher\"",
        "fleetsim.fabric-dispatcher = \"pekko.actor.default-dispatcher\""));
  }

  @Override
  public long nanos() {
    return now;
  }

  @Override
  public Instant instant() {
    return EPOCH.plusNanos(now);
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    synchronized (lock) {
      checkThread();
      Due due = new Due(now + Math.max(0, delayNanos), seq++, task);
      timers.add(due);
      wakeLoop();
      return due;
    }
  }

  /** Runs {@code task} on the loop at the current instant, after what was posted before it. */
  void execute(Runnable task) {
    synchronized (lock) {
      if (phase == Phase.CLOSED) {
        return; // the run is over; late work (a stopped system's last messages) goes nowhere
      }
      checkThread();
      runnable.add(task);
      wakeLoop();
    }
  }

  /**
   * From now on the model runs only while the run's thread waits in {@link #await}. Waits first
   * until what was posted so far has run, so the model starts from one settled state.
   */
  public void drive() throws InterruptedException {
    synchronized (lock) {
      while (!(runnable.isEmpty() && loopIdle)) {
        lock.wait();
      }
      phase = Phase.DRIVEN;
      runThread = Thread.currentThread();
    }
  }

  /** Lets the loop run freely again (time moves when it is idle): for stopping the system. */
  public void release() {
    synchronized (lock) {
      if (phase == Phase.DRIVEN || phase == Phase.STARTING) {
        phase = Phase.RELEASED;
        waitingFor = null;
        lock.notifyAll();
      }
    }
  }

  /**
   * Lets the model run until {@code done} holds at an instant where nothing is left to run, or
   * until the clock reaches {@code deadlineNanos} (what is due at the deadline runs first).
   * {@code done} is asked on the loop's thread: it must only read.
   */
  @Override
  public boolean await(BooleanSupplier done, long deadlineNanos) throws InterruptedException {
    synchronized (lock) {
      if (phase != Phase.DRIVEN) {
        throw new IllegalStateException("await on " + this + " before drive() or after release()");
      }
      waitingFor = done;
      waitDeadline = deadlineNanos;
      lock.notifyAll();
      try {
        while (waitingFor != null) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        waitingFor = null;
        throw e;
      }
    }
    return done.getAsBoolean();
  }

  /** Stops the loop; timers still set are dropped. */
  @Override
  public void close() {
    synchronized (lock) {
      phase = Phase.CLOSED;
      runnable.clear();
      timers.clear();
      waitingFor = null;
      lock.notifyAll();
    }
    BY_ID.remove(id);
  }

  /** Tasks the loop ran so far (a measure of the work a run was). */
  public long tasksRun() {
    synchronized (lock) {
      return tasksRun;
    }
  }

  /**
   * Work posted while driven by a thread that is neither the loop nor the run's thread races with
   * the loop (which may already have moved time on): a callback on a pool thread, say. It would
   * make runs differ, so it is counted and logged once.
   */
  private void checkThread() {
    Thread t = Thread.currentThread();
    if (phase == Phase.DRIVEN && t != loop && t != runThread && foreignPosts++ == 0) {
      LOG.warn("virtual clock {}: work posted from thread {}, outside the clock: this run may not"
          + " repeat exactly", id, t.getName(), new IllegalStateException("posted from here"));
    }
  }

  /** Tasks and timers posted from outside the clock while driven (0 in a repeatable run). */
  public long foreignPosts() {
    synchronized (lock) {
      return foreignPosts;
    }
  }

  private void wakeLoop() {
    if (loopIdle) {
      lock.notifyAll();
    }
  }

  private void loop() {
    while (true) {
      Runnable task = next();
      if (task == null) {
        return;
      }
      try {
        task.run();
      } catch (Throwable t) {
        // Pekko's own tasks catch what actors throw; this is a bare timer task's failure
        LOG.error("virtual clock {}: a task failed at {} ns", id, now, t);
      }
    }
  }

  /** The next task to run, advancing time when it is time to; null when closed. */
  private Runnable next() {
    synchronized (lock) {
      while (true) {
        if (phase == Phase.CLOSED) {
          return null;
        }
        boolean mayRun = phase != Phase.DRIVEN || waitingFor != null;
        if (mayRun && !runnable.isEmpty()) {
          loopIdle = false;
          tasksRun++;
          return runnable.poll();
        }
        if (phase == Phase.DRIVEN && waitingFor != null) {
          // nothing left at this instant: the run's thread's condition, then the next timer
          Runnable due = advance(waitingFor.getAsBoolean() ? Long.MIN_VALUE : waitDeadline);
          if (due != null) {
            loopIdle = false;
            tasksRun++;
            return due;
          }
          waitingFor = null; // done, or the deadline reached: the run's thread takes its turn
        } else if (phase == Phase.RELEASED) {
          Runnable due = advance(Long.MAX_VALUE);
          if (due != null) {
            loopIdle = false;
            tasksRun++;
            return due;
          }
        }
        loopIdle = true;
        lock.notifyAll();
        try {
          lock.wait();
        } catch (InterruptedException e) {
          return null;
        }
      }
    }
  }

  /** The earliest timer due by {@code until}, with the clock moved to it; else the clock moved to until. */
  private Runnable advance(long until) {
    while (!timers.isEmpty()) {
      Due head = timers.peek();
      if (head.cancelled) {
        timers.poll();
        continue;
      }
      if (head.at > until) {
        break;
      }
      timers.poll();
      now = Math.max(now, head.at);
      return head.task;
    }
    if (until != Long.MIN_VALUE && until != Long.MAX_VALUE && until > now) {
      now = until;
    }
    return null;
  }

  @Override
  public String toString() {
    return "virtual time";
  }
}
