package io.fleetsim.experiment.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.qemu.NetdevSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * results.json's {@code topology} section: the experiment's networks (with their QEMU ports),
 * its fleets (one entry per fleet, not per VM, with a NIC per network it joins) and the links
 * between networks. It is the file's, not the run's: {@code fleetsim draw} makes it from a file
 * that never ran, and the report draws it ({@link io.fleetsim.report.TopologySvg}).
 */
public final class TopologySection {
  private TopologySection() {}

  /**
   * The section as a tree (what {@code fleetsim draw} draws): written and read back as JSON
   * text, so it is the tree the report reads from results.json, number types included.
   */
  public static JsonNode of(Experiment experiment) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = Results.JSON.createGenerator(text)) {
      g.writeStartObject();
      write(g, experiment);
      g.writeEndObject();
      g.flush();
      return Results.JSON.readTree(text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a string does not throw
    }
  }

  /** Writes {@code networks}, {@code fleets} and {@code links} into the object {@code g} is inside. */
  static void write(JsonGenerator g, Experiment experiment) throws IOException {
    g.writeArrayFieldStart("networks");
    for (Experiment.Network n : experiment.networks().values()) {
      g.writeStartObject();
      g.writeStringField("name", n.name());
      g.writeStringField("type", n.type().hoconName());
      g.writeArrayFieldStart("ports");
      for (NetdevSpec p : n.ports()) {
        g.writeString(p.id());
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("fleets");
    for (Experiment.Fleet f : experiment.fleets().values()) {
      g.writeStartObject();
      g.writeStringField("name", f.name());
      g.writeNumberField("count", f.count());
      g.writeBooleanField("router", false);
      g.writeArrayFieldStart("nics");
      g.writeStartObject();
      g.writeStringField("network", f.attachment() instanceof Experiment.ToNetwork tn ? tn.network()
          : "netdev:" + ((Experiment.ToNetdev) f.attachment()).netdev().source());
      g.writeStringField("ip", f.dhcp() || f.vms().isEmpty() ? null
          : f.vms().get(0).ip().map(ip -> ip.address() + "/" + ip.prefixLength()).orElse(null));
      g.writeBooleanField("dhcp", f.dhcp());
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    TopologyLinks.write(g, experiment);
  }
}
