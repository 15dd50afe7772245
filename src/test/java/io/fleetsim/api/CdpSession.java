package io.fleetsim.api;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.testing.Chromium;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One headless Chromium page driven over the DevTools protocol (a stand-in until the shared
 * {@code io.fleetsim.testing.ChromiumSession} is merged; same operations): open, evaluate,
 * waitFor, click, screenshot, and the errors the page logged.
 */
final class CdpSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process browser;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = new ArrayList<>();

  private CdpSession(Process browser, Path profile, WebSocket socket) {
    this.browser = browser;
    this.profile = profile;
    this.socket = socket;
  }

  static CdpSession open(URI url) throws Exception {
    Path binary = Chromium.require();
    Path profile = Files.createTempDirectory("fleetsim-cdp-");
    Path err = profile.resolve("stderr.txt");
    Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--user-data-dir=" + profile.resolve("profile"), "--remote-debugging-port=0",
        "--window-size=1200,1600", "--hide-scrollbars", "about:blank")
        .redirectOutput(profile.resolve("stdout.txt").toFile()).redirectError(err.toFile()).start();
    try {
      URI browserWs = URI.create(awaitLine(err, p));
      URI list = URI.create("http://" + browserWs.getAuthority() + "/json/list");
      HttpClient http = HttpClient.newHttpClient();
      String pageWs = null;
      for (JsonNode t : JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
          HttpResponse.BodyHandlers.ofString()).body())) {
        if (t.path("type").asText().equals("page")) {
          pageWs = t.path("webSocketDebuggerUrl").asText();
        }
      }
      if (pageWs == null) {
        fail("chromium has no page target");
      }
      Listener listener = new Listener();
      WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), listener)
          .get(30, TimeUnit.SECONDS);
      CdpSession s = new CdpSession(p, profile, ws);
      listener.session = s;
      s.call("Runtime.enable", JSON.createObjectNode());
      s.call("Log.enable", JSON.createObjectNode());
      s.call("Page.enable", JSON.createObjectNode());
      s.call("Page.navigate", JSON.createObjectNode().put("url", url.toString()));
      s.waitFor("document.readyState === 'complete'");
      return s;
    } catch (Exception | AssertionError e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw e;
    }
  }

  /** The browser's "DevTools listening on ws://..." line, once it has written it. */
  private static String awaitLine(Path err, Process p) throws Exception {
    Instant end = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(end)) {
      Matcher m = LISTENING.matcher(Files.readString(err));
      if (m.find()) {
        return m.group(1);
      }
      if (!p.isAlive()) {
        fail("chromium exited " + p.exitValue() + ": " + Files.readString(err));
      }
      Thread.sleep(100);
    }
    fail("chromium did not open its DevTools port: " + Files.readString(err));
    return null;
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
    JsonNode reply = answer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) {
      fail(method + ": " + reply.path("error"));
    }
    return reply.path("result");
  }

  /** The value of a JavaScript expression in the page; a thrown exception fails the test. */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
        .put("returnByValue", true).put("awaitPromise", true));
    if (r.has("exceptionDetails")) {
      fail(expression + " threw: " + r.path("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Polls until {@code condition} is true in the page, for up to a minute. */
  void waitFor(String condition) throws Exception {
    Instant end = Instant.now().plus(DEADLINE);
    while (!evaluate("!!(" + condition + ")").asBoolean()) {
      if (Instant.now().isAfter(end)) {
        fail("not true within " + DEADLINE.toSeconds() + " s: " + condition + "; page errors: " + consoleErrors());
      }
      Thread.sleep(100);
    }
  }

  /** A real mouse click (pressed, released) at the middle of the element {@code selector} names. */
  void click(String selector) throws Exception {
    JsonNode box = evaluate("(function(){var e=document.querySelector(\"" + selector + "\");"
        + "e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();return {x:r.x+r.width/2,y:r.y+r.height/2};})()");
    for (String type : List.of("mousePressed", "mouseReleased")) {
      call("Input.dispatchMouseEvent", JSON.createObjectNode().put("type", type)
          .put("x", box.path("x").asDouble()).put("y", box.path("y").asDouble())
          .put("button", "left").put("clickCount", 1));
    }
  }

  /** A PNG of the element {@code selector} names. */
  byte[] screenshot(String selector) throws Exception {
    JsonNode r = evaluate("(function(){var e=document.querySelector('" + selector + "');"
        + "e.scrollIntoView();var r=e.getBoundingClientRect();"
        + "return {x:r.x+scrollX,y:r.y+scrollY,width:r.width,height:r.height};})()");
    ObjectNode clip = JSON.createObjectNode().put("x", r.path("x").asDouble()).put("y", r.path("y").asDouble())
        .put("width", r.path("width").asDouble()).put("height", r.path("height").asDouble()).put("scale", 1);
    ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    params.set("clip", clip);
    return Base64.getDecoder().decode(call("Page.captureScreenshot", params).path("data").asText());
  }

  /** Uncaught exceptions, console.error and console.warn calls, and error log entries so far. */
  synchronized List<String> consoleErrors() {
    return List.copyOf(errors);
  }

  private synchronized void event(JsonNode msg) {
    String method = msg.path("method").asText();
    JsonNode p = msg.path("params");
    if (method.equals("Runtime.exceptionThrown")) {
      errors.add("exception: " + p.path("exceptionDetails"));
    } else if (method.equals("Runtime.consoleAPICalled")
        && List.of("error", "warning", "assert").contains(p.path("type").asText())) {
      errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
    } else if (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
      errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      socket.abort();
    } finally {
      browser.descendants().forEach(ProcessHandle::destroyForcibly);
      browser.destroyForcibly();
      browser.waitFor(10, TimeUnit.SECONDS);
      try (Stream<Path> paths = Files.walk(profile)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException ignored) {
        // a helper process may still be closing files there
      }
    }
  }

  /** Whole messages from text frames: replies complete their call, events are recorded. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    volatile CdpSession session;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode msg = JSON.readTree(text.toString());
          if (msg.has("id")) {
            CompletableFuture<JsonNode> f = session.pending.remove(msg.path("id").asInt());
            if (f != null) {
              f.complete(msg);
            }
          } else if (session != null) {
            session.event(msg);
          }
        } catch (IOException e) {
          throw new IllegalStateException("DevTools sent no JSON: " + text, e);
        } finally {
          text.setLength(0);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
