package io.fleetsim.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import io.fleetsim.api.ApiException;
import io.fleetsim.api.ApiServer;
import io.fleetsim.api.ApiSettings;
import io.fleetsim.experiment.ClockMode;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.experiment.ExperimentException;
import io.fleetsim.experiment.ExperimentLoader;
import io.fleetsim.experiment.ValidationError;
import io.fleetsim.experiment.run.ExperimentRun;
import io.fleetsim.experiment.run.RunException;
import io.fleetsim.time.DurationText;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import io.fleetsim.time.VirtualClock;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fleetsim run FILE}: runs an experiment and writes its results folder. */
@Command(name = "run", mixinStandardHelpOptions = true,
    header = "Runs an experiment file and writes a results folder with its report.",
    description = {"Builds the file's networks and fleets, plays its fault timeline with live "
        + "progress, and writes DIR/NAME-TIMESTAMP/ with results.json, report.html, console.log and "
        + "pcaps. An invalid file is refused before anything starts.",
        "SIGINT or SIGTERM ends the run early; the results cover the time it ran."},
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {
        "0:ran; frames balanced; every workload started and met its criteria",
        "1:did not run: bad options, invalid file, unwritable results folder, failed start",
        "2:the frame accounting found an imbalance (the results cannot be trusted)",
        "3:ran and balanced, but a workload did not start or did not meet its criteria, or an "
            + "expectation did not hold"})
final class RunCommand implements Callable<Integer> {
  static final int EXIT_ACCOUNTING = 2;
  static final int EXIT_WORKLOADS = 3;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the experiment file")
  Path file;

  @Option(names = "--results", paramLabel = "DIR",
      description = "Where results folders go; the default is the file's report.directory, else ./results.")
  Path results;

  @Option(names = "--clock", paramLabel = "virtual|real", converter = ClockOption.class,
      description = "Whose time the run keeps: virtual (simulated: the same every run, as fast as the "
          + "CPU allows; only without QEMU ports) or real (the host's). Default: the file's clock, "
          + "else virtual when it has no QEMU ports.")
  ClockMode clock;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Settings over fleetsim's defaults, in HOCON (the keys are in reference.conf).")
  File config;

