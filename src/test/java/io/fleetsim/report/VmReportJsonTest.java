package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.guest.os.InterfaceReport;
import io.fleetsim.guest.os.WorkloadReport;
import io.fleetsim.guest.workload.EchoResult;
import io.fleetsim.link.PortStats;
import io.fleetsim.vm.NicReport;
import io.fleetsim.vm.VmReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The VM report's JSON (--stats, results.json's {@code vms}): field names, their order, what is
 * left out and what is null, as report.html and users' scripts read them.
 */
class VmReportJsonTest {
  private static final MacAddress MAC = new MacAddress(0x525400123456L);
  private static final MacAddress MAC2 = new MacAddress(0x525400123457L);

  /** Compact, so that the comparison sees every name, its place and its value, not the layout. */
  private static String compact(Object value) throws Exception {
    return Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
  }

  /** The expected text, re-written compact by a plain mapper (which keeps the field order). */
  private static String expected(String json) throws Exception {
    return new ObjectMapper().writeValueAsString(new ObjectMapper().readTree(json));
  }

  private static Map<String, Long> ordered(Object... namesAndValues) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).longValue());
    }
    return out;
  }

  private static PortStats port() {
    return new PortStats("nic-n0", 3, 300, 4, 400, ordered("no-peer", 1, "oversize", 0));
  }

  @Test
  void aBootedVmWritesEveryPartInItsOrderWithMapsInTheOrderGiven() throws Exception {
    // registers and counters in an order that is neither sorted nor a hash order: kept as given
    NicReport nic = new NicReport("n0", MAC, port(), ordered("TPR", 4, "GPRC", 3, "CRCERRS", 0),
        Optional.of(new E1000Driver.Stats(3, 300, 0, 0, 4, 400, 0, 5, 6)));
    InterfaceReport addressed = new InterfaceReport(MAC, Optional.of(new Ipv4Config(
        Ipv4Address.parse("10.0.0.1"), 24, Optional.empty())), ordered("rxFrames", 3, "arpRequests", 1));
    InterfaceReport unaddressed = new InterfaceReport(MAC2, Optional.empty(), ordered("rxFrames", 0));
    WorkloadReport ended = new WorkloadReport("echo 7", 1, MAC, true,
        Optional.of(new EchoResult(7, 2, 200, 0)), Optional.empty());
    WorkloadReport running = new WorkloadReport("echo 8", 2, MAC2, false,
        Optional.empty(), Optional.of(new EchoResult(8, 1, 100, 0)));
    VmReport report = new VmReport("web-1", 123456, 7, 0, true, List.of(nic),
        Optional.of(new GuestReport(List.of(addressed, unaddressed), List.of(ended, running))));

    assertEquals(expected("""
        {"vm": "web-1", "cpuCycles": 123456, "guestPagesTouched": 7, "guestFaults": 0, "paused": true,
         "nics": [{"nic": "n0", "mac": "52:54:00:12:34:56",
                   "port": {"port": "nic-n0", "framesIn": 3, "bytesIn": 300, "framesOut": 4,
                            "bytesOut": 400, "drops": {"no-peer": 1, "oversize": 0}},
                   "e1000": {"TPR": 4, "GPRC": 3, "CRCERRS": 0},
                   "driver": {"rxFrames": 3, "rxBytes": 300, "rxErrors": 0, "rxDropped": 0,
                              "txFrames": 4, "txBytes": 400, "txRingFull": 0, "interrupts": 5,
                              "polls": 6}}],
         "guest": {
           "interfaces": [
             {"mac": "52:54:00:12:34:56", "address": "10.0.0.1/24 (no router)",
              "counters": {"rxFrames": 3, "arpRequests": 1}},
             {"mac": "52:54:00:12:34:57", "address": null, "counters": {"rxFrames": 0}}],
           "workloads": [
             {"workload": "echo 7", "index": 1, "nic": "52:54:00:12:34:56", "done": true,
              "success": true, "summary": "echo 7: 2 datagrams (200 bytes) echoed, 0 dropped",
              "result": {"port": 7, "echoed": 2, "bytes": 200, "dropped": 0}},
             {"workload": "echo 8", "index": 2, "nic": "52:54:00:12:34:57", "done": false,
              "soFar": {"port": 8, "echoed": 1, "bytes": 100, "dropped": 0}}]}}
        """), compact(report));
  }

  @Test
  void whatIsNotThereYetIsLeftOut() throws Exception {
    // NICs still being attached: no driver runs, no guest has booted
    NicReport nic = new NicReport("n0", MAC, port(), ordered("TPR", 0), Optional.empty());
    VmReport report = new VmReport("web-2", 0, 0, 0, false, List.of(nic), Optional.empty());

    assertEquals(expected("""
        {"vm": "web-2", "cpuCycles": 0, "guestPagesTouched": 0, "guestFaults": 0, "paused": false,
         "nics": [{"nic": "n0", "mac": "52:54:00:12:34:56",
                   "port": {"port": "nic-n0", "framesIn": 3, "bytesIn": 300, "framesOut": 4,
                            "bytesOut": 400, "drops": {"no-peer": 1, "oversize": 0}},
                   "e1000": {"TPR": 0}}]}
        """), compact(report));
  }

  @Test
  void aGuestWithNeitherInterfacesNorRunsWritesEmptyLists() throws Exception {
    VmReport report = new VmReport("t", 1, 2, 3, false, List.of(),
        Optional.of(new GuestReport(List.of(), List.of())));

    assertEquals(expected("""
        {"vm": "t", "cpuCycles": 1, "guestPagesTouched": 2, "guestFaults": 3, "paused": false,
         "nics": [], "guest": {"interfaces": [], "workloads": []}}
        """), compact(report));
  }
}
