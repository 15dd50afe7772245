package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every experiment in examples/ is valid (RunCliTest runs quickstart; bench/fleet the big ones). */
class ExamplesTest {
  @Test
  void everyExampleValidates() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    assertEquals(List.of("fleet-1000.conf", "lossy-wan.conf", "partition.conf", "qemu-join.conf",
        "quickstart.conf"), files.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : files) {
      try {
        Experiment e = ExperimentLoader.load(file);
        assertTrue(e.vmCount() > 0, file + " has VMs");
      } catch (ExperimentException ex) {
        throw new AssertionError(file + ": " + ex.getMessage());
      }
    }
  }
}
