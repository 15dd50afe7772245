package io.fleetsim.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.fleetsim.fault.FaultRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fault posted to a running experiment, hub or switch: one JSON object in the timeline's keys
 * without {@code at} (the fault starts when it is posted), read and validated exactly as an
 * element of a file's {@code faults} is. Error paths are the body's keys ({@code delay}, {@code
 * target}); the whole body's is empty. Errors have no line (-1): a body is not a file.
 */
public final class FaultRequests {

  /** The fault (its {@code at} zero: now), or every error; never both. */
  public record Result(Optional<Experiment.Fault> fault, List<ValidationError> errors) {}

  // strict JSON: Jackson's defaults refuse comments, single quotes, NaN and the like; a key given
  // twice would otherwise be read as its last value
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private FaultRequests() {}

  public static Result read(String json, FaultScope scope) {
    return read(json, scope, FaultRegistry.ALL);
  }

  /** As {@link #read(String, FaultScope)}, knowing the fault kinds of {@code kinds}. */
  static Result read(String json, FaultScope scope, FaultRegistry kinds) {
    Optional<String> problem = notAnObject(json);
    if (problem.isPresent()) {
      return invalid(List.of(new ValidationError("", -1, problem.get())));
    }
    Config body;
    try {
      // Jackson has checked the syntax; Config reads the values as a file's are read
      body = ConfigFactory.parseString(json, ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.JSON).setOriginDescription("request"));
    } catch (ConfigException e) {
      return invalid(List.of(new ValidationError("", -1,
          "the body is not a JSON object: " + ExperimentFile.rephrase(e, ""))));
    }
    ExperimentFile in = new ExperimentFile("", body, ExperimentLoader.defaults());
    Optional<Experiment.Fault> fault = FaultsReader.posted(in, kinds, scope);
    List<ValidationError> errors = new ArrayList<>();
    in.errors().forEach(e -> errors.add(new ValidationError(e.path(), -1, e.message())));
    if (!errors.isEmpty() || fault.isEmpty()) {
      return invalid(errors.isEmpty()
          ? List.of(new ValidationError("", -1, "not a valid fault")) : errors);
    }
    return new Result(fault, List.of());
  }

  private static Result invalid(List<ValidationError> errors) {
    return new Result(Optional.empty(), List.copyOf(errors));
  }

  /** Why {@code json} is not exactly one JSON object; empty when it is. */
  private static Optional<String> notAnObject(String json) {
    if (json == null || json.isBlank()) {
      return Optional.of("the body is empty; expected a JSON object such as"
          + " {\"kind\": \"loss\", \"target\": \"web\", \"probability\": 0.1}");
    }
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return Optional.of("the body is not a JSON object: it is " + describe(first));
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        return Optional.of("the body is not a JSON object: more follows the object at "
            + where(p.currentTokenLocation()));
      }
      return Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.of("the body is not a JSON object: " + plain(e) + " at "
          + where(e.getLocation()));
    } catch (IOException e) {
      // a String has no I/O of its own to fail
      throw new IllegalStateException(e);
    }
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return "'" + token.asString() + "'";
    }
  }

  /** Jackson's message without its location and the names of its own classes and features. */
  private static String plain(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    // "(start marker at [Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1])"
    m = m.replaceAll("\\s*\\(start marker at \\[Source:.*?line: (\\d+), column: (\\d+)]\\)",
        " (opened at line $1, column $2)");
    m = m.replaceAll("\\s*\\[Source:.*?]", "");
    m = m.replaceAll("\\(CTRL-CHAR, code (\\d+)\\)", "control character $1");
    m = m.replaceAll("\\s*\\(code [^()]*\\)", "");
    // "(not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
    // ": enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
    m = m.replaceAll("\\s*\\([^()]*Feature[^()]*\\)", "");
    m = m.replaceAll(":?\\s*enable `[^`]*` to allow", "");
    return m.replaceAll("\\s+", " ").trim();
  }

  private static String where(JsonLocation at) {
    return at == null ? "the end" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
  }
}
