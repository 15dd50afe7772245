package io.fleetsim.api;

import io.fleetsim.control.Control;
import java.net.URI;

/**
 * The HTTP API over one {@link Control}, bound and serving once {@link #start} returns, until
 * {@link #close}.
 */
public final class ApiServer implements AutoCloseable {

  private ApiServer() {}

  /**
   * Binds {@code settings}' address and serves {@code control}; an address that cannot be bound
   * is an {@link ApiException} naming it.
   */
  public static ApiServer start(Control control, ApiSettings settings) throws ApiException {
    throw new UnsupportedOperationException("issue 13: api helper");
  }

  /** Where it listens: {@code http://127.0.0.1:PORT/}, with the port it got. */
  public URI address() {
    throw new UnsupportedOperationException("issue 13: api helper");
  }

  /** Unbinds and stops its actor system; waits for both. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("issue 13: api helper");
  }
}
