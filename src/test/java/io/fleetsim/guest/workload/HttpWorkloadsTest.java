package io.fleetsim.guest.workload;

import static io.fleetsim.guest.workload.TcpWorkloadsTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.guest.TestHost;
import io.fleetsim.guest.VirtualClock;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** http-serve and http-get between two stacks, and each against hand-written peers. */
class HttpWorkloadsTest {
  private static final long SECOND = 1_000_000_000L;

  private final VirtualClock clock = new VirtualClock();
  private final TestHost[] hosts = TestHost.pair(clock);
  private final TestHost a = hosts[0];
  private final TestHost b = hosts[1];

  private WorkloadRun start(TestHost on, String spec) {
    return Workloads.parse(spec).start(on.stack.sockets());
  }

  private HttpGetResult get(String spec) {
    return (HttpGetResult) await(clock, start(a, spec), 60 * SECOND);
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private List<String> lines(TestHost h, String prefix) {
    List<String> out = new ArrayList<>();
    h.env.lines().stream().filter(l -> l.startsWith(prefix)).forEach(out::add);
    return out;
  }

  @Test
  void threeGetsOnOneKeptConnectionEachWithTheServedSha256() {
    WorkloadRun serve = start(b, "http-serve 80");
    HttpGetResult g = get("http-get http://10.0.0.2/ count=3");
    serve.stop();
    HttpServeResult s = (HttpServeResult) await(clock, serve, SECOND);

    String printed = lines(b, "http-serve 80: body").get(0);
    assertTrue(printed.matches("http-serve 80: body 65536 bytes sha256=[0-9a-f]{64}"), printed);
    String served = printed.substring(printed.indexOf("sha256=") + 7);
    assertEquals(served, s.sha256());
    assertEquals(3, g.requests().size());
    for (HttpGetRequest r : g.requests()) {
      assertEquals(200, r.status());
      assertEquals(65536, r.bytes());
      assertEquals(Optional.of(served), r.sha256(), "the body that arrived is the one served");
      assertEquals(1, r.connection(), "kept alive");
      assertTrue(r.error().isEmpty());
      assertTrue(r.elapsedNanos() > 0);
    }
    assertEquals(List.of(false, true, true), g.requests().stream().map(HttpGetRequest::reused).toList());
    assertEquals(1, g.connections());
    assertTrue(g.success());
    List<String> got = lines(a, "GET ");
    assertEquals(3, got.size());
    for (String line : got) {
      assertTrue(line.matches("GET http://10\\.0\\.0\\.2:80/ 200 65536 bytes \\d+\\.\\d{3} s sha256=" + served),
          line);
    }
    assertEquals("http-get http://10.0.0.2:80/: 3 of 3 requests, 3 ok (2xx), 0 errors, 196608 body bytes"
        + " on 1 connection", lines(a, "http-get").get(0));
    assertEquals(1, s.connections());
    assertEquals(3, s.requests());
    assertEquals(Map.of(200, 3L), s.responses());
    assertEquals(0, s.badRequests());
    assertTrue(s.bytesSent() > 3 * 65536, "heads too");
    assertTrue(s.success());
  }

  @Test
  void theBodyIsTheStreamPatternAndItsPrintedSha256IsItsOwn() throws Exception {
    byte[] expected = new byte[1000];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = StreamPattern.at(i);
    }
    start(b, "http-serve 80 size=1000B");
    HttpGetResult g = get("http-get http://10.0.0.2/");
    assertEquals(sha256(expected), g.requests().get(0).sha256().orElseThrow());
    assertTrue(lines(b, "http-serve").get(0).endsWith("sha256=" + sha256(expected)));
  }

  @Test
  void missingPathsAre404AndFailTheDefault() {
    start(b, "http-serve 80");
    HttpGetResult g = get("http-get http://10.0.0.2/missing count=2");
    assertEquals(List.of(404, 404), g.requests().stream().map(HttpGetRequest::status).toList());
    assertEquals(10, g.requests().get(0).bytes(), "\"not found\\n\"");
    assertTrue(g.requests().get(0).error().isEmpty(), "a 404 is an answer, not an error");
    assertEquals(1, g.connections(), "a 404 keeps the connection");
    assertFalse(g.success(), "the default asks for 2xx");
    assertEquals(100.0, Expectation.parse("failed < 1%").check(g).value().getAsDouble());
  }

