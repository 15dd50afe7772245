package io.fleetsim.cli;

import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentException;
import io.fleetsim.experiment.ExperimentLoader;
import io.fleetsim.experiment.ValidationError;
import io.fleetsim.fault.FaultKind;
import io.fleetsim.fault.FaultRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fleetsim validate FILE}: checks an experiment file and reports every error at once. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    header = "Checks an experiment file without running it.",
    description = "Prints a summary and exits 0, or prints every error with its line and key and "
        + "exits 1.",
    modelTransformer = ValidateCommand.FaultKinds.class)
final class ValidateCommand implements Callable<Integer> {

  /** The help's footer: every fault kind from its own description, its keys with defaults. */
  static final class FaultKinds implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      List<String> footer = new ArrayList<>(List.of("",
          "Fault kinds (faults = [{ at, for, every, kind, target, direction, KEY = VALUE, ... }];",
          "target: a vm or fleet, a network, or a network's socket port by its netdev id):"));
      for (FaultKind kind : FaultRegistry.ALL.kinds()) {
        kind.usage().forEach(line -> footer.add("  " + line.replace("%", "%%")));
      }
      spec.usageMessage().footer(footer.toArray(String[]::new));
      return spec;
    }
  }
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the experiment file")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Experiment e = ExperimentLoader.load(file);
      out.printf("%s: ok (%s in %s, %s, %s)%n", file, count(e.vmCount(), "vm"),
          count(e.fleets().size(), "fleet"), count(e.networks().size(), "network"),
          count(e.faults().size(), "fault"));
      out.flush();
      return 0;
    } catch (ExperimentException ex) {
      for (ValidationError error : ex.errors()) {
        err.println("fleetsim: " + error);
      }
      err.flush();
      return Main.EXIT_USAGE;
    }
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
