package io.fleetsim.guest.workload;

import java.nio.ByteBuffer;

/**
 * The payload udp-send writes and udp-sink reads: magic "FSQ1", a 64-bit sequence number
 * starting at 0, the sender's guest time in nanoseconds, then zeros up to the chosen size.
 */
public final class SequencePayload {
  public static final int MAGIC = 0x4653_5131;
  public static final int LENGTH = 20;

  private SequencePayload() {}

  public static byte[] encode(long sequence, long sentAtNanos, int size) {
    byte[] b = new byte[Math.max(LENGTH, size)];
    ByteBuffer.wrap(b).putInt(MAGIC).putLong(sequence).putLong(sentAtNanos);
    return b;
  }

  /** The sequence number, or -1 when the payload is not ours (short, wrong magic, negative). */
  public static long sequence(byte[] payload) {
    if (payload.length < LENGTH) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    if (b.getInt(0) != MAGIC) {
      return -1;
    }
    long seq = b.getLong(4);
    return seq < 0 ? -1 : seq;
  }

  public static long sentAtNanos(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(12);
  }
}