  @Test
  void aRefusedConnectionIsAnErrorPerRequestNotAnException() {
    HttpGetResult g = get("http-get http://10.0.0.2:8080/ count=2 interval=100ms");
    assertEquals(2, g.requests().size());
    for (HttpGetRequest r : g.requests()) {
      assertEquals(Optional.of("refused"), r.error());
      assertEquals(0, r.status());
      assertTrue(r.sha256().isEmpty());
    }
    assertEquals(2, g.connections(), "each request tried its own");
    assertEquals("GET http://10.0.0.2:8080/ error refused: connection to 10.0.0.2:8080 refused",
        lines(a, "GET ").get(0));
    assertFalse(g.success());
  }

  /** What a hand-written server does with request {@code request} (from 1) of connection {@code connection}. */
  private interface Script {
    /** The bytes to answer with, or null to close without answering. */
    byte[] reply(int connection, int request);
  }

  /** A hand-written server: answers each request head as scripted; closes after if {@code close}. */
  private void rawServer(int port, Script script, boolean close) {
    int[] n = {0};
    b.stack.sockets().tcpListen(port, socket -> {
      int number = ++n[0];
      int[] requests = {0};
      StringBuilder in = new StringBuilder();
      return new TcpHandler() {
        @Override
        public void received(TcpSocket s, byte[] data) {
          in.append(new String(data, StandardCharsets.ISO_8859_1));
          if (in.indexOf("\r\n\r\n") >= 0) {
            in.setLength(0);
            byte[] reply = script.reply(number, ++requests[0]);
            if (reply != null) {
              s.send(reply);
            }
            if (close || reply == null) {
              s.close();
            }
          }
        }

        @Override
        public void peerClosed(TcpSocket s) {
          s.close();
        }
      };
    });
  }

  private void rawServer(int port, Function<Integer, byte[]> reply, boolean close) {
    rawServer(port, (connection, request) -> reply.apply(connection), close);
  }

