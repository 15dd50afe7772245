package io.fleetsim.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DevTools driver against small pages served on 127.0.0.1. */
class ChromiumSessionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

  private static final String CLEAN = "<!doctype html><html><head><title>clean</title></head>"
      + "<body><button id=\"go\" style=\"margin: 40px\">go</button><p id=\"out\">waiting</p>"
      + "<canvas id=\"c\" width=\"300\" height=\"120\"></canvas>"
      + "<script>\n"
      + "document.getElementById('go').addEventListener('click', e => {\n"
      + "  document.getElementById('out').textContent = e.isTrusted ? 'clicked' : 'synthetic';\n"
      + "});\n"
      + "window.frame = 0;\n"
      + "function draw() {\n"
      + "  const g = document.getElementById('c').getContext('2d');\n"
      + "  g.fillStyle = '#fff'; g.fillRect(0, 0, 300, 120);\n"
      + "  g.fillStyle = '#c00'; g.fillRect(0, 0, (window.frame * 7) % 300, 60);\n"
      + "  g.fillStyle = '#000'; g.font = '40px sans-serif'; g.fillText(String(window.frame), 10, 110);\n"
      + "  window.frame++;\n"
      + "}\n"
      + "draw(); setInterval(draw, 100);\n"
      + "console.log('a log line is no error');\n"
      + "</script></body></html>";
  private static final String NOISY = "<!doctype html><html><body><p>noisy</p>"
      + "<img src=\"missing.png\">"
      + "<script>\n"
      + "console.error('at load', 42);\n"
      + "console.assert(1 === 2, 'one is not two');\n"
      + "console.warn('a warning is no error');\n"
      + "throw new Error('kaput at load');\n"
      + "</script></body></html>";

  private static HttpServer server;
  private static final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Map<String, String> pages = Map.of("/clean.html", CLEAN, "/noisy.html", NOISY);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requests.add(path);
      String page = pages.get(path);
      byte[] body = (page == null ? "not found" : page).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type",
          page == null ? "text/plain" : "text/html; charset=utf-8");
      exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static URI page(String name) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
  }

  @Test
  void aClickIsAUsersClickAndChangesTheText() throws Exception {
    try (ChromiumSession browser = ChromiumSession.start()) {
      browser.open(page("clean.html"));
      assertEquals("clean", browser.evaluate("document.title").asText());
      assertEquals("waiting", browser.evaluate("document.getElementById('out').textContent")
          .asText());
      browser.click("#go");
      browser.waitFor("document.getElementById('out').textContent === 'clicked'", WAIT);
      AssertionError none = assertThrows(AssertionError.class, () -> browser.click("#nothing"));
      assertTrue(none.getMessage().contains("nothing matches"), none.getMessage());
      assertEquals(List.of(), browser.consoleErrors());
    }
  }

  @Test
  void evaluateReturnsJsonAndAwaitsPromises() throws Exception {
    try (ChromiumSession browser = ChromiumSession.start()) {
      browser.open(page("clean.html"));
      assertEquals(3, browser.evaluate("1 + 2").asInt());
      assertEquals("b", browser.evaluate("({a: [1, 'b']})").get("a").get(1).asText());
      assertEquals(5, browser.evaluate("new Promise(r => setTimeout(() => r(5), 50))").asInt());
      assertTrue(browser.evaluate("undefined").isNull());
      AssertionError thrown = assertThrows(AssertionError.class,
          () -> browser.evaluate("null.x"));
      assertTrue(thrown.getMessage().contains("TypeError"), thrown.getMessage());
      AssertionError late = assertThrows(AssertionError.class,
          () -> browser.waitFor("window.never === true", Duration.ofMillis(300)));
      assertTrue(late.getMessage().contains("window.never === true"), late.getMessage());
    }
  }

  @Test
  void consoleErrorsAssertsExceptionsAndFailedLoadsAreCollectedSinceOpen() throws Exception {
    try (ChromiumSession browser = ChromiumSession.start()) {
      browser.open(page("noisy.html"));
      browser.waitFor("true", WAIT);
      List<String> errors = waitForErrors(browser, 4);
      assertTrue(errors.stream().anyMatch(e -> e.equals("console.error: at load 42")), errors.toString());
      assertTrue(errors.stream().anyMatch(e -> e.startsWith("console.assert: one is not two")),
          errors.toString());
      assertTrue(errors.stream().anyMatch(e -> e.startsWith("uncaught: ")
          && e.contains("kaput at load")), errors.toString());
      assertTrue(errors.stream().anyMatch(e -> e.startsWith("log: ")
          && e.contains("missing.png")), errors.toString());
      assertFalse(errors.stream().anyMatch(e -> e.contains("favicon")), errors.toString());
      assertFalse(errors.stream().anyMatch(e -> e.contains("warning") || e.contains("log line")),
          errors.toString());

      // errors after the load, from the page's own timers, count too
      browser.evaluate("setTimeout(() => { throw new Error('kaput later') }, 0); true");
      browser.evaluate("Promise.reject(new Error('rejected')); true");
      browser.evaluate("console.error('said later'); true");
      List<String> later = waitForErrors(browser, errors.size() + 3);
      assertTrue(later.stream().anyMatch(e -> e.contains("kaput later")), later.toString());
      assertTrue(later.stream().anyMatch(e -> e.contains("rejected")), later.toString());
      assertTrue(later.contains("console.error: said later"), later.toString());

      browser.open(page("clean.html"));
      assertEquals(List.of(), browser.consoleErrors());
    }
  }

  @Test
  void twoScreenshotsOfAChangingCanvasDiffer() throws Exception {
    try (ChromiumSession browser = ChromiumSession.start()) {
      browser.open(page("clean.html"));
      browser.waitFor("window.frame >= 2", WAIT);
      byte[] first = browser.screenshot();
      int after = browser.evaluate("window.frame").asInt();
      // two frames on: the drawn number differs from any the first shot can show
      browser.waitFor("window.frame >= " + (after + 2), WAIT);
      byte[] second = browser.screenshot();
      assertArrayEquals(PNG, Arrays.copyOf(first, 4));
      assertArrayEquals(PNG, Arrays.copyOf(second, 4));
      assertFalse(Arrays.equals(first, second), "the two screenshots are the same");
      assertEquals(List.of(), browser.consoleErrors());
    }
  }

  /** The errors once there are at least {@code n}: they arrive as events, after the calls. */
  private static List<String> waitForErrors(ChromiumSession browser, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (browser.consoleErrors().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return browser.consoleErrors();
  }
}
