package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentLoader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static List<Timeline.Activation> timeline(String faults) throws Exception {
    Experiment e = ExperimentLoader.parse("""
        name = t
        duration = 60s
        networks { lan { type = switch } }
        vms { a { network = lan, ip = "10.0.0.1/24" } }
        faults = [ %s ]
        """.formatted(faults), "t.conf");
    return Timeline.of(e.faults(), e.duration());
  }

  private static String windows(List<Timeline.Activation> activations) {
    StringBuilder s = new StringBuilder();
    for (Timeline.Activation a : activations) {
      s.append(a.index()).append(':').append(a.start().toSeconds()).append('-')
          .append(a.end().map(d -> String.valueOf(d.toSeconds())).orElse("end")).append(' ');
    }
    return s.toString().trim();
  }

  @Test
  void onceForAWhileOrToTheEnd() throws Exception {
    assertEquals("0:10-15 1:20-end", windows(timeline("""
        { at = 10s, for = 5s, kind = pause, target = a }
        { at = 20s, kind = pause, target = a }""")));
  }

  @Test
  void everyRepeatsUntilTheEndAndTheLastRunsOut() throws Exception {
    assertEquals("0:30-35 0:40-45 0:50-55", windows(timeline(
        "{ at = 30s, for = 5s, every = 10s, kind = link-down, target = a }")));
  }

  @Test
  void everyWithoutForFlipFlops() throws Exception {
    assertEquals("0:0-15 0:30-45", windows(timeline(
        "{ at = 0s, every = 15s, kind = link-down, target = a }")));
  }

  @Test
  void activationsInTimeOrderAcrossFaults() throws Exception {
    List<Timeline.Activation> t = timeline("""
        { at = 25s, kind = pause, target = a }
        { at = 5s, for = 1s, every = 20s, kind = link-down, target = a }""");
    // ties at 25 s go in the file's order
    assertEquals("1:5-6 0:25-end 1:25-26 1:45-46", windows(t));
    assertEquals(List.of(0, 0, 1, 2), t.stream().map(Timeline.Activation::occurrence).toList());
    assertEquals(Optional.of(Duration.ofSeconds(46)), t.get(3).end());
  }
}
