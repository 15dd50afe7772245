package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.experiment.run.ExperimentRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  private static ExperimentRun.Tick tick(long second, List<String> faults) {
    return new ExperimentRun.Tick(Duration.ofSeconds(second), Duration.ofSeconds(30), 1234, 5, faults, 4, 4);
  }

  @Test
  void onATerminalOneBarIsRedrawnInPlaceAndEventsGoAboveIt() {
    StringWriter text = new StringWriter();
    ProgressDisplay p = new ProgressDisplay(new PrintWriter(text), true, Duration.ofSeconds(5));
    p.tick(tick(15, List.of("latency web-2")));
    p.say("  15.0 s  fault off: latency on web-2");
    p.tick(tick(16, List.of()));
    p.finish();
    String out = text.toString();
    assertTrue(out.startsWith("\r[" + "#".repeat(15) + " ".repeat(15) + "]  15/30s      1,234 frames/s  5 drops/s  4 VMs  fault: latency web-2"), out);
    // the bar is cleared before an event line, then drawn again below it
    assertTrue(out.contains("\r\u001b[K  15.0 s  fault off: latency on web-2\n\r[################"), out);
    assertTrue(out.endsWith("no faults\u001b[K\r\u001b[K"), out);
  }

  @Test
  void elsewherePlainLinesAtTheInterval() {
    StringWriter text = new StringWriter();
    ProgressDisplay p = new ProgressDisplay(new PrintWriter(text), false, Duration.ofSeconds(5));
    for (int s = 1; s <= 10; s++) {
      p.tick(tick(s, List.of("a", "b")));
    }
    List<String> lines = text.toString().lines().toList();
    assertEquals(2, lines.size(), lines.toString());
    assertEquals("progress   5/30s      1,234 frames/s  5 drops/s  4 VMs  2 faults", lines.get(0));
    assertTrue(lines.get(1).startsWith("progress  10/30s"));
  }
}
