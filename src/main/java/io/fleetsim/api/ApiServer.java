package io.fleetsim.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fleetsim.control.Control;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The HTTP API over one {@link Control}, bound and serving once {@link #start} returns, until
 * {@link #close}.
 */
public final class ApiServer implements AutoCloseable {
  /** Requests in flight at close get this long to finish before their connections are cut. */
  private static final Duration DRAIN = Duration.ofSeconds(2);

  private final ActorSystem system;
  private final ServerBinding binding;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ApiServer(ActorSystem system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  /**
   * Binds {@code settings}' address and serves {@code control}; an address that cannot be bound
   * is an {@link ApiException} naming it.
   */
  public static ApiServer start(Control control, ApiSettings settings) throws ApiException {
    ApiRoutes routes = new ApiRoutes(control, settings.token());
    ActorSystem system = ActorSystem.create("fleetsim-api", config());
    try {
      ServerBinding binding = Http.get(system).newServerAt(settings.host(), settings.port())
          .bind(routes.route()).toCompletableFuture().get();
      return new ApiServer(system, binding);
    } catch (ExecutionException e) {
      stop(system);
      throw new ApiException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
          + reason(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(system);
      throw new ApiException("interrupted while binding " + settings.host() + ":" + settings.port());
    } catch (RuntimeException e) {
      stop(system);
      throw e;
    }
  }

  /**
   * The application's config (Pekko's log settings: quiet on the console) but for the run's 1 ms
   * scheduler tick, which guest timers need and HTTP does not.
   */
  private static Config config() {
    return ConfigFactory.parseString("pekko.scheduler.tick-duration = 10ms")
        .withFallback(ConfigFactory.load());
  }

  /** The innermost message: "Address already in use", not Pekko's wrapping of it. */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof UnresolvedAddressException) {
      return "no such host";
    }
    // Pekko prefixes the address, which the caller's message names already
    return t.getMessage() != null ? t.getMessage().replaceFirst("^\\[[^]]*] *", "") : t.toString();
  }

  /** Where it listens: {@code http://127.0.0.1:PORT/}, with the port it got. */
  public URI address() {
    InetSocketAddress a = binding.localAddress();
    String host = a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
  }

  /** Unbinds and stops its actor system; waits for both. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      binding.terminate(DRAIN).toCompletableFuture().get();
    } catch (ExecutionException e) {
      // the connections are cut with the system below anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop(system);
  }

  private static void stop(ActorSystem system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get();
    } catch (ExecutionException e) {
      // terminated with an error is terminated
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
