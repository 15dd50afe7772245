package io.fleetsim.fault;

import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.pekko.util.ByteString;

/**
 * {@code latency}: every frame is held back by {@code delay} plus a random {@code jitter} drawn
 * from {@code distribution}. As with netem, frames whose jitter differs by more than their
 * spacing overtake each other (the chain releases frames by time, not by arrival); a sample
 * below zero total delay is taken as no delay.
 */
public record LatencyFault(Duration delay, Duration jitter, Distribution distribution)
    implements Fault.LinkFault {

  public static final FaultKind KIND = new FaultKind("latency",
      "every frame is held back by delay plus a random jitter; large jitter reorders, as netem",
      List.of(FaultKey.required("delay", FaultKey.Type.DURATION, "added to every frame"),
          FaultKey.optional("jitter", FaultKey.Type.DURATION, "0ms", "random spread around delay"),
          FaultKey.optional("distribution", FaultKey.Type.CHOICE, "normal",
              "how jitter is drawn: normal (jitter = standard deviation), uniform (delay +- jitter)"
                  + " or pareto (a heavy tail, jitter = standard deviation)")),
      FaultKind.ANY_TARGET, true, LatencyFault::read);

  /** How jitter is drawn; {@code jitter} is the half-width (uniform) or standard deviation. */
  public enum Distribution {
    /** Evenly within delay ± jitter. */
    UNIFORM,
    /** Gaussian around delay, standard deviation jitter. */
    NORMAL,
    /**
     * Pareto (shape 3) shifted to mean delay and scaled to standard deviation jitter: mostly a
     * little early, now and then much later (a heavy tail, as netem's pareto table).
     */
    PARETO;

    public String hoconName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The distribution named {@code text}, or a {@link FaultParameterException} for {@code key}. */
    public static Distribution parse(String key, String text) {
      for (Distribution d : values()) {
        if (d.hoconName().equals(text)) {
          return d;
        }
      }
      throw new FaultParameterException(key, "unknown distribution '" + text
          + "' (expected uniform, normal or pareto)");
    }
  }

  private static final double PARETO_SHAPE = 3;
  /** Standard deviation of a shape-3 Pareto with scale 1: sqrt(3 / (2^2 * 1)). */
  private static final double PARETO_SD = Math.sqrt(PARETO_SHAPE
      / ((PARETO_SHAPE - 1) * (PARETO_SHAPE - 1) * (PARETO_SHAPE - 2)));
  private static final double PARETO_MEAN = PARETO_SHAPE / (PARETO_SHAPE - 1);

  public LatencyFault {
    Checks.nonNegative("delay", delay);
    Checks.nonNegative("jitter", jitter);
    if (distribution == null) {
      throw new FaultParameterException("distribution", "is missing");
    }
  }

  private static Optional<Fault> read(FaultParams p) {
    Optional<Duration> delay = p.getDuration("delay");
    Optional<Duration> jitter = p.getDuration("jitter");
    Optional<String> distribution = p.getString("distribution");
    return Checks.all(delay, jitter, distribution) ? Optional.of(new LatencyFault(delay.get(),
        jitter.get(), Distribution.parse("distribution", distribution.get()))) : Optional.empty();
  }

  /** A fixed delay, no jitter. */
  public static LatencyFault of(Duration delay) {
    return new LatencyFault(delay, Duration.ZERO, Distribution.NORMAL);
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public String describe() {
    return "latency " + DurationText.human(delay) + (jitter.isZero() ? ""
        : " +- " + DurationText.human(jitter) + " " + distribution.hoconName());
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    long delayNanos = delay.toNanos();
    double jitterNanos = jitter.toNanos();
    SplittableRandom random = ctx.random();
    return (frame, at, out) -> out.frame(frame, at + Math.max(0, delayNanos
        + Math.round(jitterNanos == 0 ? 0 : jitterNanos * sample(random))));
  }

  /**
   * A draw of mean 0 and unit spread (standard deviation, or half-width for uniform). StrictMath:
   * Math may differ in the last bit between JVMs, CPUs and JIT tiers, and one bit can move a frame
   * by a nanosecond, so the same seed would not give the same run everywhere.
   */
  private double sample(SplittableRandom random) {
    switch (distribution) {
      case UNIFORM:
        return random.nextDouble(-1, 1);
      case PARETO:
        double scale = 1 / PARETO_SD;
        double x = scale / StrictMath.pow(1 - random.nextDouble(), 1 / PARETO_SHAPE);
        return x - scale * PARETO_MEAN;
      default:
        return gaussian(random);
    }
  }

  /** Box-Muller: SplittableRandom has no nextGaussian in Java 17. */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
  }
}
