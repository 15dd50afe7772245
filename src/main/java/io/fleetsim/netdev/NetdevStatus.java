package io.fleetsim.netdev;

/** What a netdev actor tells whoever started it, once, when it is ready or cannot start. */
public sealed interface NetdevStatus {
  String netdevId();

  /** {@code description} is the one line printed for the user, e.g. "listening on 127.0.0.1:20001". */
  record Ready(String netdevId, String description) implements NetdevStatus {}

  /** {@code reason} in QEMU's words where QEMU has them, e.g. "can't connect socket: Connection refused". */
  record Failed(String netdevId, String reason) implements NetdevStatus {}
}
