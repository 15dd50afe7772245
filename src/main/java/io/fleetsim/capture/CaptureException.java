package io.fleetsim.capture;

/**
 * A capture file that cannot be set up, e.g.
 * {@code filter-dump f1: can't open file '/no/such/dir/x.pcap': No such file or directory}.
 * The message is meant for the user as is.
 */
public final class CaptureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
