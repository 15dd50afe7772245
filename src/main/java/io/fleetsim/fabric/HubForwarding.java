package io.fleetsim.fabric;

import org.apache.pekko.util.ByteString;

/** QEMU's hub: every frame goes to every port but the one it came in on, whatever it holds. */
final class HubForwarding implements Forwarding {
  @Override
  public int route(int inPort, ByteString frame, long nowNanos, int portCount, int[] out) {
    int n = 0;
    for (int p = 0; p < portCount; p++) {
      if (p != inPort) {
        out[n++] = p;
      }
    }
    return n;
  }

  @Override
  public void portDown(int port) {}

  @Override
  public void expire(long nowNanos) {}

  @Override
  public boolean isRunt(ByteString frame) {
    return false;
  }
}
