package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.App;
import io.fleetsim.guest.socket.Sockets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One run of a user's app. Every call into the app goes through {@link #guard}: an exception
 * ends the run as failed instead of reaching the stack, and once the run is over the app's
 * callbacks are dropped and what it left open is closed ({@link AppSockets}).
 */
final class AppRun implements WorkloadRun {
  private final String name;
  private final Sockets stack;
  private final AppSockets sockets;
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private App app;
  private Optional<String> error = Optional.empty();
  private boolean done;

  AppRun(AppWorkload workload, Sockets stack) {
    this.name = workload.type().getName();
    this.stack = stack;
    this.sockets = new AppSockets(stack, this);
    guard("its constructor or configure", () -> app = workload.newApp());
    if (app != null) {
      guard("start", () -> app.start(sockets, this::finished));
    }
  }

  /** Runs app code; what it throws ends the run. Nothing runs once the run is over. */
  void guard(String where, Runnable call) {
    if (done) {
      return;
    }
    try {
      call.run();
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      error = Optional.of(name + " threw " + e + " in " + where);
      end();
    }
  }

  boolean over() {
    return done;
  }

  private void finished() {
    if (!done) {
      end();
    }
  }

  @Override
  public void stop() {
    if (done) {
      return;
    }
    guard("stop", app::stop);
    if (!done) {
      end();
    }
  }

  private void end() {
    done = true;
    sockets.closeAll();
    AppResult r = snapshot();
    stack.print(r.summary());
    result.complete(r);
  }

  @Override
  public AppResult snapshot() {
    if (error.isPresent() || app == null) {
      return new AppResult(name, done, false, name + " failed: " + error.orElse("no instance"),
          Map.of(), error);
    }
    try {
      String summary = app.summary();
      return new AppResult(name, done, app.success(), summary == null ? name : summary,
          plain(app.results()), Optional.empty());
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      String why = name + " threw " + e + " while reporting";
      return new AppResult(name, done, false, name + " failed: " + why, Map.of(), Optional.of(why));
    }
  }

  /** Numbers, strings and booleans as they are; anything else as its text (JSON writes them all). */
  private static Map<String, Object> plain(Map<String, Object> results) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (results != null) {
      results.forEach((k, v) -> out.put(String.valueOf(k),
          v == null || v instanceof Number || v instanceof String || v instanceof Boolean ? v
              : String.valueOf(v)));
    }
    out.values().removeIf(java.util.Objects::isNull);
    return out;
  }

  @Override
  public CompletionStage<WorkloadResult> result() {
    return result.minimalCompletionStage();
  }

  @Override
  public boolean done() {
    return done;
  }
}