  @Test
  void http10BodiesEndWithTheCloseAndEachRequestReconnects() throws Exception {
    byte[] body = bytes("an HTTP/1.0 body without a length\n".repeat(200));
    rawServer(80, n -> concat(bytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"), body), true);
    HttpGetResult g = get("http-get http://10.0.0.2/ count=2");
    assertEquals(2, g.connections());
    for (HttpGetRequest r : g.requests()) {
      assertEquals(200, r.status());
      assertEquals(body.length, r.bytes());
      assertEquals(Optional.of(sha256(body)), r.sha256());
      assertFalse(r.reused());
    }
    assertTrue(g.success());
  }

  @Test
  void chunkedBodiesAreDecoded() throws Exception {
    byte[] wire = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4\r\nWiki\r\n7;x=y\r\npedia i\r\n0\r\nExpires: never\r\n\r\n");
    rawServer(80, n -> wire, false);
    HttpGetResult g = get("http-get http://10.0.0.2/ count=2");
    for (HttpGetRequest r : g.requests()) {
      assertEquals(11, r.bytes());
      assertEquals(Optional.of(sha256(bytes("Wikipedia i"))), r.sha256());
    }
    assertEquals(1, g.connections(), "a chunked 1.1 response keeps the connection");
  }

  @Test
  void aServerSpeakingSomethingElseIsABadResponse() {
    rawServer(80, n -> bytes("SSH-2.0-OpenSSH_9.6\r\n\r\n"), false);
    HttpGetResult g = get("http-get http://10.0.0.2/");
    HttpGetRequest r = g.requests().get(0);
    assertEquals(Optional.of("bad-response"), r.error());
    assertEquals(Optional.of("malformed status line"), r.detail());
    assertFalse(g.success());
  }

  @Test
  void aServerClosingBeforeTheBodyEndsIsAnError() {
    rawServer(80, n -> bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"), true);
    HttpGetRequest r = get("http-get http://10.0.0.2/").requests().get(0);
    assertEquals(Optional.of("closed"), r.error());
    assertEquals(200, r.status());
    assertEquals(9, r.bytes());
    assertTrue(r.sha256().isEmpty(), "no digest of half a body");
  }

  @Test
  void aKeptConnectionTheServerDropsIsRetriedOnceOnAFreshOne() {
    // keeps the connection after the first answer, then closes it when the next request comes
    // (as a server whose keep-alive timeout strikes while the request is on its way)
    byte[] ok = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    rawServer(80, (connection, request) -> request == 1 ? ok : null, false);
    HttpGetResult g = get("http-get http://10.0.0.2/ count=3");
    assertTrue(g.requests().stream().allMatch(HttpGetRequest::ok), g.toString());
    assertEquals(List.of(1, 2, 3), g.requests().stream().map(HttpGetRequest::connection).toList(),
        "requests 2 and 3 each went again on a fresh connection");
    assertEquals(List.of(false, false, false), g.requests().stream().map(HttpGetRequest::reused).toList());
  }

  @Test
  void theRetryIsOnlyOnce() {
    byte[] ok = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    rawServer(80, (connection, request) -> connection == 1 && request == 1 ? ok : null, false);
    HttpGetResult g = get("http-get http://10.0.0.2/ count=2");
    assertTrue(g.requests().get(0).ok());
    HttpGetRequest second = g.requests().get(1);
    assertEquals(Optional.of("closed"), second.error());
    assertEquals(Optional.of("the server closed the connection before a response"), second.detail());
    assertEquals(2, g.connections());
  }

  /** Sends raw request bytes to http-serve; returns what came back once the server closed. */
  private String rawRequest(String request) {
    StringBuilder back = new StringBuilder();
    boolean[] closed = {false};
    a.stack.sockets().tcpConnect(b.stack.sockets().address().orElseThrow(), 80, new TcpHandler() {
      @Override
      public void connected(TcpSocket s) {
        s.send(bytes(request));
      }

      @Override
      public void received(TcpSocket s, byte[] d) {
        back.append(new String(d, StandardCharsets.ISO_8859_1));
      }

      @Override
      public void peerClosed(TcpSocket s) {
        s.close();
        closed[0] = true;
      }
    });
    assertTrue(clock.runUntil(() -> closed[0], 10 * SECOND), "the server closed: " + back);
    return back.toString();
  }

  @Test
  void badRequestsGet400AndAreCountedAndTheServerGoesOn() {
    WorkloadRun serve = start(b, "http-serve 80 size=5B");
    String bad = rawRequest("BLAH\r\n\r\n");
    assertTrue(bad.startsWith("HTTP/1.1 400 Bad Request\r\n"), bad);
    assertTrue(bad.contains("Connection: close\r\n"));
    assertTrue(bad.endsWith("\r\n\r\nmalformed request line\n"), bad);
    String noHost = rawRequest("GET / HTTP/1.1\r\n\r\n");
    assertTrue(noHost.startsWith("HTTP/1.1 400 "), noHost);
    String v2 = rawRequest("GET / HTTP/2.0\r\n\r\n");
    assertTrue(v2.startsWith("HTTP/1.1 505 "), v2);
    // a request body is skipped by its Content-Length: the next request follows it
    String post = rawRequest("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
        + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(post.startsWith("HTTP/1.1 501 Not Implemented\r\n") && post.contains("HTTP/1.1 200 OK\r\n"),
        post);
    // HTTP/1.0: the body, then the server closes; HEAD: the length without the body
    String old = rawRequest("GET / HTTP/1.0\r\n\r\n");
    byte[] five = new byte[5];
    StreamPattern.fill(0, five, 0, 5);
    assertTrue(old.startsWith("HTTP/1.1 200 OK\r\n") && old.contains("Content-Length: 5\r\n")
        && old.endsWith("\r\n\r\n" + new String(five, StandardCharsets.ISO_8859_1)), old);
    String head = rawRequest("HEAD / HTTP/1.0\r\n\r\n");
    assertTrue(head.contains("Content-Length: 5\r\n") && head.endsWith("\r\n\r\n"), head);
    // two pipelined requests, the second asking to close: both answered, in order
    String two = rawRequest("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(two.startsWith("HTTP/1.1 404 Not Found\r\n") && two.indexOf("HTTP/1.1 200 OK\r\n") > 0, two);
    serve.stop();
    HttpServeResult s = (HttpServeResult) await(clock, serve, SECOND);
    assertEquals(9, s.requests());
    assertEquals(3, s.badRequests());
    assertEquals(Map.of(200, 4L, 400, 2L, 404, 1L, 501, 1L, 505, 1L), s.responses());
    assertEquals(7, s.connections());
    assertTrue(s.success());
  }

  private static byte[] concat(byte[] x, byte[] y) {
    byte[] out = new byte[x.length + y.length];
    System.arraycopy(x, 0, out, 0, x.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }
}
