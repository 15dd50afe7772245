package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The request, response and chunked-body parsers on chosen inputs. */
class HttpParsersTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** CSV sources cannot hold line ends: ~ is CRLF, ^ a lone CR. */
  private static String crlf(String s) {
    return s.replace("~", "\r\n").replace("^", "\r");
  }

  private static HeadParse<HttpRequestHead> request(String s) {
    byte[] d = b(s);
    return HttpRequestHead.parse(d, 0, d.length);
  }

  private static HeadParse<HttpResponseHead> response(String s) {
    byte[] d = b(s);
    return HttpResponseHead.parse(d, 0, d.length);
  }

  @Test
  void aRequestHeadAndWhatFollowsIt() {
    String head = "GET /index.html HTTP/1.1\r\nHost: 10.0.0.2\r\nX-A:  spaced value \t\r\n\r\n";
    HeadParse<HttpRequestHead> p = request(head + "GET / HTTP/1.1\r\n");
    assertTrue(p.complete());
    assertEquals(head.length(), p.length(), "the next request is not part of it");
    assertEquals("GET", p.head().method());
    assertEquals("/index.html", p.head().path());
    assertEquals(1, p.head().minor());
    assertEquals("spaced value", p.head().fields().first("x-a").orElseThrow());
    assertTrue(p.head().keepAlive());
  }

  @Test
  void incompleteHeadsNeedMore() {
    String head = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    for (int n = 0; n < head.length(); n++) {
      HeadParse<HttpRequestHead> p = request(head.substring(0, n));
      assertFalse(p.complete() || p.bad(), "prefix of " + n + " bytes");
    }
    assertTrue(request(head).complete());
  }

  @Test
  void bareLineFeedsAndLeadingEmptyLines() {
    HeadParse<HttpRequestHead> p = request("\r\n\nGET / HTTP/1.0\nUser-Agent: x\n\n");
    assertTrue(p.complete());
    assertEquals(0, p.head().minor());
    assertFalse(p.head().keepAlive(), "1.0 closes unless asked");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET / HTTP/1.1~Host: h~~|true",
      "GET / HTTP/1.1~Host: h~Connection: close~~|false",
      "GET / HTTP/1.1~Host: h~Connection: Upgrade, CLOSE~~|false",
      "GET / HTTP/1.0~~|false",
      "GET / HTTP/1.0~Connection: Keep-Alive~~|true",
      "GET / HTTP/1.9~Host: h~~|true",
  })
  void keepAlive(String head, boolean keep) {
    HeadParse<HttpRequestHead> p = request(crlf(head));
    assertTrue(p.complete(), head);
    assertEquals(keep, p.head().keepAlive(), head);
  }

  @Test
  void absoluteFormTargetsServeTheirPath() {
    assertEquals("/a?b", request("GET http://10.0.0.2:80/a?b HTTP/1.1\r\nHost: x\r\n\r\n").head().path());
    assertEquals("/", request("GET http://10.0.0.2 HTTP/1.1\r\nHost: x\r\n\r\n").head().path());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET /  HTTP/1.1|400|malformed request line",
      "GET / HTTP/1.1 extra|400|malformed request line",
      "G(T / HTTP/1.1|400|malformed request line",
      "GET x HTTP/1.1|400|malformed request target",
      "GET / HTTP/1.1x|400|malformed HTTP version",
      "GET / http/1.1|400|malformed HTTP version",
      "GET / HTTP/2.0|505|HTTP version HTTP/2.0 not supported",
      "GET / HTTP/0.9|505|HTTP version HTTP/0.9 not supported",
  })
  void badRequestLines(String line, int status, String problem) {
    HeadParse<HttpRequestHead> p = request(line + "\r\nHost: h\r\n\r\n");
    assertTrue(p.bad(), line);
    assertEquals(status, p.status());
    assertEquals(problem, p.problem());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Host : h|400|malformed header field",
      "Host: h,Nocolon|400|malformed header field",
      "Host: h, folded|400|malformed header field",
      "Host: a\u0001b|400|malformed header field",
      "X: 1|400|no Host header",
      "Host: a,Host: b|400|more than one Host header",
      "Host: a,Content-Length: 1x|400|malformed Content-Length",
      "Host: a,Content-Length: 1,Content-Length: 2|400|malformed Content-Length",
      "Host: a,Transfer-Encoding: chunked|501|Transfer-Encoding in a request is not supported",
  })
  void badFields(String fields, int status, String problem) {
    String lines = String.join("\r\n", fields.split(",")); // "Host: h, folded": a folded line
    HeadParse<HttpRequestHead> p = request("GET / HTTP/1.1\r\n" + lines + "\r\n\r\n");
    assertTrue(p.bad(), fields);
    assertEquals(status, p.status(), fields);
    assertEquals(problem, p.problem(), fields);
  }

  @Test
  void aHeadTooLongIsRefusedNotBuffered() {
    String big = "GET / HTTP/1.1\r\nHost: h\r\nX: " + "a".repeat(HttpHead.MAX_HEAD) + "\r\n\r\n";
    assertEquals(431, request(big).status());
    String endless = "GET / HTTP/1.1\r\nX: " + "a".repeat(HttpHead.MAX_HEAD + 10);
    assertEquals(431, request(endless).status(), "no line end in sight");
  }

  @Test
  void responseHeadsAndTheirFraming() {
    HeadParse<HttpResponseHead> p = response("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nbody");
    assertTrue(p.complete());
    assertEquals(200, p.head().status());
    assertEquals("OK", p.head().reason());
    assertEquals(HttpResponseHead.Framing.LENGTH, p.head().framing());
    assertTrue(p.head().keepAlive());
    assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n".length(), p.length());

    HttpResponseHead chunked = response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").head();
    assertEquals(HttpResponseHead.Framing.CHUNKED, chunked.framing());
    HttpResponseHead old = response("HTTP/1.0 200 OK\r\n\r\n").head();
    assertEquals(HttpResponseHead.Framing.CLOSE, old.framing());
    assertFalse(old.keepAlive());
    HttpResponseHead kept = response("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n").head();
    assertTrue(kept.keepAlive());
    assertFalse(response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n").head().keepAlive());
    for (String s : new String[] {"HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified", "HTTP/1.1 100 Continue"}) {
      assertEquals(HttpResponseHead.Framing.NONE, response(s + "\r\nContent-Length: 9\r\n\r\n").head().framing(), s);
    }
    assertEquals("", response("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n").head().reason(), "no reason phrase");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "HTTP/1.1 20 OK|malformed status line",
      "HTTP/1.1 2000 OK|malformed status line",
      "HTTP/1.1 0AB OK|malformed status code",
      "HTTP/1.1 099 OK|malformed status code",
      "HTTP/2.0 200 OK|not an HTTP/1.x status line",
      "SSH-2.0-OpenSSH_9.0|malformed status line",
  })
  void badStatusLines(String line, String problem) {
    HeadParse<HttpResponseHead> p = response(line + "\r\nContent-Length: 0\r\n\r\n");
    assertTrue(p.bad(), line);
    assertEquals(problem, p.problem());
  }

  @Test
  void aContentLengthThatCannotBeTrustedIsABadResponse() {
    assertEquals("malformed Content-Length",
        response("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n").problem());
    assertEquals("malformed Content-Length", response("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").problem());
    assertEquals(7, response("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\n\r\n").head().fields().contentLength(),
        "repeated equal values are one length (RFC 9110 8.6)");
  }

  private static String decodeAll(ChunkedDecoder d, byte[] in, int splitAt) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int used = d.feed(in, 0, splitAt, out::write);
    assertEquals(splitAt, used, "everything before the end belongs to the body");
    if (!d.done() && d.problem() == null) {
      used += d.feed(in, splitAt, in.length - splitAt, out::write);
    }
    return out.toString(StandardCharsets.ISO_8859_1) + "|" + used;
  }

  @Test
  void chunkedBodiesSplitAnywhere() {
    String body = "5;name=value\r\nhello\r\nA\r\n, chunked!\r\n0\r\nTrailer: x\r\n\r\n";
    byte[] in = b(body + "NEXT");
    for (int split = 0; split <= body.length(); split++) {
      ChunkedDecoder d = new ChunkedDecoder();
      assertEquals("hello, chunked!|" + body.length(), decodeAll(d, in, split), "split at " + split);
      assertTrue(d.done());
      assertNull(d.problem());
    }
    ChunkedDecoder lf = new ChunkedDecoder();
    assertEquals("abc|9", decodeAll(lf, b("3\nabc\n0\n\n"), 0), "bare LF line ends");
    assertTrue(lf.done());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "x~|malformed chunk size",
      "~|malformed chunk size",
      "5~helloX|chunk data longer than its size",
      "5^X|CR without LF after the chunk size",
      "1000000000000000~|chunk size too large",
      "0~Trailer^X|CR without LF in the trailer",
  })
  void badChunks(String in, String problem) {
    ChunkedDecoder d = new ChunkedDecoder();
    byte[] bytes = b(crlf(in));
    assertEquals(bytes.length, d.feed(bytes, 0, bytes.length, (x, o, n) -> {}));
    assertEquals(problem, d.problem());
    assertFalse(d.done());
  }

  @Test
  void inputBufferKeepsOrderAcrossGrowthAndCompaction() {
    InputBuffer buf = new InputBuffer();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ByteArrayOutputStream taken = new ByteArrayOutputStream();
    byte next = 0;
    for (int round = 0; round < 200; round++) {
      byte[] chunk = new byte[(round * 37) % 300];
      for (int i = 0; i < chunk.length; i++) {
        chunk[i] = next++;
      }
      buf.append(chunk);
      expected.write(chunk, 0, chunk.length);
      int n = buf.size() / 2 + (round % 3);
      n = Math.min(n, buf.size());
      taken.write(buf.array(), buf.start(), n);
      buf.consume(n);
    }
    taken.write(buf.array(), buf.start(), buf.size());
    assertArrayEquals(expected.toByteArray(), taken.toByteArray());
  }
}
