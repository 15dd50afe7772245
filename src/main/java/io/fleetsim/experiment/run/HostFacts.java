package io.fleetsim.experiment.run;

import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
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
  private final Map<String, Object> facts = new LinkedHashMap<>();
  private static final Clock WALL = RealClock.system();
  private final long wallStart = WALL.nanos();

  private HostFacts() {}

  /** The facts known when the run starts: wall-clock start, results folder, the JVM. */
  static HostFacts start(Path folder) {
    HostFacts host = new HostFacts();
    host.put("startedAt", WALL.instant().toString());
    host.put("resultsFolder", folder.toAbsolutePath().toString());
    Runtime runtime = Runtime.getRuntime();
    host.put("availableProcessors", runtime.availableProcessors());
    Map<String, Object> jvm = new LinkedHashMap<>();
    jvm.put("version", System.getProperty("java.runtime.version", System.getProperty("java.version")));
    jvm.put("vendor", System.getProperty("java.vendor"));
    jvm.put("maxHeapBytes", runtime.maxMemory() == Long.MAX_VALUE ? null : runtime.maxMemory());
    jvm.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList());
    host.put("jvm", jvm);
    return host;
  }

  void put(String key, Object value) {
    facts.put(key, value);
  }

  /** The facts with the wall time so far, for results.json. */
  Map<String, Object> toMap() {
    Map<String, Object> out = new LinkedHashMap<>(facts);
    out.put("wallSeconds", (WALL.nanos() - wallStart) / 1e9);
    return out;
  }
}
