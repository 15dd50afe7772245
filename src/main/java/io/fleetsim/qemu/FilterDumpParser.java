package io.fleetsim.qemu;

import java.util.Set;

/**
 * {@code -object filter-dump} option strings to {@link FilterDumpSpec}s.
 *
 * <p>QEMU's generic filter keys are accepted where fleetsim can honour them: {@code queue=all}
 * (the default) and {@code status=on}; {@code queue=rx|tx} and {@code status=off} are refused
 * because fleetsim's dump always captures both directions. {@code position=head|tail} and
 * {@code insert=behind|before} are accepted and ignored: the only filters fleetsim has are dumps,
 * which do not change traffic, so their order cannot change what is captured.
 */
final class FilterDumpParser {

  static final String OPTION = "-object";
  static final String TYPE = "filter-dump";
  private static final Set<String> QEMU_OBJECT_FILTERS = Set.of("filter-buffer", "filter-mirror",
      "filter-redirector", "filter-rewriter", "colo-compare");
  private static final Set<String> KEYS = Set.of("qom-type", "id", "netdev", "file", "maxlen",
      "queue", "status", "position", "insert");
  private static final long UINT32_MAX = 0xFFFF_FFFFL;

  private FilterDumpParser() {}

  static FilterDumpSpec parse(String text) {
    QemuOpts opts = QemuOpts.isJson(text)
        ? QemuOpts.parseJson(OPTION + " " + text, text)
        : QemuOpts.parse(text, "qom-type");
    OptionReader r = new OptionReader(OPTION, text, opts);
    String type = r.required("qom-type");
    if (!TYPE.equals(type)) {
      if (QEMU_OBJECT_FILTERS.contains(type)) {
        throw r.error("fleetsim does not support object type '" + type
            + "' (supported: filter-dump)");
      }
      throw r.error("Parameter 'qom-type' does not accept value '" + type
          + "' (fleetsim supports: filter-dump)");
    }
    String id = r.requiredId();
    r.firstUnknown(KEYS).ifPresent(k -> {
      throw r.error("Invalid parameter '" + k + "'");
    });
    String netdev = r.required("netdev");
    String file = r.required("file");
    if (file.isEmpty()) {
      throw r.error("Parameter 'file' must not be empty");
    }
    int maxlen = maxlen(r);
    String queue = r.optional("queue").orElse("all");
    switch (queue) {
      case "all":
        break;
      case "rx": case "tx":
        throw r.error("queue=" + queue + " is not supported: fleetsim's filter-dump captures both"
            + " directions (queue=all)");
      default:
        throw r.error("Parameter 'queue' does not accept value '" + queue + "'");
    }
    if (r.has("status")) {
      String status = r.required("status");
      if (!"on".equals(status) && !"off".equals(status)) {
        throw r.error("Invalid value for netfilter status, should be 'on' or 'off'");
      }
      if ("off".equals(status)) {
        throw r.error("status=off is not supported: a disabled filter-dump would capture"
            + " nothing");
      }
    }
    String position = r.optional("position").orElse("tail");
    if (position.startsWith("id=")) {
      throw r.error("position=" + position + " is not supported by fleetsim (use head or tail)");
    }
    if (!"head".equals(position) && !"tail".equals(position)) {
      throw r.error("Parameter 'position' expects 'head', 'tail' or 'id=<id>'");
    }
    String insert = r.optional("insert").orElse("behind");
    if (!"behind".equals(insert) && !"before".equals(insert)) {
      throw r.error("Parameter 'insert' does not accept value '" + insert + "'");
    }
    return new FilterDumpSpec(id, netdev, file, maxlen, text);
  }

  private static int maxlen(OptionReader r) {
    if (!r.has("maxlen")) {
      return FilterDumpSpec.DEFAULT_MAXLEN;
    }
    String text = r.required("maxlen");
    long v = OptionReader.unsignedDecimal(text);
    if (v < 0) {
      throw r.error("Parameter 'maxlen' expects a uint64 value");
    }
    if (v > UINT32_MAX) {
      throw r.error("Parameter 'maxlen' expects uint32_t");
    }
    if (v == 0 || v > Integer.MAX_VALUE) {
      throw r.error("Property 'filter-dump.maxlen' doesn't take value '" + text + "'"
          + (v == 0 ? "" : " (fleetsim's limit is " + Integer.MAX_VALUE + ")"));
    }
    return (int) v;
  }
}
