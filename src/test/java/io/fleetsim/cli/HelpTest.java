package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetsim.guest.workload.Workloads;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.InProcessCli;
import io.fleetsim.testing.InProcessCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** What {@code --help}, {@code help}, {@code --version} and a bare {@code fleetsim} show. */
@Timeout(120)
class HelpTest {
  private static Result run(String... args) {
    return InProcessCli.run(args);
  }

  /** Whitespace as one space; %n is picocli's line break (its own help command uses it). */
  private static String oneLine(String text) {
    return text.replace("%n", " ").replaceAll("\\s+", " ").trim();
  }

  /** Every text a command's help shows: header, description, footer, options, exit codes. */
  private static List<String> texts(CommandSpec spec) {
    List<String> texts = new ArrayList<>();
    texts.addAll(List.of(spec.usageMessage().header()));
    texts.addAll(List.of(spec.usageMessage().description()));
    texts.addAll(List.of(spec.usageMessage().footer()));
    texts.addAll(spec.usageMessage().exitCodeList().values());
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        texts.addAll(List.of(option.description()));
      }
    }
    texts.removeIf(String::isBlank);
    return texts;
  }

  private static CommandLine model() {
    return new CommandLine(new Main());
  }

  @Test
  void theCommandListShowsEachCommandsWholeSummary() {
    Result top = run("--help");
    assertEquals(0, top.status(), top.all());
    String shown = oneLine(top.stdout());
    for (CommandLine sub : model().getSubcommands().values()) {
      String[] header = sub.getCommandSpec().usageMessage().header();
      assertEquals(1, header.length, sub.getCommandName() + " has a one-line summary");
      assertTrue(header[0].endsWith("."), header[0]);
      assertTrue(shown.contains(sub.getCommandName() + " " + oneLine(header[0])),
          "the whole summary of " + sub.getCommandName() + " is listed:\n" + top.stdout());
    }
  }

  /** Wrapped only between words: "reference.conf" or "results.json" never split at the dot. */
  @Test
  void everyHelpShowsItsTextsWholeWrappedOnlyBetweenWords() {
    CommandLine main = model();
    List<CommandLine> commands = new ArrayList<>();
    commands.add(main);
    commands.addAll(main.getSubcommands().values());
    for (CommandLine command : commands) {
      String name = command.getCommandName();
      Result help = name.equals("fleetsim") ? run("--help") : run(name, "--help");
      assertEquals(0, help.status(), help.all());
      String shown = oneLine(help.stdout());
      for (String text : texts(command.getCommandSpec())) {
        assertTrue(shown.contains(oneLine(text)), "fleetsim " + name + " --help shows '" + text
            + "' whole:\n" + help.stdout());
      }
    }
  }

  @Test
  void helpIsACommandThatShowsACommandsHelp() {
    Result help = run("help", "run");
    assertEquals(0, help.status(), help.all());
    assertEquals(run("run", "--help").stdout(), help.stdout());
    Result top = run("help");
    assertEquals(0, top.status(), top.all());
    assertTrue(top.stdout().contains("Usage: fleetsim"), top.all());
  }

  @Test
  void bareFleetsimIsAUsageErrorWithTheUsageOnStderr() {
    Result bare = run();
    assertEquals(1, bare.status(), bare.all());
    assertEquals("", bare.stdout());
    assertTrue(bare.stderr().startsWith("Usage: fleetsim"), bare.all());
    assertTrue(bare.stderr().contains("Commands:"), bare.all());
  }

  @Test
  void hubAndSwitchDoNotListTheDeviceOptionTheyRefuse() {
    for (String fabric : List.of("hub", "switch")) {
      Result help = run(fabric, "--help");
      assertFalse(help.stdout().contains("-device"), help.all());
      Result refused = run(fabric, "-netdev", "socket,id=a,listen=127.0.0.1:1", "-device", "e1000,netdev=a");
      assertEquals(1, refused.status(), refused.all());
      assertTrue(refused.stderr().contains("-device belongs to a VM"), refused.all());
    }
    assertTrue(run("vm", "--help").stdout().contains("-device"), "a VM takes -device");
  }

  @Test
  void vmHelpListsEveryWorkloadKindWithItsSyntax() {
    Result help = run("vm", "--help");
    assertEquals(0, help.status(), help.all());
    List<String> lines = help.stdout().lines().map(String::trim).toList();
    int section = lines.indexOf(lines.stream().filter(l -> l.startsWith("Workloads")).findFirst()
        .orElseThrow(() -> new AssertionError("no Workloads section:\n" + help.stdout())));
    List<String> listed = lines.subList(section + 1, lines.size());
    for (String usage : List.of(Workloads.PING_USAGE, Workloads.UDP_SEND_USAGE,
        Workloads.UDP_SINK_USAGE, Workloads.ECHO_USAGE, Workloads.TCP_SINK_USAGE,
        Workloads.TCP_ECHO_USAGE, Workloads.HTTP_SERVE_USAGE, Workloads.HTTP_GET_USAGE,
        Workloads.DHCP_SERVER_USAGE, Workloads.APP_USAGE)) {
      assertTrue(listed.contains(usage), usage + " listed:\n" + help.stdout());
    }
    // the two longest continue on an indented line
    String joined = String.join(" ", listed);
    for (String usage : List.of(Workloads.TCP_STREAM_USAGE, Workloads.TCP_RR_USAGE)) {
      assertTrue(joined.contains(usage), usage + " listed:\n" + help.stdout());
    }
  }

  /** The pom's version, as the build wrote it; --version and results.json both say it. */
  @Test
  void versionIsThePomsAndResultsSayTheSame(@TempDir Path dir) throws Exception {
    Matcher m = Pattern.compile("<artifactId>fleetsim</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "the pom names its version");
    String pomVersion = m.group(1);
    Result version = run("--version");
    assertEquals(0, version.status(), version.all());
    assertEquals("fleetsim " + pomVersion, version.stdout().trim());

    Path file = dir.resolve("tiny.conf");
    Files.writeString(file, """
        name = tiny
        duration = 1s
        networks { lan { type = switch } }
        vms { a { network = lan, ip = "10.0.0.1/24" } }
        """);
    Path results = dir.resolve("results");
    try (Fleetsim fleetsim = Fleetsim.start("run", file.toString(), "--results", results.toString())) {
      assertEquals(0, fleetsim.awaitExit(Duration.ofSeconds(60)), fleetsim.output());
    }
    Path json;
    try (Stream<Path> s = Files.list(results)) {
      json = s.findFirst().orElseThrow().resolve("results.json");
    }
    assertEquals(pomVersion, new ObjectMapper().readTree(json.toFile())
        .at("/experiment/fleetsimVersion").asText());
  }
}
