package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleetsim run}'s exit status 3, in a child JVM with stdout and stderr apart: the run
 * balanced, but a workload did not start or an expectation did not hold, each said on stderr.
 */
class RunExitStatusTest {
  @TempDir
  Path dir;

  private record Exit(int status, String out, String err) {}

  private Exit run(String experiment) throws Exception {
    Path file = dir.resolve("e.conf");
    Files.writeString(file, experiment);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"),
        "io.fleetsim.cli.Main", "run", file.toString(), "--results", dir.resolve("results").toString())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("fleetsim run did not end; stdout:\n" + Files.readString(out));
    }
    return new Exit(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void anExpectationThatDoesNotHoldIsExitThree() throws Exception {
    Exit e = run("""
        name = lossy
        duration = 3s
        networks { lan { type = switch } }
        vms {
          a { network = lan, ip = "10.0.0.1/24", arp = static, workloads = [
            { run = "ping 10.0.0.2 count=20 interval=100ms", expect = ["loss < 5%"] }
          ] }
          b { network = lan, ip = "10.0.0.2/24", arp = static }
        }
        faults = [ { at = 0s, kind = loss, target = b, direction = in, probability = 0.5 } ]
        """);
    assertEquals(3, e.status(), e.out() + e.err());
    List<String> failed = e.err().lines().filter(l -> l.startsWith("fleetsim: workload failed: ")).toList();
    assertEquals(1, failed.size(), e.err());
    assertTrue(failed.get(0).startsWith("fleetsim: workload failed: a: ping 10.0.0.2 count=20 interval=100ms"
        + " size=56B: loss < 5% not met: measured "), failed.get(0));
    assertTrue(e.out().contains("results: "), "the results were written: " + e.out());
    assertFalse(e.err().contains("frame accounting"), e.err());
  }

  @Test
  void aWorkloadThatNeverStartedIsExitThree() throws Exception {
    Exit e = run("""
        name = nolease
        duration = 1s
        networks { lan { type = switch } }
        vms { d { network = lan, dhcp = true, workloads = ["udp-sink 9000"] } }
        """);
    assertEquals(3, e.status(), e.out() + e.err());
    assertTrue(e.err().contains("fleetsim: workload failed: d: udp-sink 9000: did not start"
        + " (its VM has no address: no DHCP lease)"), e.err());
  }
}
