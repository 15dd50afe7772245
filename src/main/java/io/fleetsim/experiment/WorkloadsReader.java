package io.fleetsim.experiment;

import io.fleetsim.experiment.Experiment.Vm;
import io.fleetsim.guest.workload.Criteria;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.guest.workload.WorkloadSyntaxException;
import io.fleetsim.guest.workload.Workloads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vms.NAME.workloads} and {@code expect}: each spec parsed once, for the fleet;
 * {@code {next}} and {@code {prev}} (the next and previous VM's address) are filled in per VM once
 * the addresses are known ({@link #perVm}).
 */
final class WorkloadsReader {
  private static final String NEXT = "{next}";
  private static final String PREV = "{prev}";
  // stand-in addresses check the rest of a templated spec's syntax
  private static final String NEXT_STAND_IN = "192.0.2.1";
  private static final String PREV_STAND_IN = "192.0.2.2";

  /**
   * A fleet's workloads as parsed; {@code templated}: some name {@code {next}} or {@code {prev}},
   * so each VM gets its own ({@link #perVm}).
   */
  record Read(List<Workload> workloads, boolean templated, List<String> specs,
      WorkloadEntries entries, boolean ok) {
    List<Criteria> criteria() {
      return entries.criteria();
    }
  }

  private WorkloadsReader() {}

  /**
   * The workloads of the fleet at {@code p}, of {@code count} VMs; {@code dhcp}: their eth0 has
   * no static address (for {next} and {prev}).
   */
  static Read read(ExperimentFile in, String p, boolean dhcp, int count) {
    String path = ExperimentFile.join(p, "workloads");
    WorkloadEntries entries = WorkloadEntries.read(in.root, path, ExperimentFile.join(p, "expect"),
        in::error);
    boolean ok = entries.ok(); // strings or { run, expect }, and the expectations' syntax
    List<String> specs = entries.specs().orElse(List.of());
    List<Workload> workloads = new ArrayList<>();
    boolean templated = false;
    Map<List<Object>, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      if (entries.broken(i)) {
        continue; // an entry without a spec: reported already
      }
      String at = path + "[" + i + "]";
      int line = in.lineOfElement(path, i);
      boolean neighbour = specs.get(i).contains(NEXT) || specs.get(i).contains(PREV);
      templated |= neighbour;
      if (neighbour && (dhcp || count < 2)) {
        in.error(at, line, NEXT + " and " + PREV
            + " need a fleet of at least 2 VMs with static addresses (ip = CIDR)");
        ok = false;
        continue;
      }
      try {
        Workload w = Workloads.parse(specs.get(i).replace(NEXT, NEXT_STAND_IN)
            .replace(PREV, PREV_STAND_IN));
        workloads.add(w);
        // the same workload twice: results could not tell them apart, a 2nd sink could not bind
        Integer first = firstIndex.putIfAbsent(List.of(neighbour, w), i);
        if (first != null) {
          in.error(at, line, "the same workload as workloads[" + first + "] (\""
              + specs.get(first).trim() + "\"); give each workload once");
          ok = false;
        }
      } catch (WorkloadSyntaxException e) {
        in.error(at, line, e.getMessage());
        ok = false;
      }
    }
    return new Read(workloads, templated, specs, entries, ok);
  }

  /** Each VM's workloads with {next} / {prev} filled in (the specs already parsed once). */
  static List<Vm> perVm(List<Vm> vms, List<String> specs) {
    List<Vm> out = new ArrayList<>(vms.size());
    for (int i = 0; i < vms.size(); i++) {
      // the neighbours' eth0 (checked static by read)
      String next = vms.get((i + 1) % vms.size()).nics().get(0).ip().orElseThrow().address()
          .toString();
      String prev = vms.get((i + vms.size() - 1) % vms.size()).nics().get(0).ip().orElseThrow()
          .address().toString();
      List<Workload> own = new ArrayList<>();
      for (String spec : specs) {
        own.add(Workloads.parse(spec.replace(NEXT, next).replace(PREV, prev)));
      }
      Vm vm = vms.get(i);
      out.add(new Vm(vm.name(), vm.nics(), vm.routing(), own));
    }
    return out;
  }
}
