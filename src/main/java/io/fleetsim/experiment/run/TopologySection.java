package io.fleetsim.experiment.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.qemu.NetdevSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

  /**
   * A fleet's NIC {@code k} as its first VM has it: {@code network} (a network's name, or {@code
   * netdev:SOURCE} for a netdev of its own), {@code ip} (address/prefix, {@code {index}} filled in
   * for VM 1; null with DHCP), {@code dhcp}; and {@code networks}, every network the fleet's VMs
   * put this NIC on in order, when that is more than one ({@code network = "rack-{index}"}): the
   * drawing joins the fleet to each.
   */
  private static void nic(JsonGenerator g, Experiment.Fleet f, int k, Experiment.Nic nic) throws IOException {
    g.writeStartObject();
    g.writeStringField("network", network(nic));
    g.writeStringField("ip", nic.ip().map(ip -> ip.address() + "/" + ip.prefixLength()).orElse(null));
    g.writeBooleanField("dhcp", nic.dhcp());
    Set<String> reached = new LinkedHashSet<>();
    for (Experiment.Vm vm : f.vms()) {
      if (k < vm.nics().size()) {
        reached.add(network(vm.nics().get(k)));
      }
    }
    if (reached.size() > 1) {
      g.writeArrayFieldStart("networks");
      for (String n : reached) {
        g.writeString(n);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static String network(Experiment.Nic nic) {
    return nic.attachment() instanceof Experiment.ToNetwork tn ? tn.network()
        : "netdev:" + ((Experiment.ToNetdev) nic.attachment()).netdev().source();
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
      g.writeBooleanField("router", f.router());
      g.writeArrayFieldStart("nics");
      List<Experiment.Nic> first = f.vms().isEmpty() ? List.of() : f.vms().get(0).nics();
      for (int k = 0; k < first.size(); k++) {
        nic(g, f, k, first.get(k));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    TopologyLinks.write(g, experiment);
  }
}
