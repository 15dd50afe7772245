package io.fleetsim.guest.workload;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a user's app reported: its own verdict, summary line and figures, or the exception that
 * ended it.
 *
 * @param app the class's name
 * @param finished whether the run is over (finished by itself, stopped, or failed)
 * @param succeeded the app's {@code success()}; false when it threw
 * @param results the app's figures by name (numbers, strings, booleans)
 * @param error what the app threw, which ended its run
 */
public record AppResult(String app, boolean finished, boolean succeeded, String summary,
    Map<String, Object> results, Optional<String> error) implements WorkloadResult {
  public AppResult {
    results = java.util.Collections.unmodifiableMap(new TreeMap<>(results));
  }

  @Override
  public String kind() {
    return AppWorkload.KIND;
  }
}
