package io.fleetsim.guest.workload;

import java.util.List;

/**
 * What an http-get run fetched.
 *
 * @param url {@code http://HOST:PORT/PATH}
 * @param count requests the run was to make
 * @param connections TCP connections it opened
 * @param requests each request made, in order
 */
public record HttpGetResult(String url, long count, int connections, List<HttpGetRequest> requests)
    implements WorkloadResult {
  public HttpGetResult {
    requests = List.copyOf(requests);
  }

  @Override
  public String kind() {
    return HttpGetWorkload.KIND;
  }

  long okCount() {
    return requests.stream().filter(HttpGetRequest::ok).count();
  }

  long errorCount() {
    return requests.stream().filter(r -> r.error().isPresent()).count();
  }

  long bodyBytes() {
    return requests.stream().mapToLong(HttpGetRequest::bytes).sum();
  }

  @Override
  public String summary() {
    return "http-get " + url + ": " + requests.size() + " of " + count + " requests, " + okCount()
        + " ok (2xx), " + errorCount() + " errors, " + bodyBytes() + " body bytes on "
        + connections + (connections == 1 ? " connection" : " connections");
  }
}
