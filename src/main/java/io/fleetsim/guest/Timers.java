package io.fleetsim.guest;

import io.fleetsim.vm.hw.Cpu;

/** Guest time and timers: each timer that fires costs the vCPU one timer tick. */
final class Timers {
  private final GuestEnv env;

  Timers(GuestEnv env) {
    this.env = env;
  }

  long now() {
    return env.nanoTime();
  }

  GuestEnv.Cancellable after(long delayNanos, Runnable task) {
    return env.schedule(Math.max(0, delayNanos), () -> {
      Cpu cpu = env.cpu();
      cpu.charge(cpu.costs().timerTick());
      task.run();
    });
  }
}
