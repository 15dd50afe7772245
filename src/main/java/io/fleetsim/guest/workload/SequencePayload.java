package io.fleetsim.guest.workload;

import java.nio.ByteBuffer;

/**
 * The payload udp-send writes and udp-sink reads: magic "FSQ2", a 64-bit sequence number
 * starting at 0, a 64-bit stream id, then zeros up to the chosen size. The stream id is the
 * sender's guest time when its run began: a sender that rebooted (fresh stack, same address and
 * likely the same ephemeral port, numbers from 0 again) starts a new stream rather than
 * repeating the old one's numbers.
 */
public final class SequencePayload {
  public static final int MAGIC = 0x4653_5132;
  public static final int LENGTH = 20;

  private SequencePayload() {}

  public static byte[] encode(long sequence, long stream, int size) {
    byte[] b = new byte[Math.max(LENGTH, size)];
    ByteBuffer.wrap(b).putInt(MAGIC).putLong(sequence).putLong(stream);
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

  /** The stream id of a payload {@link #sequence} accepted. */
  public static long stream(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(12);
  }
}
