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
    return start(true, args);
  }

  /**
   * As a user's JVM runs it ({@code bin/fleetsim}): without the tests' IPv4-only stack, so Java's
   * sockets are dual-stack IPv6 unless fleetsim asks for IPv4.
   */
  public static Fleetsim startDualStack(String... args) throws IOException {
    return start(false, args);
  }

  private static Fleetsim start(boolean ipv4Only, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    if (ipv4Only) {
      command.add("-Djava.net.preferIPv4Stack=true");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.fleetsim.cli.Main");
    command.addAll(List.of(args));
    return new Fleetsim(command);
  }
}
