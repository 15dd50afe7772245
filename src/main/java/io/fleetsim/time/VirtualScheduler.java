package io.fleetsim.time;

import com.typesafe.config.Config;
import java.util.concurrent.ThreadFactory;
import org.apache.pekko.actor.AbstractScheduler;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's scheduler on a {@link VirtualClock} ({@code pekko.scheduler.implementation}): actor
 * timers, ask timeouts and stream timers are the clock's timers, to the nanosecond. Pekko
 * instantiates it with this constructor; the config names the clock.
 */
public final class VirtualScheduler extends AbstractScheduler {
  private final VirtualClock clock;

  public VirtualScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
    this.clock = VirtualClock.byConfig(config);
  }

  VirtualClock clock() {
    return clock;
  }

  @Override
  public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
    Task task = new Task(runnable, executor);
    task.timer = clock.schedule(delay.toNanos(), task::fire);
    return task;
  }

  @Override
  public Cancellable schedule(FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable,
      ExecutionContext executor) {
    long every = Math.max(1, interval.toNanos());
    Task task = new Task(runnable, executor);
    task.repeat(clock, initialDelay.toNanos(), every);
    return task;
  }

  @Override
  public double maxFrequency() {
    return 1e9; // one per nanosecond: the clock's resolution
  }

  /** A scheduled runnable; runs through its execution context, as Pekko's own scheduler does. */
  private static final class Task implements Cancellable {
    private final Runnable runnable;
    private final ExecutionContext executor;
    private volatile boolean cancelled;
    private volatile Clock.Timer timer;

    Task(Runnable runnable, ExecutionContext executor) {
      this.runnable = runnable;
      this.executor = executor;
    }

    void fire() {
      if (!cancelled) {
        executor.execute(runnable);
      }
    }

    void repeat(VirtualClock clock, long delay, long every) {
      timer = clock.schedule(delay, () -> {
        if (!cancelled) {
          repeat(clock, every, every); // fixed rate: the next one is set before this one runs
          executor.execute(runnable);
        }
      });
    }

    @Override
    public boolean cancel() {
      if (cancelled) {
        return false;
      }
      cancelled = true;
      Clock.Timer t = timer;
      if (t != null) {
        t.cancel();
      }
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }
  }
}
