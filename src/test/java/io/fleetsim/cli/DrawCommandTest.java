package io.fleetsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.testing.InProcessCli;
import io.fleetsim.testing.InProcessCli.Result;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code fleetsim draw FILE}: the report's drawing from a file that never ran; README's drawings are its output. */
class DrawCommandTest {
  /** README shows these; each must be what draw makes of its example today, so it cannot go stale. */
  static final List<String> DRAWN = List.of("two-sites", "leaf-spine");

  @Test
  void readmesDrawingsAreWhatDrawMakesOfTheExamples() throws Exception {
    for (String name : DRAWN) {
      Result r = InProcessCli.run("draw", "examples/" + name + ".conf");
      assertEquals(0, r.status(), r.all());
      assertEquals(r.stdout(), Files.readString(Path.of("docs/" + name + ".svg"), StandardCharsets.US_ASCII),
          "docs/" + name + ".svg is stale: bin/fleetsim draw examples/" + name + ".conf --output docs/" + name + ".svg");
      assertTrue(Files.readString(Path.of("README.md")).contains("](docs/" + name + ".svg)"), "README shows " + name);
    }
  }

  @Test
  void outputWritesWhatStdoutShows(@TempDir Path dir) throws Exception {
    Path svg = dir.resolve("q.svg");
    Result written = InProcessCli.run("draw", "examples/quickstart.conf", "--output", svg.toString());
    assertEquals(0, written.status(), written.all());
    assertEquals("", written.stdout());
    Result printed = InProcessCli.run("draw", "examples/quickstart.conf");
    assertEquals(printed.stdout(), Files.readString(svg));
    Document d = parse(printed.stdout());
    assertEquals("svg", d.getDocumentElement().getLocalName());
    assertEquals("Topology: 1 network, 2 fleets, 0 links", d.getDocumentElement().getAttribute("aria-label"));
    // ASCII only, whatever the console's encoding: the x of "web x 3" is a character reference
    assertTrue(printed.stdout().chars().allMatch(c -> c < 0x80));
    assertTrue(d.getDocumentElement().getTextContent().contains("web \u00d7 3"));
  }

  @Test
  void anInvalidFileIsRefusedAsValidateRefusesIt(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "name = a\nnetwroks {}\nvms { x { network = wan, dhcp = true } }\n");
    Path svg = dir.resolve("bad.svg");
    Result drawn = InProcessCli.run("draw", bad.toString(), "--output", svg.toString());
    Result validated = InProcessCli.run("validate", bad.toString());
    assertEquals(1, drawn.status());
    assertEquals(validated.stderr(), drawn.stderr());
    assertTrue(drawn.stderr().contains("bad.conf:2: netwroks: unknown key 'netwroks'"), drawn.all());
    assertFalse(drawn.stderr().contains("Exception"), drawn.all());
    assertEquals("", drawn.stdout());
    assertFalse(Files.exists(svg), "nothing written");

    Result missing = InProcessCli.run("draw", dir.resolve("nope.conf").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.stderr().startsWith("fleetsim: "), missing.all());
    Result folder = InProcessCli.run("draw", "examples/quickstart.conf", "--output", dir.toString());
    assertEquals(1, folder.status());
    assertEquals("fleetsim: --output: " + dir + " is a folder", folder.stderr().trim());
  }

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
