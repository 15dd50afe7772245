package io.fleetsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A results tree in the results.json schema covering what the report shows: a 30 s run with
 * traffic (TCP goodput too), two faults (one open-ended, one activated twice), pings, a non-ping workload, an
 * imbalanced link, nested VM counters, accounting errors, and a hostile VM name.
 */
final class ReportFixture {
  static final String HOSTILE = "<script>alert(1)</script>";
  static final int SECONDS = 30;
  /** The first second's p99 RTT; afterwards 1.2 ms, and 51.2 ms under the latency fault. */
  static final double SPIKE_MS = 1500.0;
  static final double STEADY_P99_MS = 1.2;
  static final double FAULT_P99_MS = 51.2;

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
    ArrayNode goodput = series.putArray("tcpGoodputBitsPerSecond");
    ArrayNode retransmissions = series.putArray("tcpRetransmissionsPerSecond");
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
      // a bulk transfer at ~40 Mbit/s that the loss fault cuts to a few, with retransmissions
      goodput.add(lossy ? 3_000_000L + s * 10_000L : 40_000_000L + (s * 7919L) % 500_000);
      retransmissions.add(lossy ? 30 + s % 5 : s % 9 == 0 ? 1 : 0);
      if (s == 1) { // replies that waited for ARP and a cold JIT: a spike far above the rest
        p50.add(400.0);
        p99.add(SPIKE_MS);
        max.add(1800.0);
      } else if (s == 5) { // a second without completed pings: a gap in the RTT lines
        p50.addNull();
        p99.addNull();
        max.addNull();
      } else {
        p50.add(slow ? 50.3 : 0.3);
        p99.add(slow ? FAULT_P99_MS : STEADY_P99_MS);
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

  /**
   * examples/lossy-wan.conf as it ran: three faults on site-a for the whole run and a link-down
   * on the gateway inside them; udp-send, udp-sink and echo workloads; a heap figure that came
   * out negative (a run before that was fixed).
   */
  static ObjectNode wan() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode r = m.createObjectNode();
    r.putObject("experiment").put("name", "lossy-wan").put("file", "examples/lossy-wan.conf")
        .put("seed", 2026).put("durationSeconds", 45.0).put("vmCount", 4).put("fleetsimVersion", "dev");
    r.putObject("host").put("bootSeconds", 0.42).put("heapBeforeBytes", 10626688)
        .put("heapAfterBootBytes", 10461440).put("heapPerVmBytes", -41312);
    ObjectNode series = r.putObject("series");
    ArrayNode seconds = series.putArray("seconds");
    ArrayNode frames = series.putArray("framesPerSecond");
    ArrayNode drops = series.putArray("dropsPerSecond");
    ArrayNode p50 = series.putObject("rttMillis").putArray("p50");
    for (int s = 1; s <= 45; s++) {
      seconds.add(s);
      frames.add(s <= 40 ? 500 : 0);
      drops.add(s <= 40 ? 90 + s % 11 : 0);
      p50.add(s <= 40 && (s <= 20 || s > 25) ? 280.0 + s % 13 : null);
    }
    ArrayNode faults = r.putArray("faults");
    String[][] whole = {{"latency", "latency 40ms +- 10ms normal"}, {"loss", "loss gilbert-elliott p=0.02"},
        {"rate", "rate 2500kbit/s, queue 65536 bytes (out)"}};
    for (int i = 0; i < whole.length; i++) {
      faults.addObject().put("index", i).put("kind", whole[i][0]).put("target", "site-a")
          .put("description", whole[i][1]).put("start", 0.0).put("end", 45.018);
    }
    faults.addObject().put("index", 3).put("kind", "link-down").put("target", "gateway")
        .put("description", "link-down on gateway").put("start", 20.015).put("end", 25.012);

    ArrayNode workloads = r.putArray("workloads");
    for (int i = 1; i <= 2; i++) {
      ObjectNode send = workloads.addObject().put("vm", "site-a-" + i)
          .put("workload", "udp-send 192.168.10.4:5001 rate=300 size=1200 duration=40s").put("done", true)
          .put("kind", "udpsend").put("success", true)
          .put("summary", "udp-send 192.168.10.4:5001: 11867 sent in 40.002 s (296.7/s), 0 dropped, 1 delayed");
      send.putObject("result").put("host", "192.168.10.4").put("port", 5001).put("sent", 11867)
          .put("dropped", 0).put("delayed", 1).put("elapsedNanos", 40002328341L)
          .put("achievedRate", 296.65773199099095);
    }
    ObjectNode sink = workloads.addObject().put("vm", "server").put("workload", "udp-sink 5001")
        .put("done", true).put("kind", "udpsink").put("success", false)
        .put("summary", "udp-sink 5001: 20209 datagrams (24250800 bytes) from 2 senders, 3529 lost");
    ObjectNode result = sink.putObject("result").put("port", 5001).put("datagrams", 20209)
        .put("bytes", 24250800).put("foreign", 0);
    ArrayNode senders = result.putArray("senders");
    senders.addObject().put("address", "192.168.10.1").put("port", 49152).put("received", 10100)
        .put("lost", 1767).put("duplicates", 0).put("outOfOrder", 0).put("highestSequence", 11866)
        .put("bytes", 12120000);
    senders.addObject().put("address", "192.168.10.2").put("port", 49152).put("received", 10109)
        .put("lost", 1762).put("duplicates", 0).put("outOfOrder", 2).put("highestSequence", 11870)
        .put("bytes", 12130800);
    ObjectNode echo = workloads.addObject().put("vm", "gateway").put("workload", "echo 7").put("done", true)
        .put("kind", "echo").put("success", true).put("summary", "echo 7: 120 datagrams (7680 bytes) echoed");
    echo.putObject("result").put("port", 7).put("echoed", 120).put("bytes", 7680).put("dropped", 0);

    ArrayNode fleets = r.putArray("fleets");
    fleets.addObject().put("name", "site-a").put("vmCount", 2).putArray("vms").add("site-a-1").add("site-a-2");
    fleets.addObject().put("name", "gateway").put("vmCount", 1).putArray("vms").add("gateway");
    fleets.addObject().put("name", "server").put("vmCount", 1).putArray("vms").add("server");
    r.putObject("accounting").put("ok", true);
    return r;
  }

