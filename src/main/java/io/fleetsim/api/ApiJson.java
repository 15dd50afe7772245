package io.fleetsim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Second;
import io.fleetsim.control.Status;
import io.fleetsim.experiment.ValidationError;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The API's JSON: views as Jackson writes records, errors, and the live page's series. */
final class ApiJson {
  // Optional fields are written as their value or null
  private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new Jdk8Module());

  /** results.json's series, in its order: one number per second each. */
  private static final Map<String, Function<Second, Number>> COLUMNS = new LinkedHashMap<>();
  /** rttMillis' columns: null in a second without replies. */
  private static final Map<String, Function<Second.Rtt, Double>> RTT = new LinkedHashMap<>();

  static {
    COLUMNS.put("seconds", Second::second);
    COLUMNS.put("framesPerSecond", Second::frames);
    COLUMNS.put("bytesPerSecond", Second::bytes);
    COLUMNS.put("dropsPerSecond", Second::drops);
    COLUMNS.put("lossPercent", ApiJson::lossPercent);
    COLUMNS.put("tcpGoodputBitsPerSecond", s -> s.tcpBytes() * 8);
    COLUMNS.put("tcpRetransmissionsPerSecond", Second::tcpRetransmissions);
    RTT.put("p50", Second.Rtt::p50);
    RTT.put("p99", Second.Rtt::p99);
    RTT.put("max", Second.Rtt::max);
  }

  private ApiJson() {}

  /** Dropped of offered, in percent to 3 places, as results.json has it. */
  private static double lossPercent(Second s) {
    long offered = s.frames() + s.drops();
    return offered == 0 ? 0.0 : Math.round(100_000.0 * s.drops() / offered) / 1000.0;
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {"error": message}}: 401, 404, 405, 409, 413, 500. */
  static String error(String message) {
    return write(MAPPER.createObjectNode().put("error", message));
  }

  /** {@code {"errors": [{"path", "message"}]}}: 400, one entry per wrong key. */
  static String errors(List<ValidationError> errors) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode list = o.putArray("errors");
    for (ValidationError e : errors) {
      list.addObject().put("path", e.path()).put("message", e.message());
    }
    return write(o);
  }

  /**
   * What the live page draws, in results.json's shapes: the experiment's name and duration, the
   * series from the seconds given, and every fault activation so far (each with the position of
   * its fault in the list as {@code index}: one lane per fault, as the report draws).
   */
  static String series(Status status, List<Second> seconds, List<FaultView> faults) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode experiment = root.putObject("experiment").put("name", status.name());
    if (status.durationSeconds().isPresent()) {
      experiment.put("durationSeconds", status.durationSeconds().get());
    } else {
      experiment.putNull("durationSeconds");
    }
    ObjectNode series = root.putObject("series");
    COLUMNS.forEach((name, value) -> {
      ArrayNode column = series.putArray(name);
      for (Second s : seconds) {
        Number n = value.apply(s);
        if (n instanceof Double d) {
          column.add(d);
        } else {
          column.add(n.longValue());
        }
      }
    });
    ObjectNode rtt = series.putObject("rttMillis");
    RTT.forEach((name, value) -> {
      ArrayNode column = rtt.putArray(name);
      seconds.forEach(s -> column.add(s.rtt().map(value).orElse(null))); // null: addNull
    });
    ArrayNode activations = root.putArray("faults");
    for (int i = 0; i < faults.size(); i++) {
      FaultView f = faults.get(i);
      for (FaultView.Period p : f.periods()) {
        ObjectNode a = activations.addObject().put("index", i).put("id", f.id())
            .put("source", f.source()).put("kind", f.kind()).put("target", f.target())
            .put("description", f.description()).put("start", p.start());
        if (p.end().isPresent()) {
          a.put("end", p.end().get());
        } else {
          a.putNull("end");
        }
        p.endedBy().ifPresent(by -> a.put("endedBy", by));
      }
    }
    return write(root);
  }
}
