package io.fleetsim.guest.workload;

import java.util.Optional;

/**
 * One request of an http-get run.
 *
 * @param number 1 for the first request
 * @param connection which of the run's TCP connections carried it, 1 for the first
 * @param reused the connection had carried an earlier request (keep-alive)
 * @param status the response's status code; 0 when none came
 * @param bytes body bytes received
 * @param elapsedNanos from the request's start (its connection's open included when it needed a
 *     new one) to the end of the body, or of the attempt
 * @param sha256 of the body, lower-case hex, when it arrived in full
 * @param error what went wrong when no full response came: refused, reset, timed-out,
 *     keepalive-timeout, no-route, aborted (TCP's errors), closed (the server closed before the
 *     response ended), bad-response (not HTTP/1.x, or a body not framed as its head said),
 *     stopped (the run was stopped first)
 * @param detail a sentence about the error
 */
public record HttpGetRequest(int number, int connection, boolean reused, int status, long bytes,
    long elapsedNanos, Optional<String> sha256, Optional<String> error, Optional<String> detail) {

  /** A full 2xx response. */
  public boolean ok() {
    return error.isEmpty() && status >= 200 && status < 300;
  }
}
