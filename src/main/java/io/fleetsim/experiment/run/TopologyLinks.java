package io.fleetsim.experiment.run;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetsim.experiment.Experiment;
import java.io.IOException;

/**
 * The {@code links} part of results.json's {@code topology} section: each link between networks
 * with its standing properties, as the file gave them (the report draws them).
 */
final class TopologyLinks {
  private TopologyLinks() {}

  /** Writes {@code "links": [...]} into the object {@code g} is inside. */
  static void write(JsonGenerator g, Experiment experiment) throws IOException {
    g.writeArrayFieldStart("links");
    for (Experiment.NetworkLink l : experiment.links().values()) {
      g.writeStartObject();
      g.writeStringField("name", l.name());
      g.writeArrayFieldStart("between");
      g.writeString(l.a());
      g.writeString(l.b());
      g.writeEndArray();
      properties(g, l);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** latencyMillis, jitterMillis, rateBitsPerSecond, lossPercent: also in each link's rows. */
  static void properties(JsonGenerator g, Experiment.NetworkLink l) throws IOException {
    g.writeNumberField("latencyMillis", l.latency().toNanos() / 1e6);
    g.writeNumberField("jitterMillis", l.jitter().toNanos() / 1e6);
    g.writeNumberField("rateBitsPerSecond", l.rateBitsPerSecond());
    g.writeNumberField("lossPercent", lossPercent(l));
  }

  /** The loss as the file wrote it, without a binary fraction's tail (0.1, not 0.10000000000000002). */
  static double lossPercent(Experiment.NetworkLink l) {
    return Math.round(l.loss() * 100 * 1e9) / 1e9;
  }
}