  @Mixin
  ApiOptions apiOptions = new ApiOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Experiment experiment;
    try {
      experiment = ExperimentLoader.load(file);
    } catch (ExperimentException ex) {
      for (ValidationError error : ex.errors()) {
        err.println("fleetsim: " + error);
      }
      err.println("fleetsim: " + file + " not run (" + ex.errors().size() + " error"
          + (ex.errors().size() == 1 ? "" : "s") + ")");
      err.flush();
      return Main.EXIT_USAGE;
    }
    // a folder fleetsim cannot write to is one line now, not a failure after the run
    Writable.folder(results != null ? "--results " + results : reportDirectory(experiment),
        results != null ? results : Path.of(experiment.report().directory()));
    if (results != null) {
      experiment = experiment.withReportDirectory(results.toString());
    }
    if (clock != null) {
      if (clock == ClockMode.VIRTUAL && !experiment.qemuPorts().isEmpty()) {
        err.println("fleetsim: --clock virtual: " + ClockMode.refusal(experiment.qemuPorts()));
        err.flush();
        return Main.EXIT_USAGE;
      }
      experiment = experiment.withClock(clock);
    }
    Optional<ApiSettings> api;
    try {
      api = apiSettings();
    } catch (IllegalArgumentException e) {
      err.println("fleetsim: " + e.getMessage());
      err.flush();
      return Main.EXIT_USAGE;
    }
    Settings settings = Settings.load(Optional.ofNullable(config));
    ProgressDisplay progress = ProgressDisplay.forConsole(out, experiment.report().progressInterval(),
        experiment.clock() == ClockMode.VIRTUAL);
    Clock runClock = experiment.clock() == ClockMode.VIRTUAL ? VirtualClock.create() : RealClock.system();
    ExperimentRun run = new ExperimentRun(experiment, Optional.of(file),
        new ExperimentRun.Machine(settings.config(), settings.netdev(), settings.fabric(), settings.vm()),
        runClock, progress);
    // before the first line: a script may signal as soon as it sees one
    Signals.onStop(run::stop);
    out.printf("fleetsim run %s: %s, %d VMs, %s %s time, seed %d%n", file, experiment.name(),
        experiment.vmCount(), DurationText.human(experiment.duration()),
        experiment.clock().hoconName(), experiment.seed());
    out.flush();
    ExperimentRun.Outcome outcome;
    ApiServer server = null;
    try {
      if (api.isPresent()) {
        server = ApiServer.start(run.control(), api.get());
        out.println("api listening on " + server.address());
        if (!api.get().loopback()) {
          out.println("warning: the API listens on " + api.get().host()
              + ", which is not a loopback address");
        }
        out.flush();
      }
      outcome = run.run();
    } catch (ApiException e) {
      err.println("fleetsim: --api " + apiOptions.api + ": " + e.getMessage());
      err.flush();
      return Main.EXIT_USAGE;
    } catch (RunException | IOException e) {
      progress.finish();
      err.println("fleetsim: " + (e instanceof IOException ? "results: " : "") + e.getMessage());
      err.flush();
      return Main.EXIT_USAGE;
    } finally {
      if (server != null) {
        server.close(); // after the results are written: the last reads see the run ended
      }
    }
    progress.finish();
    out.println("results: " + outcome.folder());
    if (experiment.report().html()) {
      out.println("report:  " + outcome.folder().resolve("report.html"));
    }
    out.flush();
    List<String> failed = outcome.failedWorkloads();
    failed.stream().limit(20).forEach(f -> err.println("fleetsim: workload failed: " + f));
    if (failed.size() > 20) {
      err.println("fleetsim: ... and " + (failed.size() - 20) + " more workloads failed (results.json, report.html)");
    }
    err.flush();
    if (!outcome.accountingOk()) {
      for (String e : outcome.accountingErrors()) {
        err.println("fleetsim: frame accounting: " + e);
      }
      err.flush();
      return EXIT_ACCOUNTING;
    }
    return failed.isEmpty() ? 0 : EXIT_WORKLOADS;
  }

  /**
   * --api's settings, if asked for: the token is the first line of --api-token-file, else
   * FLEETSIM_API_TOKEN. A bad value or an unreadable file is an IllegalArgumentException naming it.
   */
  private Optional<ApiSettings> apiSettings() {
    if (apiOptions.api == null) {
      if (apiOptions.tokenFile != null) {
        throw new IllegalArgumentException("--api-token-file " + apiOptions.tokenFile
            + ": only with --api");
      }
      return Optional.empty();
    }
    Optional<String> token;
    if (apiOptions.tokenFile != null) {
      List<String> lines;
      try {
        lines = java.nio.file.Files.readAllLines(apiOptions.tokenFile.toPath());
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new IllegalArgumentException("--api-token-file " + apiOptions.tokenFile
            + ": cannot read it (" + e.getMessage() + ")");
      }
      if (lines.isEmpty() || lines.get(0).isBlank()) {
        throw new IllegalArgumentException("--api-token-file " + apiOptions.tokenFile
            + ": its first line is empty; it should be the token");
      }
      token = Optional.of(lines.get(0).strip());
    } else {
      token = Optional.ofNullable(System.getenv("FLEETSIM_API_TOKEN")).filter(t -> !t.isBlank());
    }
    try {
      return Optional.of(ApiSettings.parse(apiOptions.api, token));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--api " + apiOptions.api + ": " + e.getMessage());
    }
  }

  /** report.directory as errors name it: the file's line, or reference.conf's default. */
  private String reportDirectory(Experiment experiment) {
    String key = "report.directory " + experiment.report().directory();
    try {
      ConfigOrigin origin = ConfigFactory.parseFile(file.toFile()).getValue("report.directory").origin();
      return file.getFileName() + ":" + origin.lineNumber() + ": " + key;
    } catch (ConfigException e) {
      return key + " (the default)";
    }
  }
}
