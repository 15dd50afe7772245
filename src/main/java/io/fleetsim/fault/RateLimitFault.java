package io.fleetsim.fault;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.util.ByteString;

/**
 * {@code rate}: a token bucket of {@code burstBytes} filled at {@code bitsPerSecond}, in front of
 * a queue of {@code queueBytes}. A frame leaves when the bucket holds its size in tokens; a frame
 * that would grow the queue (frames accepted but not yet left) beyond {@code queueBytes} is dropped
 * as {@code fault-rate-limit}. A frame larger than the burst still leaves, once the bucket has
 * filled to its size, so jumbo frames are slowed, not blocked forever.
 */
public record RateLimitFault(long bitsPerSecond, long burstBytes, long queueBytes)
    implements Fault.LinkFault {

  public static final String CAUSE = "fault-rate-limit";

  public static final FaultKind KIND = new FaultKind("rate",
      "a token bucket: frames leave at rate, bursts up to burst pass at once, a full queue drops"
          + " (fault-rate-limit)",
      List.of(FaultKey.required("rate", FaultKey.Type.RATE,
              "bits per second with bit or bps and an optional k, M or G (powers of 1000): 500kbit;"
                  + " unlike tc, bps means bits"),
          FaultKey.optional("burst", FaultKey.Type.SIZE, "6056 B",
              "token bucket depth: frames up to this much above the rate pass at once"),
          FaultKey.optional("queue", FaultKey.Type.SIZE, "64 KiB",
              "bytes waiting for tokens; a frame beyond it is dropped")),
      FaultKind.ANY_TARGET, true, RateLimitFault::read);
  private static final Pattern RATE = Pattern.compile(
      "\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmg]?)(bit|bps)\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern BARE = Pattern.compile("\\s*[0-9]+(?:\\.[0-9]*)?\\s*");

  public RateLimitFault {
    Checks.positive("rate", bitsPerSecond, " bit/s");
    Checks.positive("burst", burstBytes, " bytes");
    Checks.positive("queue", queueBytes, " bytes");
  }

  private static Optional<Fault> read(FaultParams p) {
    Optional<String> rate = p.getString("rate");
    Optional<Long> burst = p.getBytes("burst");
    Optional<Long> queue = p.getBytes("queue");
    return Checks.all(rate, burst, queue) ? Optional.of(new RateLimitFault(
        parseRate("rate", rate.get()), burst.get(), queue.get())) : Optional.empty();
  }

  /**
   * A rate such as {@code 10Mbit}, {@code 1.5 Gbit}, {@code 64kbit} or {@code 1200bit}: the unit
   * is required (a bare number could be meant as bits, bytes or packets). k, M, G are powers of
   * 1000. Unlike tc, {@code bps} here means bits (10Mbps = 10Mbit).
   */
  public static long parseRate(String key, String text) {
    if (BARE.matcher(text).matches()) {
      throw new FaultParameterException(key, text.trim() + " has no unit; write it with one, e.g. "
          + text.trim() + "bit or " + text.trim() + "kbit (bits per second)");
    }
    Matcher m = RATE.matcher(text);
    if (!m.matches()) {
      throw new FaultParameterException(key, "'" + text
          + "' is not a rate such as 10Mbit, 500kbit or 1Gbit (bits per second)");
    }
    double multiplier;
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k":
        multiplier = 1e3;
        break;
      case "m":
        multiplier = 1e6;
        break;
      case "g":
        multiplier = 1e9;
        break;
      default:
        multiplier = 1;
    }
    return Math.round(Double.parseDouble(m.group(1)) * multiplier);
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public String describe() {
    return "rate " + Checks.bits(bitsPerSecond) + "/s, queue " + queueBytes + " bytes";
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    return new Bucket();
  }

  /** Virtual-time shaper: departure times are computed at arrival, the chain holds the frames. */
  private final class Bucket implements FaultStage {
    /** Tokens (bytes) at {@link #tokensAt}, the departure time of the last frame accepted. */
    private double tokens = burstBytes;
    private long tokensAt = Long.MIN_VALUE;
    /** Frames accepted and not yet left, as (departure time, size), oldest first. */
    private final ArrayDeque<long[]> queue = new ArrayDeque<>();
    private long queued;

    @Override
    public void onFrame(ByteString frame, long at, Emit out) {
      while (!queue.isEmpty() && queue.peekFirst()[0] <= at) {
        queued -= queue.pollFirst()[1];
      }
      int size = frame.size();
      if (tokensAt == Long.MIN_VALUE) {
        tokensAt = at;
      }
      long start = Math.max(at, tokensAt);
      double available = Math.min(Math.max(burstBytes, size),
          tokens + (start - tokensAt) * (bitsPerSecond / 8e9));
      long leaves = start;
      if (available < size) {
        leaves = start + (long) Math.ceil((size - available) * 8e9 / bitsPerSecond);
        available = size;
      }
      if (leaves > at && queued + size > queueBytes) {
        out.drop(CAUSE);
        return;
      }
      tokens = available - size;
      tokensAt = leaves;
      if (leaves > at) {
        queue.addLast(new long[] {leaves, size});
        queued += size;
      }
      out.frame(frame, leaves);
    }
  }
}
