package io.fleetsim.netdev;

/** How one peer's link ended, for the netdev's log line. Drops are already counted. */
sealed interface LinkEnd {
  /** The peer went away: closed, reset, or cut mid-frame; {@code detail} is "" for a clean close. */
  record Disconnected(String detail) implements LinkEnd {}

  /** The peer announced a frame above the limit: fleetsim closed the connection, as QEMU does. */
  record Oversize(long length, int maxFrame) implements LinkEnd {}
}
