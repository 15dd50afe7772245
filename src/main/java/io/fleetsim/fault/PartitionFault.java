package io.fleetsim.fault;

import io.fleetsim.addr.MacAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.util.ByteString;

/**
 * {@code partition}, per link: drops ({@code fault-partition}) every frame whose source MAC is in
 * {@code blockedSources}. The runner puts one on the VM-bound direction of each VM of a group,
 * blocking the MACs of the other groups; broadcasts from the other side are dropped too, which is
 * what a partition means. Frames too short to have a source MAC pass.
 */
public record PartitionFault(Set<MacAddress> blockedSources) implements Fault.LinkFault {

  public static final String CAUSE = "fault-partition";

  public static final FaultKind KIND = new FaultKind("partition",
      "VMs or fleets in groups that cannot reach each other: frames between groups are dropped"
          + " (fault-partition) on the receiving VM's link",
      List.of(FaultKey.required("groups", FaultKey.Type.VM_GROUPS,
          "at least 2 groups of VMs or fleets, each VM in at most one")),
      Set.of(), false, PartitionFault::read);

  /** Checked as names first, then against the experiment's VMs, with fleets expanded. */
  private static Optional<Fault> read(FaultParams p) {
    return p.getStringLists("groups").map(Groups::new)
        .flatMap(raw -> p.vmGroups("groups", raw.groups())).map(Groups::new);
  }

  public PartitionFault {
    blockedSources = Set.copyOf(blockedSources);
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public String describe() {
    return "partition (" + blockedSources.size() + " sources cut)";
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    return (frame, at, out) -> {
      if (frame.size() >= 12 && blockedSources.contains(new MacAddress(source(frame)))) {
        out.drop(CAUSE);
      } else {
        out.frame(frame, at);
      }
    };
  }

  private static long source(ByteString frame) {
    long bits = 0;
    for (int i = 6; i < 12; i++) {
      bits = (bits << 8) | (frame.apply(i) & 0xFF);
    }
    return bits;
  }

  /**
   * The experiment's view: {@code groups} of VM names (fleets already expanded) that cannot reach
   * each other. At least two groups, each non-empty, each VM in at most one.
   */
  public record Groups(List<List<String>> groups) implements Fault {

    public Groups {
      groups = groups.stream().map(List::copyOf).collect(java.util.stream.Collectors.toList());
      if (groups.size() < 2) {
        throw new FaultParameterException("groups", "a partition needs at least 2 groups, not "
            + groups.size());
      }
      Set<String> seen = new LinkedHashSet<>();
      for (int i = 0; i < groups.size(); i++) {
        if (groups.get(i).isEmpty()) {
          throw new FaultParameterException("groups", "group " + i + " is empty");
        }
        for (String vm : groups.get(i)) {
          if (!seen.add(vm)) {
            throw new FaultParameterException("groups", "'" + vm + "' is in more than one group");
          }
        }
      }
    }

    @Override
    public String kind() {
      return KIND.name();
    }

    @Override
    public boolean onFrames() {
      return true;
    }

    /** Each VM of a group stops hearing every VM of the other groups. */
    @Override
    public void apply(FaultSite site) {
      List<Set<String>> sides = new ArrayList<>();
      for (List<String> names : groups) {
        Set<String> side = new LinkedHashSet<>();
        names.forEach(n -> side.addAll(site.vmsOf(n)));
        sides.add(side);
      }
      for (int g = 0; g < sides.size(); g++) {
        Set<MacAddress> others = new LinkedHashSet<>();
        for (int o = 0; o < sides.size(); o++) {
          if (o != g) {
            sides.get(o).forEach(vm -> others.addAll(site.macsOf(vm)));
          }
        }
        PartitionFault cut = new PartitionFault(others);
        sides.get(g).forEach(vm -> site.onLinksOf(vm, cut, Direction.IN));
      }
    }

    @Override
    public String describe() {
      return "partition " + groups.stream().map(g -> String.join(",", g))
          .collect(java.util.stream.Collectors.joining(" | "));
    }

    /** For each VM of every group, the VMs whose frames it must no longer receive. */
    public Map<String, List<String>> blockedByVm() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (List<String> group : groups) {
        List<String> others = new ArrayList<>();
        for (List<String> g : groups) {
          if (g != group) {
            others.addAll(g);
          }
        }
        for (String vm : group) {
          out.put(vm, List.copyOf(others));
        }
      }
      return out;
    }
  }
}
