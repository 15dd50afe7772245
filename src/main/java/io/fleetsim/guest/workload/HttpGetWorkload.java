package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code http-get URL [count=N] [interval=DURATION] [user-timeout=DURATION]}, URL {@code
 * http://HOST[:PORT][/PATH]} with an IPv4 HOST (port 80 and path / by default): {@code count}
 * HTTP/1.1 GETs (default 1), request i starting {@code i x interval} after the first (or when
 * the one before ends, if later; back to back without interval). A connection the server keeps
 * open is used for the next request, else a new one is opened; the last request says {@code
 * Connection: close}. A request sent on a kept connection that the server closes before
 * answering is sent once more on a new one (the server may close an idle connection just as
 * the request leaves). Bodies are read by Content-Length, chunked, or to the close (HTTP/1.0),
 * hashed as they arrive. Each request prints {@code GET URL STATUS N bytes T s sha256=HEX}, or
 * its error; none throws. Default criterion ({@link Criteria}): every request got a 2xx.
 */
public record HttpGetWorkload(Ipv4Address host, int port, String path, long count,
    Optional<Duration> interval, Optional<Duration> userTimeout) implements Workload {
  public static final String KIND = "http-get";

  public HttpGetWorkload {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /");
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
  }

  /** The URL as printed: {@code http://HOST:PORT/PATH}, the port always given. */
  public String url() {
    return "http://" + host + ":" + port + path;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return KIND + " " + url() + " count=" + count
        + interval.map(d -> " interval=" + DurationText.human(d)).orElse("")
        + userTimeout.map(d -> " user-timeout=" + DurationText.human(d)).orElse("");
  }

  @Override
  public boolean finite() {
    return true;
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    HttpGetRun run = new HttpGetRun(this, stack);
    run.begin();
    return run;
  }
}
