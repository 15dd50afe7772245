package io.fleetsim.guest.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What decides whether one workload passed: the expectations written for it, or when there are
 * none its kind's default. The defaults ask that the workload did its job at all, so that a
 * fault does not fail it by itself: ping got a reply, traceroute reached its host, udp-send sent, udp-sink received one of
 * udp-send's datagrams, echo answered one, tcp-sink received a byte, tcp-rr completed a
 * transaction, tcp-echo echoed a byte, http-serve answered, dhcp-server did not refuse to serve (a pool that does not fit the subnet
 * of the interface holding it). A connection is a promise, so the
 * TCP clients' defaults ask that it was kept: tcp-stream's every byte acknowledged and no
 * connection error, http-get's every request answered 2xx. A default may be several
 * expectations, joined by " and ".
 *
 * @param byDefault true when these are the kind's default, not the experiment's own
 */
public record Criteria(List<Expectation> expectations, boolean byDefault) {
  /** Each kind's default, as an expectation (README and reference.conf list these). */
  public static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry(PingWorkload.KIND, "received >= 1"),
      Map.entry(TracerouteWorkload.KIND, "reached == 1"),
      Map.entry(UdpSendWorkload.KIND, "sent >= 1"),
      Map.entry(UdpSinkWorkload.KIND, "received >= 1"),
      Map.entry(EchoWorkload.KIND, "echoed >= 1"),
      Map.entry(TcpStreamWorkload.KIND, "acked == 100% and errors == 0"),
      Map.entry(TcpSinkWorkload.KIND, "bytes-received >= 1"),
      Map.entry(TcpRrWorkload.KIND, "transactions >= 1"),
      Map.entry(TcpEchoWorkload.KIND, "bytes-echoed >= 1"),
      Map.entry(HttpServeWorkload.KIND, "responses >= 1"),
      Map.entry(HttpGetWorkload.KIND, "failed == 0%"),
      Map.entry(DhcpServerWorkload.KIND, "refused == 0"),
      Map.entry(AppWorkload.KIND, "succeeded == 1"));

  public Criteria {
    expectations = List.copyOf(expectations);
  }

  public static Criteria defaultFor(String kind) {
    String text = DEFAULTS.get(kind);
    List<Expectation> out = new ArrayList<>();
    if (text != null) {
      for (String one : text.split(" and ")) {
        out.add(Expectation.parse(one));
      }
    }
    return new Criteria(out, true);
  }

  public List<Expectation.Check> check(WorkloadResult result) {
    List<Expectation.Check> out = new ArrayList<>();
    for (Expectation e : expectations) {
      out.add(e.check(result));
    }
    return out;
  }

  public boolean holds(WorkloadResult result) {
    return check(result).stream().allMatch(Expectation.Check::pass);
  }
}
