package io.fleetsim.time;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

/**
 * A dispatcher executor ({@code executor = "io.fleetsim.time.VirtualExecutor"}) that runs on the
 * system's {@link VirtualClock} thread: every dispatcher so configured shares that one thread, so
 * messages run in the order they were sent.
 */
public final class VirtualExecutor extends ExecutorServiceConfigurator {
  private final VirtualClock clock;

  public VirtualExecutor(Config config, DispatcherPrerequisites prerequisites) {
    super(config, prerequisites);
    if (!(prerequisites.scheduler() instanceof VirtualScheduler scheduler)) {
      throw new IllegalStateException("a virtual-time dispatcher needs the virtual scheduler"
          + " (pekko.scheduler.implementation = " + VirtualScheduler.class.getName() + ")");
    }
    this.clock = scheduler.clock();
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
    return () -> new OnClock(clock);
  }

  /** The clock's loop as an ExecutorService; shutting one dispatcher down leaves the loop to the clock. */
  private static final class OnClock extends AbstractExecutorService {
    private final VirtualClock clock;
    private volatile boolean shutdown;

    OnClock(VirtualClock clock) {
      this.clock = clock;
    }

    @Override
    public void execute(Runnable command) {
      clock.execute(command);
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
