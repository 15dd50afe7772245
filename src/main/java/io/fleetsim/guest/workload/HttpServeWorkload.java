package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code http-serve PORT [size=AMOUNT]}: an HTTP/1.0 and 1.1 server (RFC 9112) whose one
 * resource, {@code /}, is {@code size} bytes (default 64 KiB) of {@link StreamPattern}, the same
 * bytes for every VM and run; it prints the body's SHA-256 when it starts, so a client's copy can
 * be checked. GET and HEAD; other paths get 404, other methods 501, malformed requests 400 (431
 * for a head over 16 KiB, 505 for a version other than 1.x) and the connection is closed after
 * those. Connections persist for HTTP/1.1 unless the request says {@code Connection: close}, and
 * for 1.0 only when it asks {@code keep-alive}; pipelined requests are answered in order. Runs
 * until stopped. Default criterion ({@link Criteria}): it sent a response.
 */
public record HttpServeWorkload(int port, long size) implements Workload {
  public static final String KIND = "http-serve";
  public static final long DEFAULT_SIZE = 64 * 1024;
  public static final long MAX_SIZE = 1L << 30;
  /** Bodies' digests by size: the body depends on its size alone, and every VM serves one. */
  private static final Map<Long, String> DIGESTS = new ConcurrentHashMap<>();

  public HttpServeWorkload {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be 0-" + MAX_SIZE);
    }
  }

  /** The body's SHA-256, lower-case hex. */
  public String sha256() {
    return DIGESTS.computeIfAbsent(size, Sha256::ofPattern);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return KIND + " " + port + " size=" + size + "B";
  }

  @Override
  public boolean finite() {
    return false;
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    return new HttpServeRun(this, stack);
  }
}
