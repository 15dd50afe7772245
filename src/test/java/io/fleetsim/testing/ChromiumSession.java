package io.fleetsim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One headless Chromium driven over the Chrome DevTools Protocol, for tests of live pages: open a
 * page, run script in it, wait for a condition, click, take screenshots, and read the errors it
 * logged. Each session has a fresh profile, deleted with the browser's process tree by {@link
 * #close()}. Calls wait for their answer up to a generous deadline (the machine may be loaded);
 * a page that does not answer fails the call, never hangs the test.
 */
public final class ChromiumSession implements AutoCloseable {
  /** How long the browser may take to start and open its DevTools port (a loaded CI machine). */
  private static final Duration START = Duration.ofSeconds(90);
  /** How long one protocol call, or a page load, may take. */
  private static final Duration CALL = Duration.ofSeconds(60);
  /** Between two evaluations of a {@link #waitFor} condition: polling, not a correctness wait. */
  private static final long POLL_MILLIS = 50;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private final Object sending = new Object();
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
  private volatile boolean closed;

  private ChromiumSession(Path home, Process process, URI page) throws IOException {
    this.home = home;
    this.process = process;
    try {
      this.socket = http.newWebSocketBuilder().connectTimeout(CALL)
          .buildAsync(page, new Listener()).get(CALL.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted connecting to " + page, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not connect to the page at " + page + ": " + e, e);
    }
    call("Page.enable", Map.of());
    call("Runtime.enable", Map.of());
    call("Log.enable", Map.of());
  }

  /**
   * A browser on {@code about:blank}, connected to its page. Skips the test without Chromium
   * (fails it in CI: {@link Chromium#require()}). A browser that does not come up in time is
   * killed and tried once more with a fresh profile, as {@link Chromium} does.
   */
  public static ChromiumSession start() throws IOException, InterruptedException {
    Path binary = Chromium.require();
    try {
      return attempt(binary);
    } catch (StartTimeout first) {
      try {
        return attempt(binary);
      } catch (StartTimeout second) {
        throw new IOException("chromium did not start twice; last stderr:\n" + second.stderr);
      }
    }
  }

  /** A start that did not get as far as a page in time. */
  private static final class StartTimeout extends Exception {
    final String stderr;

    StartTimeout(String stderr) {
      super("chromium did not start in " + START.toSeconds() + " s");
      this.stderr = stderr;
    }
  }

