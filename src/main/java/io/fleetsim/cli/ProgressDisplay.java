package io.fleetsim.cli;

import io.fleetsim.experiment.run.ExperimentRun;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Live progress of a run. On a terminal: one bar redrawn in place (elapsed of duration, frames/s,
 * faults active), event lines printed above it. Otherwise (a pipe, a CI log): the events, and a
 * plain line every {@code interval}.
 */
final class ProgressDisplay implements ExperimentRun.Progress {
  private static final int BAR = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final long intervalSeconds;
  private boolean barShown;

  ProgressDisplay(PrintWriter out, boolean terminal, Duration interval) {
    this.out = out;
    this.terminal = terminal;
    this.intervalSeconds = Math.max(1, interval.toSeconds());
  }

  static ProgressDisplay forConsole(PrintWriter out, Duration interval) {
    return new ProgressDisplay(out, System.console() != null && !"dumb".equals(System.getenv("TERM")), interval);
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
