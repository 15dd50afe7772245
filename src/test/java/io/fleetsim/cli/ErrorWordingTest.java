package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors whose cause is a library's (Jackson, the JDK's resolver, Typesafe Config) say it in
 * fleetsim's words: one line naming the option, no exception or class names, no stack trace.
 */
@Timeout(120)
class ErrorWordingTest {
  /** What library text looks like: exception and class names, Jackson's source markers, frames. */
  private static final Pattern LIBRARY_TEXT = Pattern.compile(
      "Exception|Source: REDACTED|StreamReadFeature|DeserializationFeature|com\\.fasterxml|\\(code \\d+\\)"
          + "|(?m)^\\s+at [\\w.$]+\\(");

  /** Runs the CLI in this JVM, for errors found before anything starts; returns stderr. */
  private static String refusedInProcess(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = Main.run(args);
    } finally {
      System.setErr(saved);
    }
    String text = err.toString(StandardCharsets.UTF_8).trim();
    assertEquals(1, status, text);
    assertOneLineInOurWords(text);
    return text;
  }

  private static void assertOneLineInOurWords(String text) {
    assertEquals(1, text.lines().count(), "one line:\n" + text);
    assertTrue(text.startsWith("fleetsim: "), text);
    assertFalse(LIBRARY_TEXT.matcher(text).find(), "in fleetsim's words:\n" + text);
  }

  @Test
  void malformedJsonNetdevsAreNamedInQemusWords() {
    String eof = "{\"type\":\"socket\",\"id\":\"a\",\"listen\":\"127.0.0.1:1\"";
    assertEquals("fleetsim: -netdev " + eof + ": JSON parse error, premature end of input",
        refusedInProcess("hub", "-netdev", eof));
    assertEquals("fleetsim: -netdev {\"type\":x}: JSON parse error, invalid keyword 'x' (column 10)",
        refusedInProcess("hub", "-netdev", "{\"type\":x}"));
    assertEquals("fleetsim: -netdev {\"type\":\"stream\"} {}: Expecting at most one JSON value",
        refusedInProcess("switch", "-netdev", "{\"type\":\"stream\"} {}"));
    assertTrue(refusedInProcess("hub", "-netdev", "{\"type\" \"stream\"}")
        .endsWith("JSON parse error, missing : in object pair (column 9)"));
    assertTrue(refusedInProcess("hub", "-netdev", "{\"type\":\"str\\q\"}")
        .endsWith("JSON parse error, invalid escape sequence in string (column 14)"));
    String other = refusedInProcess("vm", "-netdev", "{\"type\":\"stream\",}", "-device", "e1000,netdev=a");
    assertTrue(other.startsWith("fleetsim: -netdev {\"type\":\"stream\",}: JSON parse error, "), other);
  }

  @Test
  void aConfigFileWithASyntaxErrorIsNamedWithItsLine(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("bad.conf"), "fleetsim {\n  netdev { max-frame = \n");
    String text = refusedInProcess("hub", "--config", config.toString(),
        "-netdev", "socket,id=a,listen=127.0.0.1:" + Ports.free());
    assertTrue(text.startsWith("fleetsim: --config " + config + ": 3: "), text);
  }

  @Test
  void hostNamesThatDoNotResolveAreSaidAsQemuSaysThem() throws Exception {
    int port = Ports.free();
    for (List<String> netdevs : List.of(
        List.of("-netdev", "socket,id=a,listen=nosuchhost.invalid:" + port),
        List.of("-netdev", "socket,id=a,connect=nosuchhost.invalid:" + port),
        // two stream netdevs on a hub are spliced: the connect is made another way
        List.of("-netdev", "socket,id=a,connect=nosuchhost.invalid:" + port,
            "-netdev", "socket,id=b,listen=127.0.0.1:" + Ports.free()))) {
      List<String> args = new java.util.ArrayList<>(List.of("hub"));
      args.addAll(netdevs);
      try (Fleetsim hub = Fleetsim.start(args.toArray(new String[0]))) {
        assertEquals(1, hub.awaitExit(Duration.ofSeconds(60)), hub.output());
        List<String> errors = hub.output().lines().filter(l -> !l.startsWith("netdev b:")).toList();
        assertEquals(List.of("fleetsim: -netdev " + netdevs.get(1) + ": can't resolve host address 'nosuchhost.invalid'"),
            errors, hub.output());
        assertOneLineInOurWords(errors.get(0));
      }
    }
  }
}