  private static ChromiumSession attempt(Path binary)
      throws IOException, InterruptedException, StartTimeout {
    Path home = Files.createTempDirectory("fleetsim-cdp-");
    Path profile = home.resolve("profile");
    Files.createDirectories(profile);
    List<String> cmd = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, "about:blank");
    // to files, not pipes: Chromium's helpers can keep a pipe open after the browser exits
    Process p = new ProcessBuilder(cmd).redirectOutput(home.resolve("stdout.txt").toFile())
        .redirectError(home.resolve("stderr.txt").toFile()).start();
    boolean started = false;
    try {
      long deadline = System.nanoTime() + START.toNanos();
      int port = devToolsPort(profile, p, home, deadline);
      URI page = pageTarget(port, p, home, deadline);
      ChromiumSession session = new ChromiumSession(home, p, page);
      started = true;
      return session;
    } finally {
      if (!started) {
        Chromium.killTree(p);
        Chromium.deleteTree(home);
      }
    }
  }

  /** The port in {@code DevToolsActivePort}, once Chromium has written it. */
  private static int devToolsPort(Path profile, Process p, Path home, long deadline)
      throws IOException, InterruptedException, StartTimeout {
    Path file = profile.resolve("DevToolsActivePort");
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      // watched before the first read, so a write after that read wakes the wait below
      profile.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY);
      while (true) {
        Optional<Integer> port = portIn(file);
        if (port.isPresent()) {
          return port.get();
        }
        if (!p.isAlive()) {
          throw new IOException("chromium exited " + p.exitValue() + " before it opened its"
              + " DevTools port; stderr:\n" + stderr(home));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new StartTimeout(stderr(home));
        }
        // a bounded wait: the process may die without touching the profile
        var key = watch.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }

  /** The file's first line when it is whole (two lines: port and browser path). */
  private static Optional<Integer> portIn(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !lines.get(0).trim().matches("[0-9]+")) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(lines.get(0).trim()));
  }

  /** The WebSocket of the browser's page (about:blank), from {@code /json/list}. */
  private static URI pageTarget(int port, Process p, Path home, long deadline)
      throws IOException, InterruptedException, StartTimeout {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
        .timeout(CALL).build();
    while (true) {
      HttpResponse<String> r = client.send(list, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        for (JsonNode target : JSON.readTree(r.body())) {
          if ("page".equals(target.path("type").asText())
              && target.hasNonNull("webSocketDebuggerUrl")) {
            return URI.create(target.get("webSocketDebuggerUrl").asText());
          }
        }
      }
      if (!p.isAlive()) {
        throw new IOException("chromium exited " + p.exitValue() + "; stderr:\n" + stderr(home));
      }
      if (System.nanoTime() > deadline) {
        throw new StartTimeout("no page target in /json/list: " + r.body() + "\n" + stderr(home));
      }
      // the page target shows up a moment after the port opens
      Thread.sleep(POLL_MILLIS);
    }
  }

  // ---- what a test does

  /** Navigates to {@code uri} and waits for its load event; forgets the errors logged so far. */
  public void open(URI uri) {
    synchronized (errors) {
      errors.clear();
    }
    CompletableFuture<Void> load = new CompletableFuture<>();
    loaded = load;
    JsonNode r = call("Page.navigate", Map.of("url", uri.toString()));
    if (r.hasNonNull("errorText")) {
      throw new AssertionError("could not open " + uri + ": " + r.get("errorText").asText());
    }
    await(load, "the load event of " + uri);
  }

  /**
   * The value of {@code js} (an expression; a promise is awaited), as JSON: null for undefined.
   * A script that throws fails the call with the page's message.
   */
  public JsonNode evaluate(String js) {
    ObjectNode params = JSON.createObjectNode();
    params.put("expression", js);
    params.put("returnByValue", true);
    params.put("awaitPromise", true);
    JsonNode r = call("Runtime.evaluate", params);
    if (r.has("exceptionDetails")) {
      throw new AssertionError("script failed: " + describe(r.get("exceptionDetails")) + "\n  in: "
          + js);
    }
    JsonNode value = r.path("result").get("value");
    return value == null ? JSON.nullNode() : value;
  }

  /**
   * Evaluates {@code jsCondition} until it is true, or fails after {@code timeout} with its last
   * value (or error).
   */
  public void waitFor(String jsCondition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (true) {
      try {
        JsonNode v = evaluate("Boolean(" + jsCondition + ")");
        if (v.asBoolean()) {
          return;
        }
        last = "false";
      } catch (AssertionError e) {
        // not there yet (an element not drawn, a variable not set): try again until the deadline
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + timeout.toSeconds() + " s: " + jsCondition
            + " (last: " + last + ")");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + jsCondition, e);
      }
    }
  }

  /** The page as it is drawn now, PNG. */
  public byte[] screenshot() {
    JsonNode r = call("Page.captureScreenshot", Map.of("format", "png"));
    return Base64.getDecoder().decode(r.get("data").asText());
  }

  /**
   * A left click, as a user's mouse makes it, in the middle of the element {@code cssSelector}
   * picks (scrolled into view); fails when nothing matches or another element covers it there.
   */
  public void click(String cssSelector) {
    String selector;
    try {
      selector = JSON.writeValueAsString(cssSelector);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode at = evaluate("(() => { const el = document.querySelector(" + selector + ");"
        + " if (!el) throw new Error('nothing matches ' + " + selector + ");"
        + " el.scrollIntoView({block: 'center', inline: 'center'});"
        + " const r = el.getBoundingClientRect();"
        + " const x = r.left + r.width / 2, y = r.top + r.height / 2;"
        + " const top = document.elementFromPoint(x, y);"
        + " if (top !== el && !el.contains(top)) throw new Error(" + selector
        + " + ' is covered by ' + (top ? top.outerHTML.slice(0, 80) : 'nothing'));"
        + " return {x, y}; })()");
    for (String type : List.of("mousePressed", "mouseReleased")) {
      ObjectNode params = JSON.createObjectNode();
      params.put("type", type);
      params.put("x", at.get("x").asDouble());
      params.put("y", at.get("y").asDouble());
      params.put("button", "left");
      params.put("clickCount", 1);
      call("Input.dispatchMouseEvent", params);
    }
  }

  /**
   * What the page reported as errors since it was opened: console.error and console.assert
   * calls, uncaught exceptions (also in promises), and the browser's error log entries (a
   * resource that failed to load), but for a missing favicon, which the browser asks for itself.
   */
  public List<String> consoleErrors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /** Kills the browser's process tree and deletes its profile. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    socket.abort();
    try {
      Chromium.killTree(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Chromium.deleteTree(home);
  }

  // ---- the protocol

  /** Sends one command and waits for its result; an error answer fails the call. */
  private JsonNode call(String method, Object params) {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      String text = JSON.writeValueAsString(message);
      // one message at a time: the WebSocket refuses a send while the last is under way
      synchronized (sending) {
        await(socket.sendText(text, true), method + " being sent");
      }
      JsonNode r = await(answer, "the answer to " + method);
      if (r.has("error")) {
        throw new AssertionError(method + " failed: " + r.get("error"));
      }
      return r.path("result");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      pending.remove(id);
    }
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(CALL.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no " + what + " within " + CALL.toSeconds() + " s"
          + (process.isAlive() ? "" : "; chromium exited " + process.exitValue() + ", stderr:\n"
          + stderr(home)));
    }
  }

  private void received(String text) {
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (IOException e) {
      return; // not ours to judge: the browser speaks JSON
    }
    if (m.has("id")) {
      CompletableFuture<JsonNode> answer = pending.get(m.get("id").asInt());
      if (answer != null) {
        answer.complete(m);
      }
      return;
    }
    JsonNode params = m.path("params");
    switch (m.path("method").asText()) {
      case "Page.loadEventFired":
        loaded.complete(null);
        break;
      case "Runtime.consoleAPICalled":
        String type = params.path("type").asText();
        if (type.equals("error") || type.equals("assert")) {
          error("console." + type + ": " + arguments(params.path("args")));
        }
        break;
      case "Runtime.exceptionThrown":
        error("uncaught: " + describe(params.path("exceptionDetails")));
        break;
      case "Log.entryAdded":
        JsonNode entry = params.path("entry");
        boolean favicon = "network".equals(entry.path("source").asText())
            && entry.path("url").asText().contains("favicon");
        if ("error".equals(entry.path("level").asText()) && !favicon) {
          error("log: " + entry.path("text").asText() + where(entry.path("url").asText(),
              entry.path("lineNumber")));
        }
        break;
      default:
        break;
    }
  }

  private void error(String line) {
    synchronized (errors) {
      errors.add(line);
    }
  }

  private static String arguments(JsonNode args) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : args) {
      out.add(a.has("value") ? a.get("value").asText() : a.path("description").asText(
          a.path("type").asText()));
    }
    return String.join(" ", out);
  }

  /** An exception's message (with its stack when the page gave one) and where it was. */
  private static String describe(JsonNode details) {
    String text = details.path("exception").path("description").asText(
        details.path("text").asText());
    return text + where(details.path("url").asText(), details.path("lineNumber"));
  }

  private static String where(String url, JsonNode line) {
    return url.isEmpty() ? "" : " (" + url + (line.isNumber() ? ":" + (line.asInt() + 1) : "")
        + ")";
  }

  /** Whole messages from the browser's WebSocket, which may come in parts. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String whole = text.toString();
        text.setLength(0);
        received(whole);
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
      loaded.completeExceptionally(error);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      IOException gone = new IOException("the browser closed the connection (" + status + " "
          + reason + ")");
      pending.values().forEach(f -> f.completeExceptionally(gone));
      loaded.completeExceptionally(gone);
      return null;
    }
  }

  // ---- the process

  private static String stderr(Path home) {
    try {
      String all = Files.readString(home.resolve("stderr.txt"), StandardCharsets.UTF_8);
      return all.length() > 4000 ? "..." + all.substring(all.length() - 4000) : all;
    } catch (IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }
}
