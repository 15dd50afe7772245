package io.fleetsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;

/** --stats files: indented JSON, addresses written the way people write them. */
final class Json {
  private static final ObjectMapper MAPPER = io.fleetsim.report.Json.MAPPER;

  private Json() {}

  /** Writes {@code value}; a failure is reported on stderr, never thrown at the user. */
  static void write(File file, Object value) {
    try {
      MAPPER.writeValue(file, value);
    } catch (IOException e) {
      System.err.println("fleetsim: --stats " + file + ": " + e.getMessage());
    }
  }
}
