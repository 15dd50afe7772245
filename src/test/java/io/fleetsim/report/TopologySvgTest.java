package io.fleetsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The topology drawing from handcrafted topology sections (the two examples' shapes, and worse). */
class TopologySvgTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SVG_NS = "http://www.w3.org/2000/svg";

  static JsonNode fixture(String name) throws IOException {
    try (InputStream in = TopologySvgTest.class.getResourceAsStream("topology-" + name + ".json")) {
      return JSON.readTree(in);
    }
  }

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    // a parse error (not well-formed) throws here
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  /** Elements of {@code tag} whose class list holds {@code cls}, in document order. */
  static List<Element> byClass(Document d, String tag, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList all = d.getElementsByTagNameNS(SVG_NS, tag);
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        out.add(e);
      }
    }
    return out;
  }

  static List<String> names(List<Element> elements) {
    return elements.stream().map(e -> e.getAttribute("data-name")).toList();
  }

  /** A box of the drawing: its rect's place. */
  record Box(String name, double x, double y, double w, double h) {
    double cx() {
      return x + w / 2;
    }

    double cy() {
      return y + h / 2;
    }

    boolean overlaps(Box o) {
      return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
  }

  static List<Box> boxes(Document d) {
    List<Box> out = new ArrayList<>();
    for (String cls : List.of("network", "fleet")) {
      for (Element g : byClass(d, "g", cls)) {
        Element r = (Element) g.getElementsByTagNameNS(SVG_NS, "rect").item(0);
        out.add(new Box(g.getAttribute("data-name"), num(r, "x"), num(r, "y"), num(r, "width"), num(r, "height")));
      }
    }
    return out;
  }

  private static double num(Element e, String attr) {
    return Double.parseDouble(e.getAttribute(attr));
  }

  @Test
  void twoSitesDrawsEveryNetworkFleetNicAndLink() throws Exception {
    Document d = parse(TopologySvg.render(Topology.of(fixture("two-sites"))));
    assertEquals(SVG_NS, d.getDocumentElement().getNamespaceURI());
    assertEquals("svg", d.getDocumentElement().getLocalName());
    assertEquals(List.of("site-a", "wan-a", "wan-b", "site-b"), names(byClass(d, "g", "network")));
    assertEquals(List.of("r-a", "r-b"), names(byClass(d, "g", "router")));
    assertEquals(List.of("hosts-a", "hosts-b"), names(byClass(d, "g", "hosts")));
    assertEquals(List.of("wan"), names(byClass(d, "g", "link")));
    Set<String> nics = new LinkedHashSet<>();
    byClass(d, "line", "nic").forEach(l -> nics.add(l.getAttribute("data-fleet") + ">" + l.getAttribute("data-network")));
    assertEquals(Set.of("r-a>site-a", "r-a>wan-a", "r-b>site-b", "r-b>wan-b", "hosts-a>site-a", "hosts-b>site-b"), nics);
    assertEquals("wan-a wan-b", byClass(d, "g", "link").get(0).getAttribute("data-between"));
    // a fleet of 4 once, "x 4"; each NIC's address; the link's standing properties; the port
    String text = d.getDocumentElement().getTextContent();
    for (String shown : List.of("hosts-a \u00d7 4", "10.1.0.10/24", "10.9.0.1/30", "40 ms \u00b1 5 ms", "10 Mbit/s",
        "0.1 % loss", "port ext1")) {
      assertTrue(text.contains(shown), shown + " in " + text);
    }
    assertFalse(text.contains("r-a \u00d7"), "a fleet of one has no count");
  }

  @Test
  void leafSpineDrawsTheLeafFleetOnceWithANicToEveryRack() throws Exception {
    Document d = parse(TopologySvg.render(Topology.of(fixture("leaf-spine"))));
    assertEquals(List.of("rack-1", "rack-2", "rack-3", "rack-4", "spine", "service"), names(byClass(d, "g", "network")));
    assertEquals(List.of("leaf"), names(byClass(d, "g", "router")).subList(0, 1));
    List<String> leafNics = byClass(d, "line", "nic").stream().filter(l -> l.getAttribute("data-fleet").equals("leaf"))
        .map(l -> l.getAttribute("data-network")).toList();
    assertEquals(List.of("rack-1", "rack-2", "rack-3", "rack-4", "spine"), leafNics);
    assertTrue(d.getDocumentElement().getTextContent().contains("leaf \u00d7 4"));
  }

  /** A chain reads left to right: two sites over a WAN are one row in the file's order. */
  @Test
  void aChainIsOneRowFromOneSiteToTheOther() throws Exception {
    List<Box> boxes = new ArrayList<>(boxes(parse(TopologySvg.render(Topology.of(fixture("two-sites"))))));
    boxes.sort(Comparator.comparingDouble(Box::cx));
    assertEquals(List.of("hosts-a", "site-a", "r-a", "wan-a", "wan-b", "r-b", "site-b", "hosts-b"),
        boxes.stream().map(Box::name).toList());
    for (Box b : boxes) {
      assertEquals(boxes.get(0).cy(), b.cy(), 0.05, b.name() + " on the row");
    }
  }

  /** Routers are pills, hosts boxes with small corners: drawn differently. */
  @Test
  void routersAreDrawnUnlikeHosts() throws Exception {
    Document d = parse(TopologySvg.render(Topology.of(fixture("two-sites"))));
    Element router = (Element) byClass(d, "g", "router").get(0).getElementsByTagNameNS(SVG_NS, "rect").item(0);
    Element hosts = (Element) byClass(d, "g", "hosts").get(0).getElementsByTagNameNS(SVG_NS, "rect").item(0);
    assertEquals(num(router, "height") / 2, num(router, "rx"), 0.05);
    assertTrue(num(hosts, "rx") < 5, hosts.getAttribute("rx"));
    assertFalse(router.getAttribute("fill").equals(hosts.getAttribute("fill")));
  }

  @Test
  void theSameTopologyGivesTheSameBytes() throws Exception {
    for (String name : List.of("two-sites", "leaf-spine")) {
      String once = TopologySvg.render(Topology.of(fixture(name)));
      String again = TopologySvg.render(Topology.of(JSON.readTree(fixture(name).toString())));
      assertEquals(once, again, name);
    }
    Topology random = Topology.of(randomTopology(7));
    assertEquals(TopologySvg.render(random), TopologySvg.render(Topology.of(randomTopology(7))));
  }

  static final String HOSTILE = "<script>alert('x')</script>&\"";

  /** Names are user input: escaped, and characters XML cannot hold replaced; the file stays well-formed. */
  @Test
  void everyNameIsEscaped() throws Exception {
    ObjectNode t = JSON.createObjectNode();
    String controls = "a\u0001b\ud800c";
    t.putArray("networks").addObject().put("name", HOSTILE).put("type", "<b>switch</b>").putArray("ports").add("p&<1>");
    t.withArray("networks").addObject().put("name", controls).put("type", "hub");
    ObjectNode f = t.putArray("fleets").addObject().put("name", HOSTILE + "-vm").put("count", 2).put("router", true);
    f.putArray("nics").addObject().put("network", HOSTILE).put("ip", "<ip>").put("dhcp", false);
    f.withArray("nics").addObject().put("network", controls).put("ip", "10.0.0.1/24");
    ObjectNode l = t.putArray("links").addObject().put("name", "</svg>" + HOSTILE).put("latencyMillis", 1.0);
    l.putArray("between").add(HOSTILE).add(controls);
    String svg = TopologySvg.render(Topology.of(t));
    Document d = parse(svg);
    assertEquals(0, d.getElementsByTagNameNS("*", "script").getLength());
    assertEquals(0, d.getElementsByTagNameNS("*", "b").getLength());
    assertEquals(List.of(HOSTILE, "a\ufffdb\ufffdc"), names(byClass(d, "g", "network")));
    assertEquals(List.of(HOSTILE + "-vm"), names(byClass(d, "g", "fleet")));
    assertEquals(List.of("</svg>" + HOSTILE), names(byClass(d, "g", "link")));
    assertEquals(2, byClass(d, "line", "nic").size());
    assertTrue(d.getDocumentElement().getTextContent().contains("port p&<1>"));
    assertFalse(svg.contains("<script"), svg);
  }

  /** It draws fleets, not VMs: 100,000 VMs are one box; hundreds of fleets are cut, and it says so. */
  @Test
  void aBigFleetOrManyFleetsStaySmall() throws Exception {
    ObjectNode t = (ObjectNode) fixture("two-sites");
    ((ObjectNode) t.get("fleets").get(2)).put("count", 100_000);
    String one = TopologySvg.render(Topology.of(t));
    assertTrue(parse(one).getDocumentElement().getTextContent().contains("hosts-a \u00d7 100,000"));
    assertTrue(one.length() < 12_000, one.length() + " bytes");

    ObjectNode many = JSON.createObjectNode();
    many.putArray("networks").addObject().put("name", "dc").put("type", "switch");
    ArrayNode fleets = many.putArray("fleets");
    for (int i = 0; i < 500; i++) {
      fleets.addObject().put("name", "f" + i).put("count", 200).putArray("nics").addObject()
          .put("network", "dc").put("ip", "10." + i / 250 + "." + i % 250 + ".1/24");
    }
    String svg = TopologySvg.render(Topology.of(many));
    Document d = parse(svg);
    assertEquals(TopologySvg.MAX_NODES, boxes(d).size());
    assertEquals("f0", names(byClass(d, "g", "fleet")).get(0), "the first fleets of the file");
    assertTrue(d.getDocumentElement().getTextContent().contains("not drawn: 441 fleets"),
        d.getDocumentElement().getTextContent());
    assertTrue(svg.length() < 60_000, svg.length() + " bytes");
  }

  /** Long names are cut in the box (whole in its tooltip and data-name): boxes stay narrow. */
  @Test
  void longNamesAreCut() throws Exception {
    ObjectNode t = (ObjectNode) fixture("two-sites");
    String longName = "x".repeat(500);
    ((ObjectNode) t.get("networks").get(0)).put("name", longName);
    Document d = parse(TopologySvg.render(Topology.of(t)));
    Box box = boxes(d).get(0);
    assertEquals(longName, box.name());
    assertTrue(box.w() < 300, "width " + box.w());
  }

  /** Readable: no two boxes overlap, every box and label lies inside the drawing. */
  @Test
  void boxesNeverOverlapAndStayInside() throws Exception {
    List<JsonNode> cases = new ArrayList<>(List.of(fixture("two-sites"), fixture("leaf-spine"), quickstart()));
    for (int seed = 1; seed <= 40; seed++) {
      cases.add(randomTopology(seed));
    }
    for (JsonNode c : cases) {
      Document d = parse(TopologySvg.render(Topology.of(c)));
      double width = num(d.getDocumentElement(), "width");
      double height = num(d.getDocumentElement(), "height");
      List<Box> boxes = boxes(d);
      for (int i = 0; i < boxes.size(); i++) {
        Box b = boxes.get(i);
        assertTrue(b.x() >= 0 && b.y() >= 0 && b.x() + b.w() <= width && b.y() + b.h() <= height,
            b + " inside " + width + "x" + height + " in " + c);
        for (int j = i + 1; j < boxes.size(); j++) {
          assertFalse(b.overlaps(boxes.get(j)), b + " overlaps " + boxes.get(j) + " in " + c);
        }
      }
    }
  }

  /** A link's label sits between the two networks it joins, clear of their boxes. */
  @Test
  void theLinkLabelFitsBetweenItsNetworks() throws Exception {
    Document d = parse(TopologySvg.render(Topology.of(fixture("two-sites"))));
    List<Box> boxes = boxes(d);
    Box a = boxes.stream().filter(b -> b.name().equals("wan-a")).findFirst().orElseThrow();
    Box b = boxes.stream().filter(x -> x.name().equals("wan-b")).findFirst().orElseThrow();
    Element label = byClass(d, "text", "link-label").get(0);
    List<String> lines = new ArrayList<>();
    NodeList spans = label.getElementsByTagNameNS(SVG_NS, "tspan");
    for (int i = 0; i < spans.getLength(); i++) {
      lines.add(spans.item(i).getTextContent());
    }
    assertEquals(List.of("wan", "40 ms \u00b1 5 ms", "10 Mbit/s", "0.1 % loss"), lines);
    // as wide as the layout estimates it (TopologyBrowserTest measures it in a browser)
    double half = TopologySvg.labelWidth(lines) / 2;
    double x = num(label, "x");
    assertTrue(x - half >= a.x() + a.w() && x + half <= b.x(), "label at " + x + " +- " + half + " between " + a + " and " + b);
  }

  @Test
  void anEmptyTopologySaysSo() throws Exception {
    Document d = parse(TopologySvg.render(Topology.of(JSON.createObjectNode())));
    assertTrue(d.getDocumentElement().getTextContent().contains("no networks or fleets"));
    // and odd input is drawn as what is there, never an exception
    parse(TopologySvg.render(Topology.of(JSON.readTree("{\"networks\": 3, \"fleets\": [1, {\"nics\": [null]}],"
        + " \"links\": [{\"between\": [\"a\"]}]}"))));
  }

  static JsonNode quickstart() {
    ObjectNode t = JSON.createObjectNode();
    t.putArray("networks").addObject().put("name", "lan").put("type", "switch").putArray("ports").add("ext1");
    ArrayNode fleets = t.putArray("fleets");
    fleets.addObject().put("name", "pinger").put("count", 1).putArray("nics").addObject().put("network", "lan")
        .put("ip", "10.0.0.1/24");
    fleets.addObject().put("name", "web").put("count", 3).putArray("nics").addObject().put("network", "lan")
        .put("ip", "10.0.0.2/24");
    return t;
  }

  /** Networks, fleets with 1-3 NICs, links (parallel ones and cycles too), from a seed. */
  static JsonNode randomTopology(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ObjectNode t = JSON.createObjectNode();
    int networks = 1 + r.nextInt(12);
    ArrayNode nets = t.putArray("networks");
    for (int i = 0; i < networks; i++) {
      nets.addObject().put("name", "net-" + i + "x".repeat(r.nextInt(12))).put("type", r.nextBoolean() ? "switch" : "hub");
    }
    ArrayNode fleets = t.putArray("fleets");
    int count = r.nextInt(20);
    for (int i = 0; i < count; i++) {
      ObjectNode f = fleets.addObject().put("name", "fleet-" + i).put("count", 1 + r.nextInt(2000))
          .put("router", r.nextInt(3) == 0);
      ArrayNode nics = f.putArray("nics");
      int n = 1 + r.nextInt(3);
      for (int k = 0; k < n; k++) {
        nics.addObject().put("network", r.nextInt(10) == 0 ? "netdev:socket,id=n" + i
            : nets.get(r.nextInt(networks)).get("name").asText()).put("ip", "10." + i + "." + k + ".1/24");
      }
    }
    ArrayNode links = t.putArray("links");
    int l = networks > 1 ? r.nextInt(networks + 1) : 0;
    for (int i = 0; i < l; i++) {
      int a = r.nextInt(networks);
      int b = (a + 1 + r.nextInt(networks - 1)) % networks;
      ObjectNode link = links.addObject().put("name", "link-" + i).put("latencyMillis", r.nextInt(100))
          .put("rateBitsPerSecond", 1_000_000L * (1 + r.nextInt(1000))).put("lossPercent", r.nextInt(3) * 0.5);
      link.putArray("between").add(nets.get(a).get("name").asText()).add(nets.get(b).get("name").asText());
    }
    return t;
  }
}
