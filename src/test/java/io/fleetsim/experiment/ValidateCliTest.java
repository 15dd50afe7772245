package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.cli.Main;
import io.fleetsim.fault.FaultKey;
import io.fleetsim.fault.FaultKind;
import io.fleetsim.fault.FaultRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleetsim validate FILE} run in this JVM through Main.run. */
class ValidateCliTest {
  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    try {
      int status = Main.run(args);
      return new Result(status, out.toString(), err.toString());
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  /** The kinds and keys help lists are the registry's, each with its default. */
  @Test
  void helpListsEveryFaultKindWithItsKeys() {
    Result r = run("validate", "--help");
    assertEquals(0, r.status, r.err);
    String shown = r.out.replaceAll("\\s+", " ");
    for (FaultKind kind : FaultRegistry.ALL.kinds()) {
      assertTrue(shown.contains(" " + kind.name() + ": " + kind.doc()), kind.name() + "\n" + r.out);
      for (FaultKey key : kind.keys()) {
        assertTrue(shown.contains(key.usage().replaceAll("\\s+", " ")), key.name() + ":\n" + r.out);
      }
    }
    assertTrue(shown.contains("jitter = DURATION (0ms)"), r.out);
  }

  @Test
  void theQuickstartValidates() {
    Result r = run("validate", "examples/quickstart.conf");
    assertEquals(0, r.status, r.err);
    assertEquals("examples/quickstart.conf: ok (4 vms in 2 fleets, 1 network, 1 fault)",
        r.out.trim());
  }

  @Test
  void everyErrorIsPrintedAndTheStatusIsOne(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, "name = a\nnetwroks {}\nvms { x { network = wan, dhcp = true } }\n");
    Result r = run("validate", f.toString());
    assertEquals(1, r.status);
    String[] lines = r.err.trim().split("\\R");
    assertEquals(3, lines.length, r.err);
    for (String line : lines) {
      assertTrue(line.startsWith("fleetsim: bad.conf:"), line);
    }
    assertTrue(r.err.contains("bad.conf:2: netwroks: unknown key 'netwroks'"), r.err);
    assertTrue(r.err.contains("vms.x.network: unknown network 'wan'"), r.err);
    assertTrue(r.err.contains("duration: missing required key"), r.err);
    assertFalse(r.err.contains("Exception"), r.err);
  }

  @Test
  void aMissingFileIsStatusOne(@TempDir Path dir) {
    Result r = run("validate", dir.resolve("nope.conf").toString());
    assertEquals(1, r.status);
    assertTrue(r.err.contains("no such file"), r.err);
  }
}
