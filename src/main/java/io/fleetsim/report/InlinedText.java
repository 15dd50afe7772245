package io.fleetsim.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A text file from the classpath to inline into an HTML element (a script, a style): the
 * report's assets and the API's live page. It must not close its own element.
 */
public final class InlinedText {
  private InlinedText() {}

  /**
   * The file {@code name}; fails (a build error, not a user's) when it is missing or contains
   * {@code mustNotContain} (e.g. {@code </script}), in any case.
   */
  public static String load(String name, String mustNotContain) {
    try (InputStream in = InlinedText.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.toLowerCase(Locale.ROOT).contains(mustNotContain)) {
        throw new IllegalStateException(name + " contains " + mustNotContain);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }
}
