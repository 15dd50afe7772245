package io.fleetsim.cli;

import io.fleetsim.Version;
import io.fleetsim.qemu.OptionException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fleetsim}: the entry point. Every user error ends as one line on stderr and status 1. */
@Command(name = "fleetsim", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Simulated VM fleets and networks, wire-compatible with QEMU socket netdevs.",
    subcommands = {HubCommand.class, SwitchCommand.class, VmCommand.class, RunCommand.class,
        ValidateCommand.class, DrawCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "See 'fleetsim help COMMAND' for a command's options."})
public final class Main implements Callable<Integer> {

  static final int EXIT_USAGE = 1;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    // Initialise logging on this thread first: otherwise the first log calls race its set-up
    // from other threads and SLF4J prints a warning about replaying them.
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit status (the process exits only in main). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    // -netdev/-device/-object repeat: each occurrence calls its setter, which appends in order
    cli.setOverwrittenOptionsAllowed(true);
    cli.setParameterExceptionHandler((ex, argv) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("fleetsim: " + ex.getMessage());
      err.println("Try 'fleetsim " + commandPath(ex.getCommandLine()) + "--help' for usage.");
      return EXIT_USAGE;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof OptionException || ex instanceof UsageError) {
        commandLine.getErr().println("fleetsim: " + ex.getMessage());
        return EXIT_USAGE;
      }
      throw ex;
    });
    return cli.execute(args);
  }

  private static String commandPath(CommandLine c) {
    return c.getParent() == null ? "" : c.getCommandName() + " ";
  }

  /** No command: the usage, on stderr, as for any other usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  /** The version the build wrote from the pom; results.json says the same. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"fleetsim " + Version.get()};
    }
  }
}
