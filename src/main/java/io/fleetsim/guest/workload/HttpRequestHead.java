package io.fleetsim.guest.workload;

import java.util.List;

/**
 * An HTTP/1.0 or 1.1 request head, as http-serve reads it.
 *
 * @param method as sent (methods are case-sensitive, RFC 9110 9.1)
 * @param target the request target as sent
 * @param path the target's path: origin form as is, absolute form ({@code http://h/p}) its path
 * @param minor 0 for HTTP/1.0, 1 for HTTP/1.1 (later 1.x minors count as 1.1, RFC 9110 2.5)
 */
record HttpRequestHead(String method, String target, String path, int minor, HttpFields fields) {

  /** Whether the connection stays open after the response (RFC 9112 9.3). */
  boolean keepAlive() {
    if (fields.hasToken("Connection", "close")) {
      return false;
    }
    return minor >= 1 || fields.hasToken("Connection", "keep-alive");
  }

  /**
   * Parses the head at the start of {@code data[from..to)}. Problems carry the status to answer
   * with: 400 for syntax (and a missing or repeated Host in 1.1, RFC 9112 3.2), 431 for a head
   * over {@link HttpHead#MAX_HEAD}, 505 for a version other than 1.x, 501 for a request body
   * sent chunked (Transfer-Encoding is not supported).
   */
  static HeadParse<HttpRequestHead> parse(byte[] data, int from, int to) {
    HttpHead.Lines lines = HttpHead.split(data, from, to);
    if (lines == null) {
      return HeadParse.needMore();
    }
    String first = lines.lines().get(0);
    if (first == null) {
      return HeadParse.bad(431, "request head longer than " + HttpHead.MAX_HEAD + " bytes");
    }
    String[] parts = first.split(" ", -1);
    if (parts.length != 3 || !HttpHead.isToken(parts[0]) || parts[1].isEmpty()) {
      return HeadParse.bad(400, "malformed request line");
    }
    for (int i = 0; i < parts[1].length(); i++) {
      char c = parts[1].charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return HeadParse.bad(400, "malformed request target");
      }
    }
    int minor = HttpHead.minorVersion(parts[2]);
    if (minor == -1) {
      return HeadParse.bad(400, "malformed HTTP version");
    }
    if (minor == -2) {
      return HeadParse.bad(505, "HTTP version " + parts[2] + " not supported");
    }
    String path = path(parts[1]);
    if (path == null) {
      return HeadParse.bad(400, "malformed request target");
    }
    HttpFields fields = HttpHead.fields(lines.lines().subList(1, lines.lines().size()));
    if (fields == null) {
      return HeadParse.bad(400, "malformed header field");
    }
    List<String> hosts = fields.all("Host");
    if (minor >= 1 && hosts.size() != 1) {
      return HeadParse.bad(400, hosts.isEmpty() ? "no Host header" : "more than one Host header");
    }
    if (fields.contentLength() == -1) {
      return HeadParse.bad(400, "malformed Content-Length");
    }
    if (!fields.all("Transfer-Encoding").isEmpty()) {
      return HeadParse.bad(501, "Transfer-Encoding in a request is not supported");
    }
    return HeadParse.of(new HttpRequestHead(parts[0], parts[1], path, Math.min(minor, 1), fields),
        lines.length());
  }

  /** Origin form "/p", absolute form "http://authority/p" (its path, "/" when empty), "*". */
  private static String path(String target) {
    if (target.startsWith("/") || target.equals("*")) {
      return target;
    }
    int scheme = target.indexOf("://");
    if (scheme > 0 && HttpHead.isToken(target.substring(0, scheme))) {
      int slash = target.indexOf('/', scheme + 3);
      return slash < 0 ? "/" : target.substring(slash);
    }
    return null;
  }
}
