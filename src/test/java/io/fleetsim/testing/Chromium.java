package io.fleetsim.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium on a local HTML file, for checking generated pages (report.html). Each call is
 * one browser run with a fresh profile; page console output shows up in {@link Run#stderr()}.
 */
public final class Chromium {
  public static final String BINARY = "chromium";
  private static final long TIMEOUT_SECONDS = 60;
  /** Lets timers and animation frames run before the dump or screenshot is taken. */
  private static final String VIRTUAL_TIME_MS = "5000";

  private Chromium() {}

  /** What one run printed. */
  public record Run(String stdout, String stderr) {
    /** Console lines from pages (console.* calls, uncaught errors): "...:INFO:CONSOLE(12)] ..." */
    /** Console lines of the page itself; Chromium's own pages (chrome://) log now and then. */
    public List<String> consoleLines() {
      return stderr.lines().filter(l -> l.contains(":CONSOLE") && !l.contains("source: chrome://")).toList();
    }
  }

  /** In CI a missing Chromium fails the test; elsewhere it skips it with a message. */
  public static Path require() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, BINARY);
      if (f.canExecute()) {
        return f.toPath();
      }
    }
    String message = BINARY + " not found (apt-get install chromium)";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + ": browser tests must run in CI");
    }
    Assumptions.assumeTrue(false, message);
    return null; // not reached
  }

  /** The DOM after load and scripts ran ({@code --dump-dom}), on stdout. */
  public static Run dumpDom(Path html) throws IOException, InterruptedException {
    return run(html, List.of("--dump-dom"));
  }

  /** A PNG of the page at 1200x1600 CSS pixels. */
  public static Run screenshot(Path html, Path png) throws IOException, InterruptedException {
    return screenshot(html, png, 1600);
  }

  /** A screenshot of the page's first {@code height} pixels (at 1200 wide). */
  public static Run screenshot(Path html, Path png, int height) throws IOException, InterruptedException {
    return run(html, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1200," + height,
        "--hide-scrollbars"));
  }

  /**
   * One headless run. A browser that hangs (seen now and then on a loaded machine, before it
   * loads the page: a Chromium start-up problem, not the page's) is killed and tried once more
   * with a fresh profile; a second hang fails the test.
   */
  private static Run run(Path html, List<String> action) throws IOException, InterruptedException {
    Optional<Run> first = attempt(html, action);
    return first.isPresent() ? first.get() : attempt(html, action).orElseGet(() -> {
      fail("chromium did not finish within " + TIMEOUT_SECONDS + " s on " + html + ", twice");
      return null; // not reached
    });
  }

  /** Empty when the browser did not finish in time; fails the test when it exits non-zero. */
  private static Optional<Run> attempt(Path html, List<String> action)
      throws IOException, InterruptedException {
    Path binary = require();
    Path profile = Files.createTempDirectory("fleetsim-chromium-");
    Path out = profile.resolve("stdout.txt");
    Path err = profile.resolve("stderr.txt");
    try {
      List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
          "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
          "--user-data-dir=" + profile.resolve("profile"), "--enable-logging=stderr", "--v=0",
          "--virtual-time-budget=" + VIRTUAL_TIME_MS));
      cmd.addAll(action);
      cmd.add(html.toAbsolutePath().toUri().toString());
      // to files, not pipes: Chromium's helpers can keep a pipe open after the browser exits
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        killTree(p);
        return Optional.empty();
      }
      Run run = new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      if (p.exitValue() != 0) {
        fail("chromium exited " + p.exitValue() + " on " + html + "; stderr:\n" + run.stderr());
      }
      return Optional.of(run);
    } finally {
      deleteTree(profile);
    }
  }

  /** Kills a browser and every process it started (ChromiumSession's too). */
  static void killTree(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** Best effort: a profile left in /tmp must not fail the test that used it. */
  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException ignored) {
      // a helper process may still be closing files there
    }
  }
}
