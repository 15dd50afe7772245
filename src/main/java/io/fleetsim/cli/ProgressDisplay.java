package io.fleetsim.cli;

import io.fleetsim.experiment.run.ExperimentRun;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Live progress of a run. On a terminal: one bar redrawn in place (elapsed of duration, frames/s,
 * faults active), event lines printed above it. Otherwise (a pipe, a CI log): the events, and a
 * plain line every {@code interval}. In virtual time the figures are simulated seconds, with the
 * speed beside them: simulated seconds per wall second since the line before (the first line:
 * since the display was made, start-up included).
 */
final class ProgressDisplay implements ExperimentRun.Progress {
  private static final int BAR = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final long intervalSeconds;
  private final Clock wall; // null: real time, where the speed is the host's own
  private long lastWall;
  private double lastSim;
  private double speed;
  private boolean barShown;

  ProgressDisplay(PrintWriter out, boolean terminal, Duration interval) {
    this(out, terminal, interval, null);
  }

  /** {@code wall}: the host's clock, for the speed of a virtual-time run; null in real time. */
  ProgressDisplay(PrintWriter out, boolean terminal, Duration interval, Clock wall) {
    this.out = out;
    this.terminal = terminal;
    this.intervalSeconds = Math.max(1, interval.toSeconds());
    this.wall = wall;
    this.lastWall = wall == null ? 0 : wall.nanos();
  }

  static ProgressDisplay forConsole(PrintWriter out, Duration interval, boolean virtualTime) {
    return new ProgressDisplay(out, System.console() != null && !"dumb".equals(System.getenv("TERM")),
        interval, virtualTime ? RealClock.system() : null);
  }

  @Override
  public void say(String line) {
    clearBar();
    out.println(line);
    out.flush();
  }

  @Override
  public void tick(ExperimentRun.Tick t) {
    long elapsed = t.elapsed().toSeconds();
    long total = Math.max(1, t.total().toSeconds());
    String faults = t.activeFaults().isEmpty() ? "no faults" : t.activeFaults().size() == 1
        ? "fault: " + t.activeFaults().get(0) : t.activeFaults().size() + " faults";
    String vms = t.vmsRunning() == t.vmCount() ? t.vmCount() + " VMs" : t.vmsRunning() + "/" + t.vmCount() + " VMs up";
    String figures = String.format("%3d/%ds  %,9d frames/s  %,d drops/s  %s  %s", elapsed, total,
        t.framesPerSecond(), t.dropsPerSecond(), vms, faults);
    boolean shown = terminal || elapsed % intervalSeconds == 0 || elapsed == total;
    if (wall != null && shown) {
      double sim = t.elapsed().toNanos() / 1e9;
      long now = wall.nanos();
      speed = now > lastWall ? (sim - lastSim) / ((now - lastWall) / 1e9) : speed;
      lastWall = now;
      lastSim = sim;
      figures = String.format("%5.1f/%ds sim  %s real time  %,9d frames/s  %,d drops/s  %s  %s", sim,
          total, speed >= 10 ? String.format("%4.0fx", speed) : String.format("%4.1fx", speed),
          t.framesPerSecond(), t.dropsPerSecond(), vms, faults);
    }
    if (terminal) {
      int filled = (int) Math.min(BAR, BAR * elapsed / total);
      out.print("\r[" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] " + figures + "\u001b[K");
      barShown = true;
    } else if (elapsed % intervalSeconds == 0 || elapsed == total) {
      out.println("progress " + figures);
    }
    out.flush();
  }

  /** Leaves the cursor on a fresh line after the bar. */
  void finish() {
    clearBar();
  }

  private void clearBar() {
    if (barShown) {
      out.print("\r\u001b[K");
      barShown = false;
    }
  }
}
