package io.fleetsim.cli;

import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentException;
import io.fleetsim.experiment.ExperimentLoader;
import io.fleetsim.experiment.ValidationError;
import io.fleetsim.experiment.run.TopologySection;
import io.fleetsim.report.Topology;
import io.fleetsim.report.TopologySvg;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fleetsim draw FILE}: the topology drawing of report.html, made from the file alone, as a
 * standalone SVG (README's drawings are made with it).
 */
@Command(name = "draw", mixinStandardHelpOptions = true,
    header = "Draws an experiment file's topology as SVG without running it.",
    description = "Prints the drawing the report's Topology section shows (networks, fleets, "
        + "routers, links) as one SVG document, or writes it to --output. An invalid file is "
        + "refused as validate refuses it: every error with its line, exit 1.")
final class DrawCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the experiment file")
  Path file;

  @Option(names = {"-o", "--output"}, paramLabel = "SVG", description = "write the drawing to this file instead of stdout")
  Path output;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (output != null) {
      Writable.file("--output", output);
    }
    Experiment e;
    try {
      e = ExperimentLoader.load(file);
    } catch (ExperimentException ex) {
      for (ValidationError error : ex.errors()) {
        err.println("fleetsim: " + error);
      }
      err.flush();
      return Main.EXIT_USAGE;
    }
    String svg = TopologySvg.render(Topology.of(TopologySection.of(e)));
    if (output == null) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(svg);
      out.flush();
      return 0;
    }
    try {
      Files.writeString(output, svg, StandardCharsets.US_ASCII); // the drawing is ASCII only
      return 0;
    } catch (IOException ex) {
      throw new UsageError("--output: cannot write " + output + " (" + Writable.reason(ex) + ")");
    }
  }
}
