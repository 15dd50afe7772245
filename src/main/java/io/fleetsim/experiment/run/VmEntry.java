package io.fleetsim.experiment.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.vm.VmReport;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * What the run knows of one VM at the end (an entry of results.json's {@code vms}), or of one of
 * its boots: the VM's report, or why there is none.
 */
sealed interface VmEntry {
  String vm();

  /** The VM's own report, when it gave one. */
  default Optional<VmReport> report() {
    return Optional.empty();
  }

  /** The entry as results.json writes it. */
  JsonNode json();

  /** The entry into results.json, without a tree of it (a VM report has some 150 counters). */
  default void write(ObjectWriter writer, JsonGenerator g) throws IOException {
    writer.writeValue(g, json());
  }

  /** What the VM answered. */
  record Reported(VmReport value) implements VmEntry {
    public Reported {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String vm() {
      return value.vm();
    }

    @Override
    public Optional<VmReport> report() {
      return Optional.of(value);
    }

    @Override
    public JsonNode json() {
      return Results.JSON.valueToTree(value);
    }

    @Override
    public void write(ObjectWriter writer, JsonGenerator g) throws IOException {
      writer.writeValue(g, value);
    }
  }

  /** The run stopped before the VM booted. */
  record NotBooted(String vm) implements VmEntry {
    @Override
    public JsonNode json() {
      return named(vm).put("booted", false);
    }
  }

  /** The VM is crashed at the end: there is nobody to ask. */
  record Crashed(String vm) implements VmEntry {
    @Override
    public JsonNode json() {
      return named(vm).put("crashed", true);
    }
  }

  /** The VM did not answer in time. */
  record NoReport(String vm, String error) implements VmEntry {
    /**
     * {@code what} and why {@code failure} (an ask's) gave no report. A timeout is said in words
     * of our own: its message names the actor with its random uid, which would make two runs of
     * one file and seed write different results.
     */
    static NoReport of(String vm, String what, Throwable failure) {
      Throwable cause = failure;
      while ((cause instanceof java.util.concurrent.ExecutionException
          || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return new NoReport(vm, what + ": " + (cause instanceof java.util.concurrent.TimeoutException
          ? "the VM did not answer in time" : cause.toString()));
    }

    @Override
    public JsonNode json() {
      return named(vm).put("error", error);
    }
  }

  private static ObjectNode named(String vm) {
    return Results.JSON.createObjectNode().put("vm", vm);
  }
}
