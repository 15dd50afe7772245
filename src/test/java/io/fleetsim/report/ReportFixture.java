package io.fleetsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A results tree in the results.json schema covering what the report shows: a 30 s run with
 * traffic, two faults (one open-ended, one activated twice), pings, a non-ping workload, an
 * imbalanced link, nested VM counters, accounting errors, and a hostile VM name.
 */
final class ReportFixture {
  static final String HOSTILE = "<script>alert(1)</script>";
  static final int SECONDS = 30;

  private ReportFixture() {}

  static ObjectNode results() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode r = m.createObjectNode();
    r.putObject("experiment").put("name", "quickstart").put("file", "examples/quickstart.conf")
        .put("seed", 42).put("durationSeconds", SECONDS).put("startedAt", "2026-11-25T10:30:00Z")
        .put("vmCount", 4).put("fleetsimVersion", "0.1.0");

    ObjectNode series = r.putObject("series");
    ArrayNode seconds = series.putArray("seconds");
    ArrayNode frames = series.putArray("framesPerSecond");
    ArrayNode bytes = series.putArray("bytesPerSecond");
    ArrayNode drops = series.putArray("dropsPerSecond");
    ArrayNode loss = series.putArray("lossPercent");
    ObjectNode rtt = series.putObject("rttMillis");
    ArrayNode p50 = rtt.putArray("p50");
    ArrayNode p99 = rtt.putArray("p99");
    ArrayNode max = rtt.putArray("max");
    for (int s = 1; s <= SECONDS; s++) {
      boolean lossy = s > 20 && s <= 25;
      boolean slow = s > 10 && s <= 15;
      long delivered = 800 + (s * 37L) % 120;
      long dropped = lossy ? 40 + s % 7 : 0;
      seconds.add(s);
      frames.add(delivered);
      bytes.add(delivered * 590);
      drops.add(dropped);
      loss.add(dropped * 100.0 / (delivered + dropped));
      if (s == 5) { // a second without completed pings: a gap in the RTT lines
        p50.addNull();
        p99.addNull();
        max.addNull();
      } else {
        p50.add(slow ? 50.3 : 0.3);
        p99.add(slow ? 51.2 : 1.2);
        max.add(slow ? 52.0 : 1.5);
      }
    }

    ArrayNode faults = r.putArray("faults");
    faults.addObject().put("index", 0).put("kind", "latency").put("target", "web-2")
        .put("description", "latency 50ms").put("start", 10.0).put("end", 15.0);
    faults.addObject().put("index", 1).put("kind", "loss").put("target", "lan")
        .put("description", "loss 5% every=20s").put("start", 20.0).put("end", 25.0);
    faults.addObject().put("index", 2).put("kind", "partition").put("target", HOSTILE)
        .put("description", "partition until the end").put("start", 28.0).putNull("end");

    ArrayNode workloads = r.putArray("workloads");
    ObjectNode ping = workloads.addObject().put("vm", "pinger").put("workload", "ping 10.0.0.2 count=20")
        .put("kind", "ping").put("success", true).put("transmitted", 20).put("received", 19)
        .put("lossPercent", 5.0);
    ping.putObject("rttMillis").put("min", 0.2).put("p50", 0.3).put("p90", 0.5).put("p99", 1.2)
        .put("max", 1.5);
    ObjectNode http = workloads.addObject().put("vm", HOSTILE).put("workload", "http-get /")
        .put("kind", "http").put("success", false).put("requests", 10);
    http.putObject("status").put("200", 7).put("timeout", 3);

    ArrayNode links = r.putArray("links");
    links.addObject().put("name", "pinger/eth0").put("network", "lan").put("sent", 123)
        .put("delivered", 120).put("held", 0).put("balanced", true)
        .putObject("dropped").put("fault-loss", 3);
    links.addObject().put("name", "web-2/eth0").put("network", "lan").put("sent", 200)
        .put("delivered", 150).put("held", 10).put("balanced", false)
        .putObject("dropped").put("fault-loss", 30);
    links.addObject().put("name", "web-2/eth0 -> lan").put("network", "lan").put("direction", "in")
        .put("sent", 50).put("delivered", 50).put("held", 0).put("balanced", true).putObject("dropped");

    ArrayNode vms = r.putArray("vms");
    ObjectNode pinger = vms.addObject().put("vm", "pinger");
    pinger.putObject("nic").put("framesIn", 140).put("framesOut", 141)
        .putObject("drops").put("rxOverrun", 0);
    pinger.putArray("queues").add(3).add(4);
    vms.addObject().put("vm", HOSTILE).put("uptimeSeconds", 30);

    ObjectNode acc = r.putObject("accounting").put("ok", false);
    acc.putArray("errors").add("web-2/eth0: sent 200 != delivered 150 + held 10 + dropped 30");
    return r;
  }

  static JsonNode empty() {
    return new ObjectMapper().createObjectNode();
  }
}
