package io.fleetsim.cli;

import io.fleetsim.qemu.OptionException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fleetsim}: the entry point. Every user error ends as one line on stderr and status 1. */
@Command(name = "fleetsim", mixinStandardHelpOptions = true, version = "fleetsim 0.1.0",
    description = "Simulated VM fleets and networks, wire-compatible with QEMU socket netdevs.",
    subcommands = {HubCommand.class, SwitchCommand.class, VmCommand.class, RunCommand.class,
        ValidateCommand.class})
public final class Main implements Runnable {

  static final int EXIT_USAGE = 1;

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

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
