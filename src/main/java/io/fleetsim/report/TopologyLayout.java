package io.fleetsim.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where {@link TopologySvg} puts each box: a layered drawing in columns, computed from the
 * topology alone (same input, same coordinates; only lists and insertion-ordered maps decide).
 *
 * <p>Networks and fleets are the nodes, NICs (fleet to network) and links (network to network)
 * the edges. Each connected part is laid out on its own: its centre (the node closest to all
 * others, the first in the file on a tie) is column 0, and a breadth-first tree from it puts
 * every node one column further out than the one it was reached from, the centre's branches
 * shared out to the left and the right. So a chain (two sites over a WAN) reads left to right,
 * a tree (a spine, its leaves, their racks) fans out from its middle. In a column, each subtree
 * gets a band of its own and a node sits in the middle of its children: a tree draws without
 * crossings, and a cycle adds the odd diagonal edge. Text widths are estimated per character
 * ({@link #textWidth}: no font at hand), generously.
 */
final class TopologyLayout {
  /** Font sizes: a box's title (bold), its small lines, a link's name (bold). */
  static final double TITLE_PX = 12;
  static final double SMALL_PX = 10.5;
  static final double LINK_NAME_PX = 11;
  static final double TITLE_LINE = 15;
  static final double SMALL_LINE = 13;
  static final double PAD_X = 9;
  static final double PAD_Y = 6;
  static final double MIN_WIDTH = 56;
  /** Between columns, at least (a link's label may ask for more), and between sibling bands. */
  static final double COLUMN_GAP = 46;
  static final double BAND_GAP = 14;
  static final double PART_GAP = 28;
  static final double MARGIN = 12;

  enum Kind { NETWORK, NETDEV, HOSTS, ROUTER }

  /** One box: its title (already cut), the lines under it, its centre and size once laid out. */
  static final class Node {
    final int id;
    final Kind kind;
    /** The name as given (for data attributes and the tooltip). */
    final String name;
    final String title;
    final List<String> lines;
    final double width;
    final double height;
    double x;
    double y;
    int column;

    Node(int id, Kind kind, String name, String title, List<String> lines) {
      this.id = id;
      this.kind = kind;
      this.name = name;
      this.title = title;
      this.lines = List.copyOf(lines);
      double w = textWidth(title, TITLE_PX, true);
      for (String l : lines) {
        w = Math.max(w, textWidth(l, SMALL_PX, false));
      }
      this.width = Math.ceil(Math.max(MIN_WIDTH, w + 2 * PAD_X) + (kind == Kind.ROUTER ? 12 : 0));
      this.height = 2 * PAD_Y + TITLE_LINE + SMALL_LINE * lines.size();
    }

    double left() {
      return x - width / 2;
    }

    double top() {
      return y - height / 2;
    }
  }

  /** A fleet's NIC on a network. */
  record NicEdge(Node fleet, Node network) {}

  /**
   * A link between two networks; {@code bend} is the sideways offset of the curve's middle
   * (0 for the first link between two networks, then +-28, +-56 for parallel ones).
   */
  record LinkEdge(Topology.Link link, Node a, Node b, double bend, List<String> label) {}

  /**
   * How wide {@code text} is at {@code px}, from advance widths close to DejaVu Sans' (the
   * widest of the usual sans-serif fonts, Chromium's on Linux), bold ones a tenth wider, plus 5%:
   * narrow letters (i, l, t, -) count less than wide ones (m, w, capitals), anything beyond
   * Latin a whole em. Measured in Chromium by TopologyBrowserTest, whose boxes must hold their text.
   */
  static double textWidth(String text, double px, boolean bold) {
    double em = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      em += advance(c);
    }
    return em * px * (bold ? 1.1 : 1) * 1.05;
  }

  private static double advance(int c) {
    if (c == 'm') {
      return 0.98;
    }
    if (c == 'w') {
      return 0.82;
    }
    if (c == 'M' || c == 'W' || c == '@' || c == '%') {
      return 1.0;
    }
    if ("ijlI!|',.:;".indexOf(c) >= 0) {
      return 0.3;
    }
    if ("ftr-/()[]{} ".indexOf(c) >= 0) {
      return 0.42;
    }
    if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '=' || c == '+' || c == '?') {
      return 0.64;
    }
    if (c >= 'A' && c <= 'Z' || c == '&' || c == '#') {
      return 0.78;
    }
    return c < 0x80 ? 0.64 : 1.0;
  }

  final List<Node> nodes = new ArrayList<>();
  final List<NicEdge> nics = new ArrayList<>();
  final List<LinkEdge> links = new ArrayList<>();
  double width;
  double height;

  /** Lays out what {@link TopologySvg} chose to draw: networks, the fleets, links among them. */
  static TopologyLayout of(List<Node> nodes, List<NicEdge> nics, List<Topology.Link> links,
      Map<String, Node> networksByName) {
    TopologyLayout l = new TopologyLayout();
    l.nodes.addAll(nodes);
    l.nics.addAll(nics);
    Map<String, Integer> parallel = new HashMap<>(); // a lookup: counts per unordered pair
    for (Topology.Link link : links) {
      Node a = networksByName.get(link.a());
      Node b = networksByName.get(link.b());
      if (a == null || b == null) {
        continue;
      }
      String pair = Math.min(a.id, b.id) + "-" + Math.max(a.id, b.id);
      int k = parallel.merge(pair, 1, Integer::sum) - 1;
      double bend = k == 0 ? 0 : (k % 2 == 1 ? 1 : -1) * 28 * ((k + 1) / 2);
      l.links.add(new LinkEdge(link, a, b, bend, TopologySvg.linkLabel(link)));
    }
    l.place();
    return l;
  }

  private void place() {
    int n = nodes.size();
    List<Set<Integer>> adjacent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      adjacent.add(new LinkedHashSet<>());
    }
    for (NicEdge e : nics) {
      adjacent.get(e.fleet().id).add(e.network().id);
      adjacent.get(e.network().id).add(e.fleet().id);
    }
    for (LinkEdge e : links) {
      if (e.a() != e.b()) {
        adjacent.get(e.a().id).add(e.b().id);
        adjacent.get(e.b().id).add(e.a().id);
      }
    }
    boolean[] seen = new boolean[n];
    double top = MARGIN;
    List<List<Node>> parts = new ArrayList<>();
    List<double[]> extents = new ArrayList<>();
    for (int start = 0; start < n; start++) {
      if (seen[start]) {
        continue;
      }
      List<Integer> part = reach(start, adjacent);
      part.forEach(i -> seen[i] = true);
      double[] size = placePart(part, adjacent);
      List<Node> members = new ArrayList<>();
      part.forEach(i -> members.add(nodes.get(i)));
      parts.add(members);
      extents.add(size);
      width = Math.max(width, size[0]);
    }
    // one part under the other, each centred
    for (int p = 0; p < parts.size(); p++) {
      double dx = MARGIN + (width - extents.get(p)[0]) / 2;
      for (Node node : parts.get(p)) {
        node.x += dx;
        node.y += top;
      }
      top += extents.get(p)[1] + PART_GAP;
    }
    width += 2 * MARGIN;
    height = parts.isEmpty() ? 2 * MARGIN : top - PART_GAP + MARGIN;
  }

  /** Node ids reachable from {@code start}, in breadth-first order. */
  private static List<Integer> reach(int start, List<Set<Integer>> adjacent) {
    List<Integer> out = new ArrayList<>();
    Set<Integer> seen = new LinkedHashSet<>(List.of(start));
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      int i = queue.poll();
      out.add(i);
      for (int j : adjacent.get(i)) {
        if (seen.add(j)) {
          queue.add(j);
        }
      }
    }
    return out;
  }

  /** Lays out one connected part from (0, 0); returns its width and height. */
  private double[] placePart(List<Integer> part, List<Set<Integer>> adjacent) {
    int root = centre(part, adjacent);
    // the breadth-first tree from the centre: each node's children in the order they were reached
    Map<Integer, List<Integer>> children = new LinkedHashMap<>();
    Map<Integer, Integer> depth = new HashMap<>();
    depth.put(root, 0);
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(root));
    while (!queue.isEmpty()) {
      int i = queue.poll();
      children.put(i, new ArrayList<>());
      for (int j : adjacent.get(i)) {
        if (!depth.containsKey(j)) {
          depth.put(j, depth.get(i) + 1);
          children.get(i).add(j);
          queue.add(j);
        }
      }
    }
    Map<Integer, Double> extent = new HashMap<>();
    subtreeExtent(root, children, extent);
    // the centre's branches to the left and right, each to the lighter side so far (ties: left)
    List<Integer> left = new ArrayList<>();
    List<Integer> right = new ArrayList<>();
    double leftSize = 0;
    double rightSize = 0;
    for (int c : children.get(root)) {
      if (leftSize <= rightSize) {
        left.add(c);
        leftSize += extent.get(c) + BAND_GAP;
      } else {
        right.add(c);
        rightSize += extent.get(c) + BAND_GAP;
      }
    }
    Node centre = nodes.get(root);
    centre.column = 0;
    double bandL = band(left, extent);
    double bandR = band(right, extent);
    double total = Math.max(centre.height, Math.max(bandL, bandR));
    centre.y = total / 2;
    stack(left, (total - bandL) / 2, -1, children, extent);
    stack(right, (total - bandR) / 2, 1, children, extent);
    return new double[] {columnsX(part), total};
  }

  /**
   * x of every column of the part, from its widest box and the labels of links across the gap;
   * returns the part's width.
   */
  private double columnsX(List<Integer> part) {
    TreeMap<Integer, Double> widths = new TreeMap<>();
    for (int i : part) {
      Node node = nodes.get(i);
      widths.merge(node.column, node.width, Math::max);
    }
    TreeMap<Integer, Double> gaps = new TreeMap<>(); // gap after column c
    for (LinkEdge e : links) {
      int ca = e.a().column;
      int cb = e.b().column;
      if (Math.abs(ca - cb) == 1 && part.contains(e.a().id)) {
        gaps.merge(Math.min(ca, cb), TopologySvg.labelWidth(e.label()) + 14, Math::max);
      }
    }
    Map<Integer, Double> centres = new HashMap<>();
    double x = 0;
    for (Map.Entry<Integer, Double> c : widths.entrySet()) {
      centres.put(c.getKey(), x + c.getValue() / 2);
      x += c.getValue() + Math.max(COLUMN_GAP, gaps.getOrDefault(c.getKey(), 0.0));
    }
    for (int i : part) {
      nodes.get(i).x = centres.get(nodes.get(i).column);
    }
    return x - Math.max(COLUMN_GAP, gaps.getOrDefault(widths.lastKey(), 0.0));
  }

  /** The node whose farthest node is nearest (the first of the part's order on a tie). */
  private static int centre(List<Integer> part, List<Set<Integer>> adjacent) {
    int best = part.get(0);
    int bestEccentricity = Integer.MAX_VALUE;
    List<Integer> byId = new ArrayList<>(part);
    byId.sort(null);
    for (int i : byId) {
      int e = eccentricity(i, adjacent);
      if (e < bestEccentricity) {
        best = i;
        bestEccentricity = e;
      }
    }
    return best;
  }

  private static int eccentricity(int start, List<Set<Integer>> adjacent) {
    int[] dist = new int[adjacent.size()];
    Arrays.fill(dist, -1);
    dist[start] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
    int max = 0;
    while (!queue.isEmpty()) {
      int i = queue.poll();
      max = Math.max(max, dist[i]);
      for (int j : adjacent.get(i)) {
        if (dist[j] < 0) {
          dist[j] = dist[i] + 1;
          queue.add(j);
        }
      }
    }
    return max;
  }

  /** The height a node's subtree takes: its own box, or its children's bands one under another. */
  private double subtreeExtent(int i, Map<Integer, List<Integer>> children, Map<Integer, Double> extent) {
    double kids = 0;
    for (int c : children.get(i)) {
      kids += subtreeExtent(c, children, extent);
    }
    kids += BAND_GAP * Math.max(0, children.get(i).size() - 1);
    double e = Math.max(nodes.get(i).height, kids);
    extent.put(i, e);
    return e;
  }

  private static double band(List<Integer> members, Map<Integer, Double> extent) {
    double b = 0;
    for (int m : members) {
      b += extent.get(m);
    }
    return b + BAND_GAP * Math.max(0, members.size() - 1);
  }

  /** Puts {@code members} one band under the other from {@code top}, one column outward. */
  private void stack(List<Integer> members, double top, int side, Map<Integer, List<Integer>> children,
      Map<Integer, Double> extent) {
    double y = top;
    for (int m : members) {
      placeSubtree(m, y, side, 1, children, extent);
      y += extent.get(m) + BAND_GAP;
    }
  }

  private void placeSubtree(int i, double top, int side, int depth, Map<Integer, List<Integer>> children,
      Map<Integer, Double> extent) {
    Node node = nodes.get(i);
    node.column = side * depth;
    List<Integer> kids = children.get(i);
    double e = extent.get(i);
    double kidsBand = band(kids, extent);
    double y = top + (e - kidsBand) / 2;
    for (int c : kids) {
      placeSubtree(c, y, side, depth + 1, children, extent);
      y += extent.get(c) + BAND_GAP;
    }
    double mid = kids.isEmpty() ? top + e / 2
        : (nodes.get(kids.get(0)).y + nodes.get(kids.get(kids.size() - 1)).y) / 2;
    // inside its own band, whatever its children's middle is
    node.y = Math.min(Math.max(mid, top + node.height / 2), top + e - node.height / 2);
  }
}
