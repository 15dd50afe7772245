package io.fleetsim.netdev;

/**
 * Tunables of the netdev layer, read from {@code fleetsim.netdev} in HOCON by the CLI.
 *
 * @param maxFrame the largest TCP frame accepted (QEMU: 69632); a larger length closes the link
 * @param writeBatchBytes frames waiting for the socket are coalesced into writes up to this size
 */
public record NetdevSettings(int maxFrame, int writeBatchBytes) {
  public static final int QEMU_MAX_FRAME = 4096 + 65536;

  public static NetdevSettings defaults() {
    return new NetdevSettings(QEMU_MAX_FRAME, 256 * 1024);
  }

  public NetdevSettings {
    if (maxFrame < 64) {
      throw new IllegalArgumentException("maxFrame must be at least 64, got " + maxFrame);
    }
    if (writeBatchBytes < maxFrame + 4) {
      throw new IllegalArgumentException(
          "writeBatchBytes must hold one whole frame (" + (maxFrame + 4) + "), got " + writeBatchBytes);
    }
  }
}
