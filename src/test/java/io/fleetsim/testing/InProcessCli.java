package io.fleetsim.testing;

import io.fleetsim.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the {@code fleetsim} command in this JVM and keeps what it printed: for cases that end
 * before anything starts (help, usage errors), where a child process would only cost time.
 */
public final class InProcessCli {
  private InProcessCli() {}

  /** The exit status and both streams of one run. */
  public record Result(int status, String stdout, String stderr) {
    public String all() {
      return "status " + status + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  public static synchronized Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int status = Main.run(args);
      return new Result(status, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }
}
