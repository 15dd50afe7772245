package io.fleetsim.guest.workload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 fed as bytes arrive (nothing is buffered); {@link #hex} reads the digest of what came
 * so far without ending it, so a snapshot of a transfer still running has one too.
 */
final class Sha256 {
  private final MessageDigest digest;

  Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  void update(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
  }

  /** Lower-case hex of the bytes so far; the digest goes on. */
  String hex() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
    }
  }

  /** The digest of stream-pattern bytes {@code 0..length-1} (http-serve's body). */
  static String ofPattern(long length) {
    Sha256 s = new Sha256();
    byte[] chunk = new byte[64 * 1024];
    for (long off = 0; off < length; off += chunk.length) {
      int n = (int) Math.min(chunk.length, length - off);
      StreamPattern.fill(off, chunk, 0, n);
      s.update(chunk, 0, n);
    }
    return s.hex();
  }
}
