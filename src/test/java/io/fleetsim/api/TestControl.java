package io.fleetsim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.control.Control;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Readings;
import io.fleetsim.control.Reply;
import io.fleetsim.control.Second;
import io.fleetsim.control.Status;
import io.fleetsim.control.VmAction;
import io.fleetsim.experiment.ValidationError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * A small Control with real state for the API's tests: faults it adds (validating the body's JSON
 * with Jackson, as the real one validates the file's keys) and ends, VMs that crash and come
 * back, and a series that grows by one second each time it is read, so that counters move
 * without any clock. VM {@code bug} makes it throw, {@code bug-later} fail its future: the two
 * ways a Control can have a bug.
 */
final class TestControl implements Control {
  static final Set<String> TARGETS = Set.of("web-1", "web-2", "lan");
  private static final Set<String> KINDS = Set.of("latency", "loss", "partition", "link-down");
  private static final Pattern DURATION = Pattern.compile("[0-9]+(\\.[0-9]+)?\\s*(us|ms|s|m)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<FaultView> faults = new ArrayList<>();
  private final Map<String, String> vms = new TreeMap<>(Map.of("web-1", "running", "web-2", "running"));
  private final List<Second> seconds = new ArrayList<>();
  private final Histogram rtt = new Histogram(3);
  private int posted;

  TestControl() {
    // one timeline fault, active from the start
    faults.add(new FaultView("t0", "timeline", "latency", "web-2", "latency 50ms", "active",
        List.of(new FaultView.Period(0.0, Optional.empty(), Optional.empty()))));
  }

  synchronized double elapsed() {
    return seconds.size();
  }

  @Override
  public synchronized Status status() {
    int running = (int) vms.values().stream().filter("running"::equals).count();
    return new Status("experiment", "api-test", "real", "running", elapsed(), Optional.of(600.0),
        running, vms.size(), Optional.empty(),
        List.of(new Status.NetworkView("lan", "switch", List.of(
            new Status.PortView("web-1/eth0", "vm web-1 eth0", vms.get("web-1").equals("running")),
            new Status.PortView("web-2/eth0", "vm web-2 eth0", vms.get("web-2").equals("running")),
            new Status.PortView("qemu0", "qemu socket,listen=127.0.0.1:5000", false)))));
  }

  @Override
  public synchronized List<FaultView> faults() {
    return List.copyOf(faults);
  }

  @Override
  public synchronized CompletionStage<Reply<FaultView>> addFault(String json) {
    JsonNode body;
    try {
      body = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return done(new Reply.Invalid<>(List.of(error("", "not JSON: " + e.getOriginalMessage()))));
    }
    if (body == null || !body.isObject()) {
      return done(new Reply.Invalid<>(List.of(error("", "a fault is a JSON object"))));
    }
    List<ValidationError> errors = new ArrayList<>();
    String kind = body.path("kind").asText("");
    if (!KINDS.contains(kind)) {
      errors.add(error("kind", "unknown fault kind '" + kind + "'"));
    }
    String target = body.path("target").asText("");
    if (!TARGETS.contains(target)) {
      errors.add(error("target", "no VM, fleet or network '" + target + "'"));
    }
    if (body.has("at")) {
      errors.add(error("at", "an API fault starts when it is posted"));
    }
    for (String key : List.of("delay", "for")) {
      if (body.has(key) && !DURATION.matcher(body.get(key).asText()).matches()) {
        errors.add(error(key, "'" + body.get(key).asText() + "' is not a duration (10ms, 2s, ...)"));
      }
    }
    if (kind.equals("latency") && !body.has("delay")) {
      errors.add(error("delay", "latency needs a delay"));
    }
    if (!errors.isEmpty()) {
      return done(new Reply.Invalid<>(errors));
    }
    StringBuilder description = new StringBuilder(kind);
    for (Iterator<String> keys = body.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("kind") && !key.equals("target")) {
        description.append(' ').append(key).append('=').append(body.get(key).asText());
      }
    }
    FaultView f = new FaultView("a" + ++posted, "api", kind, target, description.toString(),
        "active", List.of(new FaultView.Period(elapsed(), Optional.empty(), Optional.empty())));
    faults.add(f);
    return done(new Reply.Done<>(f));
  }

