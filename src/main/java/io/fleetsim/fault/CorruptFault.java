package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.pekko.util.ByteString;

/**
 * {@code corrupt}: with {@code probability} a frame is replaced by a copy with {@code bits}
 * distinct random bits flipped (all of them if the frame is shorter). The original bytes are never
 * written: frames are shared slices.
 */
public record CorruptFault(double probability, int bits) implements Fault.LinkFault {

  public static final FaultKind KIND = new FaultKind("corrupt",
      "a frame is replaced by a copy with bits random bits flipped",
      List.of(FaultKey.required("probability", FaultKey.Type.PROBABILITY,
              "a frame is corrupted with it"),
          FaultKey.optional("bits", FaultKey.Type.COUNT, "1", "distinct bits flipped per frame")),
      FaultKind.ANY_TARGET, true, CorruptFault::read);

  public CorruptFault {
    Checks.probability("probability", probability);
    Checks.positive("bits", bits, "");
  }

  private static Optional<Fault> read(FaultParams p) {
    Optional<Double> probability = p.getDouble("probability");
    Optional<Integer> bits = p.getInt("bits");
    return Checks.all(probability, bits) ? Optional.of(new CorruptFault(probability.get(),
        bits.get())) : Optional.empty();
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public String describe() {
    return "corrupt " + Checks.percent(probability) + ", " + bits + " bit" + (bits == 1 ? "" : "s");
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    SplittableRandom random = ctx.random();
    return (frame, at, out) -> out.frame(
        random.nextDouble() < probability ? flip(frame, random) : frame, at);
  }

  private ByteString flip(ByteString frame, SplittableRandom random) {
    byte[] copy = frame.toArray();
    int total = copy.length * 8;
    int n = Math.min(bits, total);
    // Floyd's sampling: n distinct positions in 0..total-1 without a set of size total
    java.util.Set<Integer> chosen = new java.util.HashSet<>();
    for (int j = total - n; j < total; j++) {
      int t = random.nextInt(j + 1);
      int pos = chosen.add(t) ? t : j;
      if (pos == j) {
        chosen.add(j);
      }
      copy[pos >>> 3] ^= (byte) (1 << (pos & 7));
    }
    return ByteString.fromArrayUnsafe(copy);
  }
}
