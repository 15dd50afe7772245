package io.fleetsim.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.guest.os.InterfaceReport;
import io.fleetsim.guest.os.WorkloadReport;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.vm.NicReport;
import io.fleetsim.vm.VmReport;
import java.io.IOException;

/**
 * A {@link VmReport} as --stats files and results.json's {@code vms} hold it. Field names, their
 * order and what is left out are a schema that report.html, the tests and users' scripts read,
 * so they are spelled out here, not derived from the records: the driver before it starts and
 * the guest before it boots are left out, an interface without an address has {@code "address":
 * null}, and a run has {@code success}, {@code summary} and {@code result} once it ended, else
 * its tally {@code soFar}. Counters, statistics and results inside are written as Jackson writes
 * any record or map.
 */
final class VmReportJson extends StdSerializer<VmReport> {
  VmReportJson() {
    super(VmReport.class);
  }

  @Override
  public void serialize(VmReport r, JsonGenerator g, SerializerProvider p) throws IOException {
    g.writeStartObject();
    g.writeStringField("vm", r.vm());
    g.writeNumberField("cpuCycles", r.cpuCycles());
    g.writeNumberField("guestPagesTouched", r.guestPagesTouched());
    g.writeNumberField("guestFaults", r.guestFaults());
    g.writeBooleanField("paused", r.paused());
    g.writeArrayFieldStart("nics");
    for (NicReport nic : r.nics()) {
      nic(nic, g, p);
    }
    g.writeEndArray();
    if (r.guest().isPresent()) {
      g.writeFieldName("guest");
      guest(r.guest().get(), g, p);
    }
    g.writeEndObject();
  }

  private static void nic(NicReport nic, JsonGenerator g, SerializerProvider p)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("nic", nic.nic());
    g.writeStringField("mac", nic.mac().toString());
    p.defaultSerializeField("port", nic.port(), g);
    p.defaultSerializeField("e1000", nic.e1000(), g);
    if (nic.driver().isPresent()) {
      p.defaultSerializeField("driver", nic.driver().get(), g);
    }
    g.writeEndObject();
  }

  private static void guest(GuestReport guest, JsonGenerator g, SerializerProvider p)
      throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("interfaces");
    for (InterfaceReport i : guest.interfaces()) {
      g.writeStartObject();
      g.writeStringField("mac", i.mac().toString());
      if (i.address().isPresent()) {
        g.writeStringField("address", i.address().get().describe());
      } else {
        g.writeNullField("address");
      }
      p.defaultSerializeField("counters", i.counters(), g);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("workloads");
    for (WorkloadReport w : guest.workloads()) {
      g.writeStartObject();
      g.writeStringField("workload", w.workload());
      g.writeNumberField("index", w.index());
      g.writeStringField("nic", w.nic().toString());
      g.writeBooleanField("done", w.done());
      if (w.result().isPresent()) {
        WorkloadResult result = w.result().get();
        g.writeBooleanField("success", result.success());
        g.writeStringField("summary", result.summary());
        p.defaultSerializeField("result", result, g);
      } else {
        p.defaultSerializeField("soFar", w.soFar().orElseThrow(), g);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