  @Override
  public synchronized CompletionStage<Reply<FaultView>> endFault(String id) {
    for (int i = 0; i < faults.size(); i++) {
      FaultView f = faults.get(i);
      if (f.id().equals(id)) {
        if (!f.state().equals("active")) {
          return done(new Reply.Refused<>("fault " + id + " is " + f.state()));
        }
        FaultView.Period on = f.periods().get(f.periods().size() - 1);
        List<FaultView.Period> periods = new ArrayList<>(f.periods().subList(0, f.periods().size() - 1));
        periods.add(new FaultView.Period(on.start(), Optional.of(elapsed()), Optional.of("api")));
        FaultView ended = new FaultView(f.id(), f.source(), f.kind(), f.target(), f.description(),
            "ended", periods);
        faults.set(i, ended);
        return done(new Reply.Done<>(ended));
      }
    }
    return done(new Reply.NotFound<>("no fault " + id));
  }

  @Override
  public synchronized CompletionStage<Reply<FaultView>> vmAction(String name, VmAction action) {
    if (name.equals("bug")) {
      throw new IllegalStateException("test control bug");
    }
    if (name.equals("bug-later")) {
      return CompletableFuture.failedFuture(new IllegalStateException("test control failed later"));
    }
    String state = vms.get(name);
    if (state == null) {
      return done(new Reply.NotFound<>("no VM or fleet " + name));
    }
    if (action == VmAction.CRASH) {
      if (!state.equals("running")) {
        return done(new Reply.Refused<>("VM " + name + " is " + state));
      }
      vms.put(name, "crashed");
    } else if (action == VmAction.RESTART) {
      vms.put(name, "running");
    }
    FaultView f = new FaultView("a" + ++posted, "api", action.label(), name, action.label(),
        "active", List.of(new FaultView.Period(elapsed(), Optional.empty(), Optional.empty())));
    faults.add(f);
    return done(new Reply.Done<>(f));
  }

  @Override
  public synchronized Readings readings() {
    long frames = seconds.stream().mapToLong(Second::frames).sum();
    Map<String, Integer> byState = new TreeMap<>();
    vms.values().forEach(s -> byState.merge(s, 1, Integer::sum));
    Map<String, Long> drops = new LinkedHashMap<>();
    drops.put("no-peer", 3L);
    drops.put("fault-loss", frames / 50);
    Map<String, Histogram> rtts = new LinkedHashMap<>();
    rtts.put("web", rtt.copy());
    return new Readings(
        List.of(new Readings.PortReading("lan", "web-1/eth0", "web-1", frames, frames * 98,
                frames - 5, (frames - 5) * 98, drops),
            new Readings.PortReading("lan", "qemu0", "", 7, 700, 9, 900, Map.of())),
        List.of(new Readings.LinkReading("lan-wan", "lan>wan", frames / 2, frames * 49,
                Map.of("link-down", 2L)),
            new Readings.LinkReading("lan-wan", "wan>lan", frames / 3, frames * 30, Map.of())),
        byState, rtts, new Readings.TcpReading(frames * 1000, frames / 100));
  }

  /** Each read is one second later: the series grows and every counter with it. */
  @Override
  public synchronized List<Second> series(long from) {
    long second = seconds.size() + 1;
    long frames = 1000 + (second * 37) % 400;
    for (long micros = 300; micros <= 300 + second * 50; micros += 50) {
      rtt.recordValue(micros);
    }
    seconds.add(new Second(second, frames, frames * 98, second % 3, Optional.of(
        new Second.Rtt(0.3 + second % 5 * 0.1, 1.2 + second % 7 * 0.2, 2.0 + second % 4)),
        second * 1500, second % 2));
    return List.copyOf(seconds.subList((int) Math.min(Math.max(from - 1, 0), seconds.size()), seconds.size()));
  }

  private static ValidationError error(String path, String message) {
    return new ValidationError(path, -1, message);
  }

  private static CompletionStage<Reply<FaultView>> done(Reply<FaultView> reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
