package io.fleetsim.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows one table shows, taken one at a time and kept bounded: every row when there are at
 * most {@code limit}; beyond that, the failed rows first (in their order, up to the limit), then
 * the others in their order up to the limit. At most twice the limit rows are held, however many
 * are added: a 100,000-VM run's tables are read one results.json entry at a time.
 */
final class Rows<T> {
  private final int limit;
  private final List<T> head = new ArrayList<>();
  private final List<Boolean> headFailed = new ArrayList<>();
  /** Failed rows after the first {@code limit}. */
  private final List<T> laterFailed = new ArrayList<>();
  private int total;
  private int failed;

  Rows(int limit) {
    this.limit = limit;
  }

  void add(T row, boolean isFailed) {
    total++;
    if (isFailed) {
      failed++;
    }
    if (head.size() < limit) {
      head.add(row);
      headFailed.add(isFailed);
    } else if (isFailed && laterFailed.size() < limit) {
      laterFailed.add(row);
    }
  }

  /** Rows added, shown or not. */
  int total() {
    return total;
  }

  /** Failed rows added, shown or not. */
  int failed() {
    return failed;
  }

  /** The rows to show, in the order to show them. */
  List<T> shown() {
    if (total <= limit) {
      return head;
    }
    List<T> out = new ArrayList<>(limit);
    for (int i = 0; i < head.size(); i++) {
      if (headFailed.get(i)) {
        out.add(head.get(i));
      }
    }
    for (T row : laterFailed) {
      if (out.size() == limit) {
        break;
      }
      out.add(row);
    }
    for (int i = 0; i < head.size() && out.size() < limit; i++) {
      if (!headFailed.get(i)) {
        out.add(head.get(i));
      }
    }
    return out;
  }

  /** Rows added and not shown. */
  int omitted() {
    return total - Math.min(total, limit);
  }
}
