package io.fleetsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Flattens nested counters into key paths ({@code nic.rx.frames}, {@code queues[0].depth}) for tables. */
final class KeyPaths {
  private KeyPaths() {}

  static Map<String, JsonNode> flatten(JsonNode node) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    walk("", node, out);
    return out;
  }

  private static void walk(String path, JsonNode node, Map<String, JsonNode> out) {
    if (node.isObject() && node.size() > 0) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        walk(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), out);
      }
    } else if (node.isArray() && node.size() > 0) {
      for (int i = 0; i < node.size(); i++) {
        walk(path + "[" + i + "]", node.get(i), out);
      }
    } else {
      out.put(path.isEmpty() ? "(value)" : path, node);
    }
  }
}
