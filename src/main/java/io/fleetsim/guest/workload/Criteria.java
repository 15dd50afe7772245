package io.fleetsim.guest.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What decides whether one workload passed: the expectations written for it, or when there are
 * none its kind's default. The defaults ask that the workload did its job at all, so that a
 * fault does not fail it by itself: ping got a reply, udp-send sent, udp-sink received one of
 * udp-send's datagrams, echo answered one.
 *
 * @param byDefault true when these are the kind's default, not the experiment's own
 */
public record Criteria(List<Expectation> expectations, boolean byDefault) {
  /** Each kind's default, as an expectation (README and reference.conf list these). */
  public static final Map<String, String> DEFAULTS = Map.of(
      PingWorkload.KIND, "received >= 1",
      UdpSendWorkload.KIND, "sent >= 1",
      UdpSinkWorkload.KIND, "received >= 1",
      EchoWorkload.KIND, "echoed >= 1",
      AppWorkload.KIND, "succeeded == 1");

  public Criteria {
    expectations = List.copyOf(expectations);
  }

  public static Criteria defaultFor(String kind) {
    String text = DEFAULTS.get(kind);
    return new Criteria(text == null ? List.of() : List.of(Expectation.parse(text)), true);
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
