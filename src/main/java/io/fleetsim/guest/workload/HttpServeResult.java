package io.fleetsim.guest.workload;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an http-serve answered.
 *
 * @param bodyBytes the size of {@code /}
 * @param sha256 of that body, lower-case hex
 * @param connections connections accepted
 * @param requests request heads received, well-formed or not
 * @param badRequests of those, the malformed ones (answered 400, 431, 505 or 501, then closed)
 * @param responses responses sent in full, by status code, in code order
 * @param bytesSent response bytes (heads and bodies) the connections took
 */
public record HttpServeResult(int port, long bodyBytes, String sha256, long connections,
    long requests, long badRequests, Map<Integer, Long> responses, long bytesSent)
    implements WorkloadResult {
  public HttpServeResult {
    responses = Collections.unmodifiableMap(new TreeMap<>(responses));
  }

  @Override
  public String kind() {
    return HttpServeWorkload.KIND;
  }

  /** Responses sent, any status. */
  public long responseCount() {
    return responses.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String summary() {
    StringBuilder by = new StringBuilder();
    responses.forEach((status, n) -> by.append(by.length() == 0 ? "" : ", ").append(n).append(" x ")
        .append(status));
    return "http-serve " + port + ": " + requests + " requests on " + connections
        + (connections == 1 ? " connection" : " connections") + ", " + responseCount()
        + " responses" + (by.length() > 0 ? " (" + by + ")" : "") + ", " + badRequests
        + " bad, " + bytesSent + " bytes sent";
  }
}
