package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every experiment shown in docs/experiments.md is a valid file, as the page promises. */
class DocsTest {
  private static final Pattern HOCON = Pattern.compile("```hocon\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyRecipeOfTheExperimentsPageValidates() throws Exception {
    String page = Files.readString(Path.of("docs/experiments.md"));
    Matcher m = HOCON.matcher(page);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      String name = "recipe-" + (names.size() + 1) + ".conf";
      try {
        Experiment e = ExperimentLoader.parse(m.group(1), name);
        assertTrue(e.vmCount() > 0, name + " has VMs");
        names.add(e.name());
      } catch (ExperimentException ex) {
        throw new AssertionError("docs/experiments.md, " + name + ": " + ex.getMessage());
      }
    }
    assertEquals(List.of("wan-link", "two-sites", "port-faults", "wan-cable", "two-sites-routed", "racks",
        "crash-and-boot", "split-brain",
        "slirp-tcp", "dhcp-lan", "expectations"),
        names);
  }
}
