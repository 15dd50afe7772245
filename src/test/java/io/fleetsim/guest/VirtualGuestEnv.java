package io.fleetsim.guest;

import io.fleetsim.vm.hw.CostTable;
import io.fleetsim.vm.hw.Cpu;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A {@link GuestEnv} on a {@link VirtualClock}, recording console lines and charged cycles. */
public final class VirtualGuestEnv implements GuestEnv {
  private final VirtualClock clock;
  private final List<String> lines = new ArrayList<>();
  private final CostTable costs = CostTable.defaults();
  private final SplittableRandom random;
  private long cycles;

  public VirtualGuestEnv(VirtualClock clock) {
    this(clock, 1);
  }

  public VirtualGuestEnv(VirtualClock clock, long seed) {
    this.clock = clock;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public long nanoTime() {
    return clock.now();
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    return clock.schedule(delayNanos, task);
  }

  @Override
  public Cpu cpu() {
    return new Cpu() {
      @Override
      public void charge(long c) {
        if (c < 0) {
          throw new IllegalArgumentException("negative charge");
        }
        cycles += c;
      }

      @Override
      public CostTable costs() {
        return costs;
      }
    };
  }

  @Override
  public SplittableRandom random() {
    return random;
  }

  @Override
  public void print(String line) {
    lines.add(line);
  }

  public List<String> lines() {
    return lines;
  }

  public long cycles() {
    return cycles;
  }

  public VirtualClock clock() {
    return clock;
  }
}
