package io.fleetsim.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code fleetsim ARGS} in a child JVM on the test classpath: the real CLI, signals and all. */
public final class Fleetsim extends ChildProcess {
  private Fleetsim(List<String> command) throws IOException {
    super("fleetsim", command);
  }

  public static Fleetsim start(String... args) throws IOException {
    return new Fleetsim(command(true, args));
  }

  /**
   * As a user's JVM runs it ({@code bin/fleetsim}): without the tests' IPv4-only stack, so Java's
   * sockets are dual-stack IPv6 unless fleetsim asks for IPv4.
   */
  public static Fleetsim startDualStack(String... args) throws IOException {
    return new Fleetsim(command(false, args));
  }

  /**
   * {@code fleetsim ARGS} run by {@code wrapper}, which ends in a command that runs its
   * arguments (e.g. {@code unshare -rm sh -c '... exec "$@"' sh}).
   */
  public static Fleetsim startIn(List<String> wrapper, String... args) throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(command(true, args));
    return new Fleetsim(command);
  }

  private static List<String> command(boolean ipv4Only, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    if (ipv4Only) {
      command.add("-Djava.net.preferIPv4Stack=true");
    }
    // the production logging set-up (logs on stderr), not the tests' (logs to a file): tests of
    // the CLI assert on what a user sees, stack traces included
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.fleetsim.cli.Main");
    command.addAll(List.of(args));
    return command;
  }
}
