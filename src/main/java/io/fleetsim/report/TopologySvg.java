package io.fleetsim.report;

import io.fleetsim.report.TopologyLayout.Kind;
import io.fleetsim.report.TopologyLayout.LinkEdge;
import io.fleetsim.report.TopologyLayout.NicEdge;
import io.fleetsim.report.TopologyLayout.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A drawing of a {@link Topology} as one SVG document: networks (switch or hub, with their QEMU
 * ports), fleets (a fleet of N drawn once, "× N"; routers as pills, hosts as boxes, each with its
 * first VM's address per NIC), a line per NIC and a thick line per link, labelled with its
 * latency, jitter, rate and loss. Plain SVG with presentation attributes only, no script and no
 * style sheet: it reads the same inline in report.html (where a {@code <style>} would leak into
 * the page) and as a file on its own (README's drawings). The same topology gives the same bytes.
 *
 * <p>It draws fleets, not VMs, so a 100,000-VM file is as small as a 10-VM one; beyond
 * {@link #MAX_NODES} boxes (a file with hundreds of fleets) it draws the first ones and says
 * how many it left out; long names are cut, whole in the box's tooltip.
 */
public final class TopologySvg {
  /** Boxes drawn at most: networks first, then fleets in file order. */
  public static final int MAX_NODES = 60;
  /** Characters of a name shown before it is cut with an ellipsis. */
  static final int MAX_NAME = 28;
  /** Address lines in a fleet's box, ports in a network's, before "+N more". */
  static final int MAX_LINES = 3;
  static final String FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
  static final String INK = "#1f2933";
  static final String MUTED = "#65758b";
  static final String LINK = "#7048e8";
  private static final double LEGEND_HEIGHT = 26;
  private static final double LEGEND_WIDTH = 470;

  private TopologySvg() {}

  /** The SVG document, starting at {@code <svg} and ending with a newline. */
  public static String render(Topology t) {
    Chosen c = choose(t);
    TopologyLayout l = TopologyLayout.of(c.nodes, c.nics, t.links(), c.networks);
    int linksLeft = t.links().size() - l.links.size();
    List<String> notes = new ArrayList<>();
    if (c.nodes.isEmpty()) {
      notes.add("no networks or fleets");
    }
    String left = omitted(t.fleets().size() - c.fleetsDrawn, "fleet", "fleets")
        + omitted(t.networks().size() - c.networksDrawn, "network", "networks")
        + omitted(linksLeft, "link", "links");
    if (!left.isEmpty()) {
      notes.add("not drawn: " + left.substring(2) + " (a drawing shows at most " + MAX_NODES + " boxes)");
    }
    double width = Math.ceil(Math.max(l.width, LEGEND_WIDTH));
    double notesTop = l.height;
    double legendTop = notesTop + notes.size() * 16;
    double height = Math.ceil(legendTop + LEGEND_HEIGHT);

    StringBuilder s = new StringBuilder(16 * 1024);
    String summary = "Topology: " + count(c.networksDrawn, "network", "networks") + ", "
        + count(c.fleetsDrawn, "fleet", "fleets") + ", " + count(l.links.size(), "link", "links");
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"fleetsim-topology\" width=\"")
        .append(n(width)).append("\" height=\"").append(n(height)).append("\" viewBox=\"0 0 ")
        .append(n(width)).append(' ').append(n(height)).append("\" role=\"img\" aria-label=\"")
        .append(esc(summary)).append("\" font-family=\"").append(FONT).append("\" font-size=\"12\" fill=\"")
        .append(INK).append("\">\n<title>").append(esc(summary)).append("</title>\n")
        .append("<rect class=\"background\" width=\"").append(n(width)).append("\" height=\"")
        .append(n(height)).append("\" fill=\"#ffffff\"/>\n");
    s.append("<g class=\"nics\" stroke=\"#9aa5b1\" stroke-width=\"1.5\">\n");
    for (NicEdge e : l.nics) {
      double[] a = clip(e.fleet(), e.network().x, e.network().y);
      double[] b = clip(e.network(), e.fleet().x, e.fleet().y);
      s.append("<line class=\"nic\" data-fleet=\"").append(esc(e.fleet().name)).append("\" data-network=\"")
          .append(esc(e.network().name)).append("\" x1=\"").append(n(a[0])).append("\" y1=\"").append(n(a[1]))
          .append("\" x2=\"").append(n(b[0])).append("\" y2=\"").append(n(b[1])).append("\"/>\n");
    }
    s.append("</g>\n<g class=\"nodes\">\n");
    for (Node node : l.nodes) {
      node(s, node);
    }
    s.append("</g>\n<g class=\"links\">\n");
    for (LinkEdge e : l.links) {
      link(s, e);
    }
    s.append("</g>\n");
    for (int i = 0; i < notes.size(); i++) {
      s.append("<text class=\"note\" x=\"").append(n(TopologyLayout.MARGIN)).append("\" y=\"")
          .append(n(notesTop + 12 + 16 * i)).append("\" font-size=\"11\" fill=\"").append(MUTED).append("\">")
          .append(esc(notes.get(i))).append("</text>\n");
    }
    legend(s, legendTop);
    s.append("</svg>\n");
    return s.toString();
  }

  /** What is drawn: nodes in layout order (networks, then fleets with any netdev of their own). */
  private static final class Chosen {
    final List<Node> nodes = new ArrayList<>();
    final List<NicEdge> nics = new ArrayList<>();
    /** Drawn networks (declared, or a netdev of a fleet's own) by name: a lookup. */
    final Map<String, Node> networks = new LinkedHashMap<>();
    int networksDrawn;
    int fleetsDrawn;
  }

  private static Chosen choose(Topology t) {
    Chosen c = new Chosen();
    int all = t.networks().size() + t.fleets().size();
    int networkBudget = all <= MAX_NODES ? t.networks().size()
        : Math.max(MAX_NODES / 2, MAX_NODES - t.fleets().size());
    Set<String> declared = new HashSet<>();
    t.networks().forEach(net -> declared.add(net.name()));
    for (Topology.Network net : t.networks()) {
      if (c.networksDrawn == networkBudget || c.networks.containsKey(net.name())) {
        continue; // over the budget, or a name given twice: one box
      }
      Node node = new Node(c.nodes.size(), Kind.NETWORK, net.name(), cut(net.name()), networkLines(net));
      c.nodes.add(node);
      c.networks.put(net.name(), node);
      c.networksDrawn++;
    }
    for (Topology.Fleet f : t.fleets()) {
      List<String> own = new ArrayList<>(); // netdevs of its own, drawn as boxes of their own
      for (Topology.Nic nic : f.nics()) {
        for (String net : nic.reaches()) {
          if (!declared.contains(net) && !c.networks.containsKey(net) && !own.contains(net)) {
            own.add(net);
          }
        }
      }
      if (c.nodes.size() + 1 + own.size() > MAX_NODES) {
        break; // the first fleets in file order, not a sample
      }
      for (String net : own) {
        Node node = new Node(c.nodes.size(), Kind.NETDEV, net, cut(netdevTitle(net)), netdevLines(net));
        c.nodes.add(node);
        c.networks.put(net, node);
      }
      Node fleet = new Node(c.nodes.size(), f.router() ? Kind.ROUTER : Kind.HOSTS, f.name(),
          cut(f.name()) + (f.count() > 1 ? " \u00d7 " + String.format(Locale.ROOT, "%,d", f.count()) : ""),
          fleetLines(f));
      c.nodes.add(fleet);
      c.fleetsDrawn++;
      Set<Node> joined = new HashSet<>();
      for (Topology.Nic nic : f.nics()) {
        for (String net : nic.reaches()) {
          Node network = c.networks.get(net);
          if (network != null && joined.add(network)) {
            c.nics.add(new NicEdge(fleet, network));
          }
        }
      }
    }
    return c;
  }

  private static List<String> networkLines(Topology.Network net) {
    List<String> lines = new ArrayList<>();
    if (!net.type().isEmpty()) {
      lines.add(cut(net.type()));
    }
    List<String> ports = net.ports();
    for (int i = 0; i < ports.size() && i < MAX_LINES - 1; i++) {
      lines.add("port " + cut(ports.get(i)));
    }
    if (ports.size() > MAX_LINES - 1) {
      lines.add("+" + (ports.size() - (MAX_LINES - 1)) + " more ports");
    }
    return lines;
  }

  private static String netdevTitle(String net) {
    return net.startsWith("netdev:") ? "netdev" : net;
  }

  private static List<String> netdevLines(String net) {
    return net.startsWith("netdev:") ? List.of(cut(net.substring("netdev:".length()))) : List.of("not declared");
  }

  private static List<String> fleetLines(Topology.Fleet f) {
    List<String> lines = new ArrayList<>();
    int shown = 0;
    for (Topology.Nic nic : f.nics()) {
      String line = nic.dhcp() ? "dhcp" : nic.ip();
      if (line.isEmpty()) {
        continue;
      }
      if (shown == MAX_LINES) {
        lines.add("+" + (f.nics().size() - shown) + " more NICs");
        break;
      }
      lines.add(cut(line));
      shown++;
    }
    return lines;
  }

  /** A link's label: its name, then latency (with jitter), rate and loss where it has them. */
  static List<String> linkLabel(Topology.Link link) {
    List<String> lines = new ArrayList<>();
    lines.add(cut(link.name()));
    if (link.latencyMillis().isPresent()) {
      String latency = millis(link.latencyMillis().getAsDouble());
      if (link.jitterMillis().isPresent() && link.jitterMillis().getAsDouble() != 0) {
        latency += " \u00b1 " + millis(link.jitterMillis().getAsDouble());
      }
      lines.add(latency);
    }
    if (link.rateBitsPerSecond().isPresent()) {
      lines.add(rate(link.rateBitsPerSecond().getAsLong()));
    }
    if (link.lossPercent().isPresent() && link.lossPercent().getAsDouble() != 0) {
      lines.add(Html.decimal(link.lossPercent().getAsDouble()) + " % loss");
    }
    return lines;
  }

  /** The widest line of a link's label, as {@link TopologyLayout} estimates text. */
  static double labelWidth(List<String> label) {
    double w = 0;
    for (int i = 0; i < label.size(); i++) {
      w = Math.max(w, i == 0 ? TopologyLayout.textWidth(label.get(i), TopologyLayout.LINK_NAME_PX, true)
          : TopologyLayout.textWidth(label.get(i), TopologyLayout.SMALL_PX, false));
    }
    return w;
  }

  static String millis(double ms) {
    return ms >= 1000 && ms % 1 == 0 ? Html.decimal(ms / 1000) + " s" : Html.decimal(ms) + " ms";
  }

  /** Link rates as files write them: "10 Mbit/s", "1.5 Gbit/s", "64 kbit/s". */
  static String rate(long bits) {
    String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
    double v = bits;
    int u = 0;
    while (Math.abs(v) >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return Html.decimal(v) + " " + units[u];
  }

  private static void node(StringBuilder s, Node node) {
    String cls = switch (node.kind) {
      case NETWORK -> "network";
      case NETDEV -> "network netdev";
      case HOSTS -> "fleet hosts";
      case ROUTER -> "fleet router";
    };
    String fill = switch (node.kind) {
      case NETWORK -> "#e8f0fe";
      case NETDEV -> "#f4f6f9";
      case HOSTS -> "#ffffff";
      case ROUTER -> "#fff4e6";
    };
    String stroke = switch (node.kind) {
      case NETWORK -> "#2563eb";
      case NETDEV -> MUTED;
      case HOSTS -> MUTED;
      case ROUTER -> "#e8590c";
    };
    double rx = node.kind == Kind.ROUTER ? node.height / 2 : node.kind == Kind.HOSTS ? 3 : 7;
    s.append("<g class=\"").append(cls).append("\" data-name=\"").append(esc(node.name)).append("\">")
        .append("<title>").append(esc(node.name)).append("</title>")
        .append("<rect x=\"").append(n(node.left())).append("\" y=\"").append(n(node.top()))
        .append("\" width=\"").append(n(node.width)).append("\" height=\"").append(n(node.height))
        .append("\" rx=\"").append(n(rx)).append("\" fill=\"").append(fill).append("\" stroke=\"")
        .append(stroke).append("\" stroke-width=\"").append(node.kind == Kind.ROUTER ? "2" : "1.3").append('"')
        .append(node.kind == Kind.NETDEV ? " stroke-dasharray=\"4 3\"" : "").append("/>");
    double baseline = node.top() + TopologyLayout.PAD_Y + 11.5;
    s.append("<text x=\"").append(n(node.x)).append("\" y=\"").append(n(baseline))
        .append("\" text-anchor=\"middle\" font-weight=\"600\">").append(esc(node.title)).append("</text>");
    for (int i = 0; i < node.lines.size(); i++) {
      s.append("<text x=\"").append(n(node.x)).append("\" y=\"")
          .append(n(baseline + TopologyLayout.TITLE_LINE - 1 + TopologyLayout.SMALL_LINE * i))
          .append("\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"").append(MUTED).append("\">")
          .append(esc(node.lines.get(i))).append("</text>");
    }
    s.append("</g>\n");
  }

  private static void link(StringBuilder s, LinkEdge e) {
    Node a = e.a();
    Node b = e.b();
    // the bend is sideways to the line between the centres; a link from a network to itself loops
    double dx = b.x - a.x;
    double dy = b.y - a.y;
    double length = StrictMath.hypot(dx, dy); // StrictMath: the same last bit on every JVM, so the same bytes
    double cx;
    double cy;
    double[] p;
    double[] q;
    if (length == 0) {
      cx = a.x;
      cy = a.top() - 40 - Math.abs(e.bend());
      p = new double[] {a.x - 12, a.top()};
      q = new double[] {a.x + 12, a.top()};
    } else {
      cx = (a.x + b.x) / 2 - dy / length * e.bend();
      cy = (a.y + b.y) / 2 + dx / length * e.bend();
      p = clip(a, cx, cy);
      q = clip(b, cx, cy);
    }
    // the curve's middle (t = 1/2 of the quadratic), where the label goes
    double mx = 0.25 * p[0] + 0.5 * cx + 0.25 * q[0];
    double my = 0.25 * p[1] + 0.5 * cy + 0.25 * q[1];
    s.append("<g class=\"link\" data-name=\"").append(esc(e.link().name())).append("\" data-between=\"")
        .append(esc(a.name)).append(' ').append(esc(b.name)).append("\"><title>").append(esc(e.link().name()))
        .append(": ").append(esc(a.name)).append(" &#x2013; ").append(esc(b.name)).append("</title>")
        .append("<path d=\"M").append(n(p[0])).append(' ').append(n(p[1])).append(" Q").append(n(cx)).append(' ')
        .append(n(cy)).append(' ').append(n(q[0])).append(' ').append(n(q[1]))
        .append("\" fill=\"none\" stroke=\"").append(LINK).append("\" stroke-width=\"3.5\" stroke-linecap=\"round\"/>");
    List<String> label = e.label();
    boolean across = Math.abs(q[0] - p[0]) >= Math.abs(q[1] - p[1]);
    // along a horizontal line: the name above it, the properties below; else beside it
    double x = across ? mx : mx + 8;
    double y = across ? my - 6 : my - (label.size() * 13) / 2.0 + 9;
    String anchor = across ? "middle" : "start";
    s.append("<text class=\"link-label\" x=\"").append(n(x)).append("\" y=\"").append(n(y))
        .append("\" text-anchor=\"").append(anchor)
        .append("\" font-size=\"10.5\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\">");
    for (int i = 0; i < label.size(); i++) {
      double ly = across ? (i == 0 ? y : my + 6 + 11 * i) : y + 13 * i;
      s.append("<tspan x=\"").append(n(x)).append("\" y=\"").append(n(ly)).append('"')
          .append(i == 0 ? " font-weight=\"700\" font-size=\"11\" fill=\"" + LINK + "\"" : "").append('>')
          .append(esc(label.get(i))).append("</tspan>");
    }
    s.append("</text></g>\n");
  }

  private static void legend(StringBuilder s, double top) {
    double y = top + 6;
    double x = TopologyLayout.MARGIN;
    s.append("<g class=\"legend\" font-size=\"10.5\" fill=\"").append(MUTED).append("\">");
    s.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"22\" height=\"13\" rx=\"4\" fill=\"#e8f0fe\" stroke=\"#2563eb\"/>")
        .append("<text x=\"").append(n(x + 28)).append("\" y=\"").append(n(y + 10.5)).append("\">network (switch, hub)</text>");
    x += 160;
    s.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"22\" height=\"13\" rx=\"2\" fill=\"#ffffff\" stroke=\"")
        .append(MUTED).append("\"/>")
        .append("<text x=\"").append(n(x + 28)).append("\" y=\"").append(n(y + 10.5)).append("\">").append(esc("fleet (\u00d7 VMs)")).append("</text>");
    x += 104;
    s.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"22\" height=\"13\" rx=\"6.5\" fill=\"#fff4e6\" stroke=\"#e8590c\" stroke-width=\"2\"/>")
        .append("<text x=\"").append(n(x + 28)).append("\" y=\"").append(n(y + 10.5)).append("\">router</text>");
    x += 80;
    s.append("<line x1=\"").append(n(x)).append("\" y1=\"").append(n(y + 6.5)).append("\" x2=\"").append(n(x + 22))
        .append("\" y2=\"").append(n(y + 6.5)).append("\" stroke=\"").append(LINK).append("\" stroke-width=\"3.5\"/>")
        .append("<text x=\"").append(n(x + 28)).append("\" y=\"").append(n(y + 10.5)).append("\">link</text>");
    s.append("</g>\n");
  }

  /** Where the line from {@code node}'s centre towards (tx, ty) leaves its box (a router's pill). */
  private static double[] clip(Node node, double tx, double ty) {
    double dx = tx - node.x;
    double dy = ty - node.y;
    if (dx == 0 && dy == 0) {
      return new double[] {node.x, node.y};
    }
    double hw = node.width / 2;
    double hh = node.height / 2;
    double t = Math.min(dx == 0 ? Double.MAX_VALUE : hw / Math.abs(dx), dy == 0 ? Double.MAX_VALUE : hh / Math.abs(dy));
    if (node.kind == Kind.ROUTER) {
      double flat = hw - hh; // half the straight part of the pill
      if (Math.abs(dx * t) > flat) {
        // through the round end: the far root of |t d - (+-flat, 0)| = hh
        double ox = Math.signum(dx) * flat;
        double a = dx * dx + dy * dy;
        double b = -2 * dx * ox;
        double c = ox * ox - hh * hh;
        t = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
      }
    }
    return new double[] {node.x + dx * t, node.y + dy * t};
  }

  private static String omitted(int n, String one, String many) {
    return n > 0 ? ", " + count(n, one, many) : "";
  }

  private static String count(int n, String one, String many) {
    return String.format(Locale.ROOT, "%,d", n) + " " + (n == 1 ? one : many);
  }

  /** A name as shown in a box: at most {@link #MAX_NAME} characters, then an ellipsis. */
  static String cut(String s) {
    return s.codePointCount(0, s.length()) <= MAX_NAME ? s
        : s.substring(0, s.offsetByCodePoints(0, MAX_NAME - 1)) + "\u2026";
  }

  /** A coordinate to a tenth, without a trailing ".0": the same double always writes the same. */
  static String n(double v) {
    long tenths = Math.round(v * 10);
    long whole = tenths / 10;
    long frac = Math.abs(tenths % 10);
    String sign = tenths < 0 && whole == 0 ? "-" : "";
    return frac == 0 ? Long.toString(whole) : sign + whole + "." + frac;
  }

  /**
   * Text for XML: escaped as HTML is ({@link Html#esc}), characters XML 1.0 cannot carry
   * (controls, lone surrogates) replaced, so that any name leaves the document well-formed, and
   * everything beyond ASCII as a character reference: the drawing's bytes are the same whatever
   * encoding the console or file they go to has.
   */
  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    String html = Html.esc(s);
    for (int i = 0; i < html.length(); ) {
      int cp = html.codePointAt(i);
      i += Character.charCount(cp);
      boolean xml = cp == '\t' || cp == '\n' || cp == '\r' || cp >= 0x20 && cp < 0xd800
          || cp >= 0xe000 && cp <= 0xfffd || cp >= 0x10000 && cp <= 0x10ffff;
      if (!xml) {
        cp = 0xfffd;
      }
      if (cp < 0x80) {
        out.append((char) cp);
      } else {
        out.append("&#x").append(Integer.toHexString(cp)).append(';');
      }
    }
    return out.toString();
  }
}
