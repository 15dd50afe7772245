package io.fleetsim.guest.workload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The part HTTP/1.x requests and responses share (RFC 9112 2-5): a start line, header field
 * lines, an empty line. Lines end in CRLF or a bare LF (RFC 9112 2.2 lets a recipient take
 * that). Parsing reads bytes as they came, any bytes: the outcome is a head, "need more", or a
 * named problem, never an exception.
 */
final class HttpHead {
  /** The most a head may take, start line and fields: larger is refused, not buffered. */
  static final int MAX_HEAD = 16 * 1024;

  private HttpHead() {}

  /** A head's lines without their ends, and how many bytes it took in all (the empty line too). */
  record Lines(List<String> lines, int length) {}

  /**
   * Splits off the head at {@code data[from..to)}: {@code null} if its empty line has not come
   * yet, else the lines. Leading empty lines are skipped (RFC 9112 2.2 lets a server ignore
   * them). Lines are decoded as ISO-8859-1, one char per byte, so no byte is lost or refused
   * here. Throws nothing: a too-long head gives a {@code Lines} of one {@code null} line.
   */
  static Lines split(byte[] data, int from, int to) {
    List<String> lines = new ArrayList<>();
    int start = from;
    while (true) {
      int lf = -1;
      for (int i = start; i < to; i++) {
        if (data[i] == '\n') {
          lf = i;
          break;
        }
      }
      if (lf < 0) {
        return to - from > MAX_HEAD ? tooLong() : null;
      }
      if (lf + 1 - from > MAX_HEAD) {
        return tooLong();
      }
      int end = lf > start && data[lf - 1] == '\r' ? lf - 1 : lf;
      String line = new String(data, start, end - start, StandardCharsets.ISO_8859_1);
      start = lf + 1;
      if (line.isEmpty()) {
        if (lines.isEmpty()) {
          continue; // before the start line
        }
        return new Lines(lines, start - from);
      }
      lines.add(line);
    }
  }

  private static Lines tooLong() {
    List<String> one = new ArrayList<>();
    one.add(null);
    return new Lines(one, 0);
  }

  /**
   * Parses field lines {@code name ":" OWS value OWS}; null when one is malformed: no colon,
   * a name that is not a token (whitespace before the colon included, RFC 9112 5.1), a folded
   * line (obsolete, RFC 9112 5.2), or a control character in the value.
   */
  static HttpFields fields(List<String> lines) {
    List<HttpFields.Field> out = new ArrayList<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        return null;
      }
      String value = line.substring(colon + 1).strip();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          return null;
        }
      }
      out.add(new HttpFields.Field(line.substring(0, colon), value));
    }
    return new HttpFields(out);
  }

  /** RFC 9110 5.6.2's token: visible ASCII except delimiters. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The minor version of {@code HTTP/1.x}, or -1 for anything else (-2: HTTP/ with other digits). */
  static int minorVersion(String version) {
    if (version.length() == 8 && version.startsWith("HTTP/") && version.charAt(6) == '.'
        && digit(version.charAt(5)) && digit(version.charAt(7))) {
      return version.charAt(5) == '1' ? version.charAt(7) - '0' : -2;
    }
    return -1;
  }
}
