package io.fleetsim.experiment;

/**
 * One problem in an experiment file: where (HOCON path, line; line is -1 when unknown) and what.
 * {@code file} is the file's name, for {@link #toString()}: {@code quickstart.conf:12: vms.web.ip: ...}.
 */
public record ValidationError(String file, String path, int line, String message) {

  /** An error not yet tied to a file. */
  public ValidationError(String path, int line, String message) {
    this("", path, line, message);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (!file.isEmpty()) {
      s.append(file).append(':');
    }
    if (line > 0) {
      s.append(line).append(':');
    }
    if (s.length() > 0) {
      s.append(' ');
    }
    if (!path.isEmpty()) {
      s.append(path).append(": ");
    }
    return s.append(message).toString();
  }
}
