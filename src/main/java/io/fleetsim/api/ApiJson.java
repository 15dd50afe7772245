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
import java.util.List;

/** The API's JSON: views as Jackson writes records, errors, and the live page's series. */
final class ApiJson {
  // Optional fields are written as their value or null
  private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new Jdk8Module());

  private ApiJson() {}

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
    ArrayNode secs = series.putArray("seconds");
    ArrayNode frames = series.putArray("framesPerSecond");
    ArrayNode bytes = series.putArray("bytesPerSecond");
    ArrayNode drops = series.putArray("dropsPerSecond");
    ArrayNode loss = series.putArray("lossPercent");
    ObjectNode rtt = series.putObject("rttMillis");
    ArrayNode p50 = rtt.putArray("p50");
    ArrayNode p99 = rtt.putArray("p99");
    ArrayNode max = rtt.putArray("max");
    ArrayNode goodput = series.putArray("tcpGoodputBitsPerSecond");
    ArrayNode retransmissions = series.putArray("tcpRetransmissionsPerSecond");
    for (Second s : seconds) {
      secs.add(s.second());
      frames.add(s.frames());
      bytes.add(s.bytes());
      drops.add(s.drops());
      long offered = s.frames() + s.drops();
      loss.add(offered == 0 ? 0.0 : Math.round(100_000.0 * s.drops() / offered) / 1000.0);
      if (s.rtt().isPresent()) {
        p50.add(s.rtt().get().p50());
        p99.add(s.rtt().get().p99());
        max.add(s.rtt().get().max());
      } else {
        p50.addNull();
        p99.addNull();
        max.addNull();
      }
      goodput.add(s.tcpBytes() * 8);
      retransmissions.add(s.tcpRetransmissions());
    }
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
