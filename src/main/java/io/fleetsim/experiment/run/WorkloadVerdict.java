package io.fleetsim.experiment.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.guest.os.WorkloadReport;
import io.fleetsim.guest.workload.Criteria;
import io.fleetsim.guest.workload.Expectation;
import io.fleetsim.guest.workload.Metric;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.vm.VmReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether one workload passed on one boot of its VM, written into its results.json entry. The
 * VM's last boot is judged: each workload must have started there and, unless a crash ended that
 * boot (the experiment's own doing), its criteria must hold. Earlier boots, each ended by a
 * crash, keep their tallies and are not judged. What fails becomes one line of {@code failed}.
 */
final class WorkloadVerdict {
  private WorkloadVerdict() {}

  /** A declared workload with no run in this boot. */
  static void notStarted(ObjectNode w, String vm, Workload declared, int index, FleetVm.Boot boot,
      boolean last, List<String> failed) {
    head(w, vm, declared, index, boot, "not-started");
    String reason = whyNot(boot.report());
    if (!reason.isEmpty()) {
      w.put("reason", reason);
    }
    if (last) {
      w.put("success", false);
      failed.add(line(vm, declared, boot, "did not start" + (reason.isEmpty() ? "" : " (" + reason + ")")));
    } else {
      w.put("note", "not judged: a crash ended this boot");
    }
  }

  /** A run of a declared workload, from the guest's report: its state, result and checks. */
  static ObjectNode started(ObjectNode w, String vm, Workload declared, int index,
      FleetVm.Boot boot, boolean last, WorkloadReport run, Criteria criteria,
      List<String> failed) {
    head(w, vm, declared, index, boot, run.done() ? "done" : boot.crashed() ? "crashed" : "running");
    if (run.latest().isEmpty()) {
      if (last) {
        w.put("success", false);
        failed.add(line(vm, declared, boot, "no result (its VM did not report one)"));
      }
      return w;
    }
    WorkloadResult result = run.latest().get();
    w.put("summary", result.summary());
    if (!last) {
      w.put("note", "not judged: a crash ended this boot");
      return w;
    }
    if (boot.crashed()) {
      w.put("note", "its VM was crashed at the end: only that it started is judged");
      w.put("success", true);
      return w;
    }
    ArrayNode list = w.putArray("expectations");
    List<String> unmet = new ArrayList<>();
    for (Expectation.Check c : criteria.check(result)) {
      Expectation e = c.expectation();
      ObjectNode o = list.addObject();
      o.put("expect", e.text());
      o.put("metric", e.metric());
      if (c.value().isPresent()) {
        o.put("value", Results.round(Expectation.shown(e.unit(), c.value().getAsDouble())));
      } else {
        o.putNull("value");
      }
      o.put("unit", Expectation.shownUnit(e.unit()));
      o.put("pass", c.pass());
      o.put("default", criteria.byDefault());
      if (!c.pass()) {
        unmet.add(e.text() + " not met: " + (c.value().isPresent()
            ? "measured " + measured(e.unit(), c.value().getAsDouble()) : "nothing measured"));
      }
    }
    w.put("success", unmet.isEmpty());
    if (!unmet.isEmpty()) {
      failed.add(line(vm, declared, boot, String.join("; ", unmet)));
    }
    return w;
  }

  private static void head(ObjectNode w, String vm, Workload declared, int index, FleetVm.Boot boot,
      String state) {
    w.put("vm", vm);
    w.put("workload", declared.describe());
    w.put("index", index);
    w.put("kind", declared.kind());
    w.put("boot", boot.number());
    w.put("state", state);
  }

  /** What a boot's report says about why nothing started, when it says anything. */
  private static String whyNot(VmEntry report) {
    if (report instanceof VmEntry.NoReport) {
      return "its VM did not report";
    }
    Optional<GuestReport> guest = report.report().flatMap(VmReport::guest);
    if (guest.isEmpty()) {
      return "its guest had not booted";
    }
    if (guest.get().unaddressed()) {
      return "its VM has no address: no DHCP lease";
    }
    return "";
  }

  private static String measured(Metric.Unit unit, double value) {
    double shown = Results.round(Expectation.shown(unit, value));
    String number = shown == Math.rint(shown) ? Long.toString((long) shown) : Double.toString(shown);
    return number + Expectation.shownUnit(unit);
  }

  private static String line(String vm, Workload declared, FleetVm.Boot boot, String what) {
    return vm + (boot.number() > 1 ? " (boot " + boot.number() + ")" : "") + ": "
        + declared.describe() + ": " + what;
  }
}
