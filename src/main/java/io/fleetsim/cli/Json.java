package io.fleetsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;

/** --stats files: indented JSON, addresses written the way people write them. */
final class Json {
  private static final ObjectMapper MAPPER = io.fleetsim.report.Json.MAPPER;

  private Json() {}

  /**
   * Writes {@code value}; a failure is one line on stderr, never thrown at the user, and the
   * answer is false so that the exit status can say so.
   */
  static boolean write(File file, Object value) {
    try (OutputStream out = Files.newOutputStream(file.toPath())) {
      MAPPER.writeValue(out, value);
      return true;
    } catch (IOException e) {
      System.err.println("fleetsim: --stats " + file + ": cannot write it (" + Writable.reason(e) + ")");
      System.err.flush();
      return false;
    }
  }
}
