package io.fleetsim.experiment.run;

import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * results.json's {@code host} section: everything the run reports that depends on the machine
 * or on when the run happened (wall-clock start and duration, heap figures, the JVM, where the
 * results went). Nothing of this kind may appear anywhere else in results.json: outside this
 * section, one file and seed in virtual time give the same bytes on every run. Here the run
 * reads the host's clock whatever clock it runs on, for the host's figures only.
 */
final class HostFacts {
  private static final Clock WALL = RealClock.system();

  private HostFacts() {}

  /**
   * The facts known when the run starts (wall-clock start, results folder, the JVM), in a map
   * the run adds its own figures to (boot time, heap).
   */
  static Map<String, Object> start(Path folder) {
    Map<String, Object> host = new LinkedHashMap<>();
    host.put("startedAt", WALL.instant().toString());
    host.put("resultsFolder", folder.toAbsolutePath().toString());
    Runtime runtime = Runtime.getRuntime();
    Map<String, Object> jvm = new LinkedHashMap<>();
    jvm.put("version", System.getProperty("java.runtime.version", System.getProperty("java.version")));
    jvm.put("vendor", System.getProperty("java.vendor"));
    jvm.put("maxHeapBytes", runtime.maxMemory() == Long.MAX_VALUE ? null : runtime.maxMemory());
    jvm.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList());
    host.put("jvm", jvm);
    return host;
  }

  /** The facts for results.json: with the wall time since {@code startedAt}, unless given. */
  static Map<String, Object> finish(Map<String, Object> host) {
    Map<String, Object> out = new LinkedHashMap<>(host);
    if (!out.containsKey("wallSeconds") && out.get("startedAt") instanceof String started) {
      try {
        out.put("wallSeconds", Duration.between(Instant.parse(started), WALL.instant()).toNanos() / 1e9);
      } catch (DateTimeParseException e) {
        // not ours: then there is no wall time to give
      }
    }
    return out;
  }
}
