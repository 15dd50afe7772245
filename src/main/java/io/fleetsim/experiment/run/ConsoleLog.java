package io.fleetsim.experiment.run;

import io.fleetsim.time.Clock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * console.log: every VM's console lines, stamped with seconds since the run began on the run's
 * clock. VMs write from
 * their own threads; a line that comes after {@link #close()} (a VM still printing while the
 * actor system stops) is dropped, and a failed write is kept for the run to report, never thrown
 * into the VM that printed.
 */
final class ConsoleLog implements AutoCloseable {
  private final BufferedWriter writer;
  private final Clock clock;
  private final long t0;
  private boolean closed;
  private String failure;

  /** {@code t0}: when the run began, on {@code clock}. */
  ConsoleLog(Path file, Clock clock, long t0) throws IOException {
    this.writer = Files.newBufferedWriter(file);
    this.clock = clock;
    this.t0 = t0;
  }

  synchronized void line(String vm, String line) {
    if (closed || failure != null) {
      return;
    }
    try {
      writer.write(String.format("%9.3f %s: %s%n", (clock.nanos() - t0) / 1e9, vm, line));
    } catch (IOException e) {
      failure = e.getMessage() + " (later lines are missing)";
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        writer.close();
      } catch (IOException e) {
        failure = failure != null ? failure : e.getMessage();
      }
    }
  }

  /** Why console.log is incomplete, if it is. */
  synchronized Optional<String> failure() {
    return Optional.ofNullable(failure);
  }
}
