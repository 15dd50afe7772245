package io.fleetsim.netdev;

/** A netdev could not start; the message is the user-facing reason, in QEMU's words where it has them. */
final class StartFailure extends RuntimeException {
  StartFailure(String reason) {
    super(reason, null, false, false);
  }

  /** A host name that does not resolve, in QEMU's words. */
  static StartFailure unresolved(String host) {
    return new StartFailure("can't resolve host address '" + host + "'");
  }

  /** The reason to report for {@code failure}: its own words if a StartFailure, else {@code prefix} + the root cause. */
  static String reason(String prefix, Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      if (t instanceof StartFailure) {
        break;
      }
      t = t.getCause();
    }
    if (t instanceof StartFailure) {
      return t.getMessage();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // The JDK and Pekko decorate socket errors ("[/127.0.0.1:80] Address already in use",
    // "The connection closed with error: Connection reset"); the user wants the errno words.
    message = message.replaceFirst("^\\[[^\\]]*\\] ", "")
        .replaceFirst("^The connection closed with error: ", "");
    return prefix + message;
  }
}