  /**
   * A fleet of {@code pingers} VMs pinging as many peers, with the counters a real VM reports
   * (some 150, most of them 0), a link per direction each, and every fleet's RTT percentiles.
   */
  static ObjectNode bigFleet(int pingers) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode r = m.createObjectNode();
    r.putObject("experiment").put("name", "fleet").put("seed", 1000).put("durationSeconds", 60.0)
        .put("vmCount", 2 * pingers);
    ArrayNode workloads = r.putArray("workloads");
    ArrayNode links = r.putArray("links");
    ArrayNode vms = r.putArray("vms");
    ArrayNode fleets = r.putArray("fleets");
    ObjectNode node = fleets.addObject().put("name", "node").put("vmCount", pingers);
    ArrayNode nodes = node.putArray("vms");
    node.putObject("rttMillis").put("replies", 53L * pingers).put("min", 0.147).put("p50", 1.439)
        .put("p90", 4.351).put("p99", 217.471).put("max", 1680.383);
    ObjectNode peer = fleets.addObject().put("name", "peer").put("vmCount", pingers);
    ArrayNode peers = peer.putArray("vms");
    for (int i = 1; i <= 2 * pingers; i++) {
      boolean pinger = i <= pingers;
      String name = pinger ? "node-" + i : "peer-" + (i - pingers);
      (pinger ? nodes : peers).add(name);
      if (pinger) {
        ObjectNode w = workloads.addObject().put("vm", name).put("workload", "ping 10.1.1.245 count=55")
            .put("done", true).put("kind", "ping").put("success", true).put("transmitted", 55)
            .put("received", i % 10 == 0 ? 50 : 55);
        w.putObject("rttMillis").put("min", 0.2).put("p50", 1.5).put("p90", 4.0).put("p99", 200.0)
            .put("max", 210.0);
      }
      links.addObject().put("name", name + "/eth0 out").put("vm", name).put("network", "dc")
          .put("direction", "out").put("sent", 56).put("delivered", 56).put("held", 0).put("balanced", true)
          .putObject("dropped");
      ObjectNode in = links.addObject().put("name", name + "/eth0 in").put("vm", name).put("network", "dc")
          .put("direction", "in").put("sent", 57).put("delivered", pinger ? 55 : 57).put("held", 0)
          .put("balanced", true);
      if (pinger) {
        in.putObject("dropped").put("fault-loss", 2);
      } else {
        in.putObject("dropped");
      }
      ObjectNode vm = vms.addObject().put("vm", name).put("cpuCycles", 100_000_000L + i).put("paused", false);
      ObjectNode nic = vm.putArray("nics").addObject().put("nic", "eth0").put("mac", "52:54:00:00:00:01");
      ObjectNode e1000 = nic.putObject("e1000");
      for (int c = 0; c < 70; c++) {
        e1000.put("COUNTER" + c, c < 8 ? 40 + c : 0);
      }
      ObjectNode guest = vm.putObject("guest").putArray("interfaces").addObject().putObject("counters");
      for (int c = 0; c < 60; c++) {
        guest.put("guestCounter" + c, c < 10 ? 55 + c : 0);
      }
    }
    r.putObject("accounting").put("ok", true);
    return r;
  }

  /**
   * {@link #bigFleet} with the quickstart's series and what went wrong: node-5000 and node-9999
   * failed their pings, peer-7000 crashed (an entry without a report), peer-8000's link did not
   * balance; all of them well past the first tables' rows.
   */
  static ObjectNode bigFleetWithFailures(int pingers) {
    ObjectNode r = bigFleet(pingers);
    r.set("series", results().get("series"));
    for (JsonNode w : r.get("workloads")) {
      String vm = w.get("vm").asText();
      if (vm.equals("node-" + (pingers / 2)) || vm.equals("node-" + (pingers - 1))) {
        ((ObjectNode) w).put("success", false).put("received", 0);
      }
    }
    ArrayNode vms = (ArrayNode) r.get("vms");
    for (int i = 0; i < vms.size(); i++) {
      if (vms.get(i).get("vm").asText().equals("peer-" + (pingers * 7 / 10))) {
        vms.set(i, new ObjectMapper().createObjectNode().put("vm", "peer-" + (pingers * 7 / 10)).put("crashed", true));
      }
    }
    for (JsonNode l : r.get("links")) {
      if (l.get("name").asText().equals("peer-" + (pingers * 8 / 10) + "/eth0 in")) {
        ((ObjectNode) l).put("delivered", 50).put("balanced", false);
      }
    }
    return r;
  }

  static JsonNode empty() {
    return new ObjectMapper().createObjectNode();
  }
}
