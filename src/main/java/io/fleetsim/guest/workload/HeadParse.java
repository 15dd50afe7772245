package io.fleetsim.guest.workload;

/**
 * What parsing an HTTP message head out of the bytes received so far gave: not yet complete, a
 * head (and how many bytes it took), or a problem (with the status a server answers it with).
 */
record HeadParse<T>(T head, int length, int status, String problem) {
  static <T> HeadParse<T> needMore() {
    return new HeadParse<>(null, 0, 0, null);
  }

  static <T> HeadParse<T> of(T head, int length) {
    return new HeadParse<>(head, length, 0, null);
  }

  static <T> HeadParse<T> bad(int status, String problem) {
    return new HeadParse<>(null, 0, status, problem);
  }

  boolean complete() {
    return head != null;
  }

  boolean bad() {
    return problem != null;
  }
}
