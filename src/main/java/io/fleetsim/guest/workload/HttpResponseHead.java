package io.fleetsim.guest.workload;

/**
 * An HTTP/1.x response head, as http-get reads it.
 *
 * @param minor 0 for HTTP/1.0, 1 for 1.1 or later 1.x
 * @param status 100-999 (RFC 9110 15: three digits)
 */
record HttpResponseHead(int minor, int status, String reason, HttpFields fields) {

  /** How the body of a response to a GET ends (RFC 9112 6.3). */
  enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

  Framing framing() {
    if (status < 200 || status == 204 || status == 304) {
      return Framing.NONE;
    }
    if (!fields.all("Transfer-Encoding").isEmpty()) {
      return fields.hasToken("Transfer-Encoding", "chunked") ? Framing.CHUNKED : Framing.CLOSE;
    }
    return fields.contentLength() >= 0 ? Framing.LENGTH : Framing.CLOSE;
  }

  /** Whether the server keeps the connection for another request. */
  boolean keepAlive() {
    if (fields.hasToken("Connection", "close") || framing() == Framing.CLOSE) {
      return false;
    }
    return minor >= 1 || fields.hasToken("Connection", "keep-alive");
  }

  /**
   * Parses the head at {@code data[from..to)}; a problem (status 0) names what is wrong: the
   * status line, a field, an unusable Content-Length (a body without a reliable length cannot be
   * told from the next response).
   */
  static HeadParse<HttpResponseHead> parse(byte[] data, int from, int to) {
    HttpHead.Lines lines = HttpHead.split(data, from, to);
    if (lines == null) {
      return HeadParse.needMore();
    }
    String first = lines.lines().get(0);
    if (first == null) {
      return HeadParse.bad(0, "response head longer than " + HttpHead.MAX_HEAD + " bytes");
    }
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]; the last SP may be missing
    if (first.length() < 12 || first.charAt(8) != ' '
        || (first.length() > 12 && first.charAt(12) != ' ')) {
      return HeadParse.bad(0, "malformed status line");
    }
    int minor = HttpHead.minorVersion(first.substring(0, 8));
    if (minor < 0) {
      return HeadParse.bad(0, "not an HTTP/1.x status line");
    }
    String code = first.substring(9, 12);
    if (!HttpHead.digit(code.charAt(0)) || !HttpHead.digit(code.charAt(1))
        || !HttpHead.digit(code.charAt(2)) || code.charAt(0) == '0') {
      return HeadParse.bad(0, "malformed status code");
    }
    HttpFields fields = HttpHead.fields(lines.lines().subList(1, lines.lines().size()));
    if (fields == null) {
      return HeadParse.bad(0, "malformed header field");
    }
    if (fields.contentLength() == -1 && fields.all("Transfer-Encoding").isEmpty()) {
      return HeadParse.bad(0, "malformed Content-Length");
    }
    String reason = first.length() > 13 ? first.substring(13) : "";
    return HeadParse.of(new HttpResponseHead(Math.min(minor, 1), Integer.parseInt(code), reason,
        fields), lines.length());
  }
}
