package io.fleetsim.api;

import java.util.Optional;

/**
 * Where the API listens and what it asks of a client: {@code host} (127.0.0.1 unless the user
 * names another), {@code port} (0: any free one, printed at start), and the bearer token every
 * request must carry, if one is set.
 */
public record ApiSettings(String host, int port, Optional<String> token) {

  /**
   * {@code [HOST:]PORT} as {@code --api} takes it; a bad value is an {@link
   * IllegalArgumentException} whose message says what was wrong.
   */
  public static ApiSettings parse(String value, Optional<String> token) {
    throw new UnsupportedOperationException("issue 13: api helper");
  }

  /** Whether it listens on a loopback address only. */
  public boolean loopback() {
    throw new UnsupportedOperationException("issue 13: api helper");
  }
}
