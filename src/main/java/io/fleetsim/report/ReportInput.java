package io.fleetsim.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What report.html is made from, taken one results.json entry at a time: the small sections
 * whole; of the arrays with an entry or more per VM ({@code workloads}, {@code links},
 * {@code vms}) only sums and the rows the tables show ({@link Rows}). So a report of 100,000 VMs
 * needs no more memory than one of 1,000, and results.json is never one tree.
 */
final class ReportInput {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Failed workloads the verdict banner names before "N more". */
  static final int VERDICT_LISTED = 10;

  /** Everything but the per-VM arrays. */
  private final ObjectNode sections = JsonNodeFactory.instance.objectNode();
  /** Results that are not an object (never results.json's): drawn as they are. */
  private JsonNode notAnObject;

  int judged;
  final List<JsonNode> failedListed = new ArrayList<>();
  int failedWorkloads;
  long pingsSent;
  long pingsAnswered;
  /** VMs with a failed workload: their counters are listed first. */
  private final Set<String> vmsFailed = new HashSet<>();
  private FleetSummary fleets;
  final WorkloadTables workloads = new WorkloadTables();
  final Rows<String[]> criteria = new Rows<>(Cells.MAX_ROWS);
  final Rows<JsonNode> links = new Rows<>(Cells.MAX_ROWS);
  boolean linkExtras;
  final Rows<JsonNode> vms = new Rows<>(Cells.MAX_ROWS);

  private ReportInput() {}

  /** From a results tree (tests, and results already in memory). */
  static ReportInput of(JsonNode results) {
    ReportInput in = new ReportInput();
    JsonNode r = results == null ? MissingNode.getInstance() : results;
    if (!r.isObject()) {
      in.notAnObject = r;
      return in;
    }
    r.fields().forEachRemaining(f -> {
      if (!isEntries(f.getKey(), f.getValue())) {
        in.section(f.getKey(), f.getValue());
      }
    });
    // in results.json's order, which the streamed file has too: fleets before what they add up
    for (String key : List.of("workloads", "links", "vms")) {
      if (isEntries(key, r.path(key))) {
        r.get(key).forEach(e -> in.entry(key, e));
      }
    }
    return in;
  }

  /** From a results.json file, one entry in memory at a time. */
  static ReportInput read(Path resultsJson) throws IOException {
    try (JsonParser p = JSON.createParser(resultsJson.toFile())) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return of(first == null ? MissingNode.getInstance() : tree(p));
      }
      ReportInput in = new ReportInput();
      boolean lookedForFleets = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (p.nextToken() == JsonToken.START_ARRAY && isEntries(key, JSON.createArrayNode())) {
          if (in.fleets == null && !lookedForFleets && !key.equals("vms")) {
            // the fleets add up workloads and links, so they are needed first; results.json
            // writes them first, another file may not
            lookedForFleets = true;
            JsonNode fleets = section(resultsJson, "fleets");
            if (!fleets.isMissingNode()) {
              in.section("fleets", fleets);
            }
          }
          while (p.nextToken() != JsonToken.END_ARRAY) {
            in.entry(key, tree(p));
          }
        } else {
          in.section(key, tree(p));
        }
      }
      return in;
    }
  }

  /** One top-level section of a results file, the rest skipped; missing when there is none. */
  private static JsonNode section(Path resultsJson, String key) throws IOException {
    try (JsonParser p = JSON.createParser(resultsJson.toFile())) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          boolean wanted = p.currentName().equals(key);
          p.nextToken();
          if (wanted) {
            return tree(p);
          }
          p.skipChildren();
        }
      }
      return MissingNode.getInstance();
    }
  }

  private static JsonNode tree(JsonParser p) throws IOException {
    JsonNode n = p.readValueAsTree();
    return n == null ? NullNode.getInstance() : n;
  }

  private static boolean isEntries(String key, JsonNode value) {
    return value.isArray() && (key.equals("workloads") || key.equals("links") || key.equals("vms"));
  }

  /** A top-level section other than the per-VM arrays; missing when the results have none. */
  JsonNode section(String key) {
    return sections.path(key);
  }

  /** The results themselves when they are not an object, else null. */
  JsonNode notAnObject() {
    return notAnObject;
  }

  FleetSummary fleets() {
    return fleets;
  }

  private void section(String key, JsonNode value) {
    sections.set(key, value);
    if (key.equals("fleets") && fleets == null) {
      fleets = FleetSummary.of(value);
    }
  }

  private void entry(String key, JsonNode e) {
    switch (key) {
      case "workloads" -> workload(e);
      case "links" -> link(e);
      default -> vm(e);
    }
  }

  private void workload(JsonNode w) {
    judged += w.path("success").isBoolean() ? 1 : 0;
    if (Cells.failed(w)) {
      failedWorkloads++;
      if (failedListed.size() < VERDICT_LISTED) {
        failedListed.add(w);
      }
      vmsFailed.add(w.path("vm").asText());
    }
    if (w.path("transmitted").isNumber()) {
      pingsSent += w.path("transmitted").asLong();
      pingsAnswered += w.path("received").asLong();
    }
    if (fleets != null) {
      fleets.workload(w);
    }
    workloads.add(w);
    ReportWriter.criteriaRows(w, criteria);
  }

  private void link(JsonNode l) {
    JsonNode balanced = l.path("balanced");
    links.add(l, balanced.isBoolean() && !balanced.booleanValue());
    linkExtras |= ReportWriter.hasExtraLinkFields(l);
    if (fleets != null) {
      fleets.link(l);
    }
  }

  /** A VM without a report (crashed, not booted, no answer) or with a failed workload is failed. */
  private void vm(JsonNode vm) {
    boolean failed = vm.has("error") || vm.path("crashed").asBoolean(false)
        || vm.path("booted").isBoolean() && !vm.path("booted").booleanValue()
        || vm.path("vm").isTextual() && vmsFailed.contains(vm.path("vm").textValue());
    vms.add(vm, failed);
  }
}
