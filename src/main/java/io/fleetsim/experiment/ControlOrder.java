package io.fleetsim.experiment;

import io.fleetsim.fault.VmPower;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Crash, restart, pause and resume in time order, per VM. The run ignores a crash of a VM that is
 * already down and a resume of one that is not paused, and the first crash's end would boot the
 * VM that the second one meant to keep down; so a file that asks for that is refused:
 * <ul>
 *   <li>a crash while an earlier crash still holds the VM: one with {@code for} until it ends
 *       (even across a restart, since its end boots the VM), one without until a restart;
 *   <li>a pause while an earlier pause still holds the VM;
 *   <li>a resume while the VM is not paused.
 * </ul>
 * Occurrences follow the run's timeline: {@code every} repeats, {@code every} without {@code for}
 * flip-flops; at one moment ends come before starts, and starts go in file order.
 */
final class ControlOrder {
  /** A fault of the file ({@code index} in {@code faults}) that breaks the order. */
  record Problem(int index, String message) {}

  /** A fault as validated, with its index in the file. */
  record Indexed(int index, Experiment.Fault fault) {}

  private enum Step { END, START }

  private record Event(Duration at, Step step, Occurrence occurrence) {}

  /** One period in which fault {@code index} is on; {@code end} empty: to the end (or instant). */
  private record Occurrence(int index, String kind, VmPower power, Duration start,
      Optional<Duration> end) {}

  private ControlOrder() {}

  /**
   * {@code vmsOf}: every VM and fleet name with the VMs it stands for. VMs that the same faults
   * act on behave alike, so each such group is played once, under its first VM's name; a fault
   * is reported once, for the first VM it breaks on.
   */
  static List<Problem> check(List<Indexed> faults, Map<String, List<String>> vmsOf,
      Duration total) {
    List<Indexed> control = new ArrayList<>();
    List<Set<String>> targets = new ArrayList<>();
    for (Indexed f : faults) {
      if (f.fault().target().isPresent() && f.fault().fault().power().isPresent()) {
        control.add(f);
        targets.add(new HashSet<>(vmsOf.getOrDefault(f.fault().target().get(), List.of())));
      }
    }
    Map<List<Integer>, String> groups = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : vmsOf.entrySet()) {
      if (!e.getValue().equals(List.of(e.getKey()))) {
        continue; // a fleet's name, not a VM
      }
      List<Integer> acting = new ArrayList<>();
      for (int c = 0; c < control.size(); c++) {
        if (targets.get(c).contains(e.getKey())) {
          acting.add(c);
        }
      }
      groups.putIfAbsent(acting, e.getKey());
    }
    Map<Integer, Problem> first = new TreeMap<>();
    for (Map.Entry<List<Integer>, String> g : groups.entrySet()) {
      List<Indexed> acting = new ArrayList<>();
      g.getKey().forEach(c -> acting.add(control.get(c)));
      for (Problem p : replay(acting, g.getValue(), total)) {
        first.putIfAbsent(p.index(), p);
      }
    }
    return new ArrayList<>(first.values());
  }

  /** Plays one VM's control faults in time order and says where the order breaks. */
  private static List<Problem> replay(List<Indexed> faults, String vm, Duration total) {
    List<Event> events = new ArrayList<>();
    for (Indexed f : faults) {
      for (Occurrence o : occurrences(f, total)) {
        events.add(new Event(o.start(), Step.START, o));
        o.end().ifPresent(end -> events.add(new Event(end, Step.END, o)));
      }
    }
    events.sort(Comparator.comparing(Event::at).thenComparing(Event::step)
        .thenComparingInt(e -> e.occurrence().index()));
    List<Problem> problems = new ArrayList<>();
    Occurrence down = null; // the crash that holds the VM down, until its end or a restart
    Occurrence timedCrash = null; // a crash with `for`: on until its end, even after a restart
    Occurrence paused = null;
    Occurrence lastPause = null;
    for (Event e : events) {
      Occurrence o = e.occurrence();
      if (e.step() == Step.END) {
        timedCrash = o.equals(timedCrash) ? null : timedCrash;
        down = o.equals(down) ? null : down;
        paused = o.equals(paused) ? null : paused;
        continue;
      }
      String what = o.kind() + " of " + vm + " at " + time(o.start());
      switch (o.power()) {
        case CRASH: {
          Occurrence holder = timedCrash != null ? timedCrash : down;
          if (holder != null) {
            String restarted = down == null
                ? " (a restart between does not end that crash: its end boots the VM)" : "";
            problems.add(new Problem(o.index(), what + ", but faults[" + holder.index()
                + "] crashed it at " + time(holder.start()) + holder.end()
                    .map(end -> " until " + time(end) + restarted)
                    .orElse(" and no restart came between")));
          } else {
            down = o;
            timedCrash = o.end().isPresent() ? o : null;
            paused = null; // a crashed VM is not paused; that pause's end has nothing to resume
          }
          break;
        }
        case RESTART:
          down = null;
          paused = null;
          break;
        case PAUSE:
          if (paused != null) {
            problems.add(new Problem(o.index(), what + ", but faults[" + paused.index()
                + "] paused it at " + time(paused.start()) + paused.end()
                    .map(end -> " until " + time(end)).orElse(" and no resume came between")));
          } else if (down == null) { // pausing a crashed VM does nothing
            paused = o;
            lastPause = o;
          }
          break;
        default: // RESUME
          if (paused == null) {
            problems.add(new Problem(o.index(), what + ", but it is not paused then ("
                + (down != null ? "faults[" + down.index() + "] crashed it at " + time(down.start())
                    : lastPause != null ? "faults[" + lastPause.index() + "]'s pause at "
                        + time(lastPause.start()) + " has ended"
                    : "no pause of it comes before") + ")"));
          } else {
            paused = null;
          }
          break;
      }
    }
    return problems;
  }

  /** When the fault is on, as run.Timeline plays it; an end at or after the run's is none. */
  private static List<Occurrence> occurrences(Indexed f, Duration total) {
    Experiment.Fault fault = f.fault();
    Optional<Duration> on = fault.fault().instant() ? Optional.empty()
        : fault.duration().or(fault::every);
    // every with for: on for `for` every `every`; every alone: on for `every`, off for `every`
    Optional<Duration> period = fault.every()
        .map(e -> fault.duration().isPresent() ? e : e.multipliedBy(2));
    List<Occurrence> out = new ArrayList<>();
    Duration start = fault.at();
    while (start.compareTo(total) < 0) {
      Optional<Duration> end = on.map(start::plus).filter(x -> x.compareTo(total) < 0);
      out.add(new Occurrence(f.index(), fault.kind(), fault.fault().power().orElseThrow(), start,
          end));
      if (period.isEmpty()) {
        break;
      }
      start = start.plus(period.get());
    }
    return out;
  }

  private static String time(Duration d) {
    return DurationText.human(d);
  }
}
