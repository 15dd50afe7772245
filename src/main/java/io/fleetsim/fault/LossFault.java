package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code loss}: frames are dropped ({@code fault-loss}). With {@link Model#RANDOM} each frame
 * independently with {@code probability}; with {@link Model#GILBERT_ELLIOTT} a two-state chain
 * (good, bad) decides, so losses come in bursts: per frame it moves good to bad with {@code p},
 * bad to good with {@code r}, and loses the frame with {@code lossGood} or {@code lossBad}.
 */
public record LossFault(Model model, double probability, double p, double r, double lossGood,
    double lossBad) implements Fault.LinkFault {

  public enum Model {
    RANDOM("random"), GILBERT_ELLIOTT("gilbert-elliott");

    private final String hoconName;

    Model(String hoconName) {
      this.hoconName = hoconName;
    }

    public String hoconName() {
      return hoconName;
    }

    public static Model parse(String key, String text) {
      for (Model m : values()) {
        if (m.hoconName.equals(text)) {
          return m;
        }
      }
      throw new FaultParameterException(key, "unknown loss model '" + text
          + "' (expected random or gilbert-elliott)");
    }
  }

  public static final String CAUSE = "fault-loss";
  private static final List<String> GILBERT_ELLIOTT_KEYS = List.of("p", "r", "loss-good",
      "loss-bad");

  public static final FaultKind KIND = new FaultKind("loss",
      "frames are dropped (fault-loss): each on its own, or in bursts (model = gilbert-elliott)",
      List.of(FaultKey.optional("model", FaultKey.Type.CHOICE, "random",
              "random (each frame lost with probability) or gilbert-elliott (bursts)"),
          FaultKey.required("probability", FaultKey.Type.PROBABILITY,
              "model = random: a frame is lost with it"),
          FaultKey.required("p", FaultKey.Type.PROBABILITY,
              "model = gilbert-elliott: per frame, good -> bad"),
          FaultKey.required("r", FaultKey.Type.PROBABILITY,
              "model = gilbert-elliott: per frame, bad -> good (a burst is about 1/r frames)"),
          FaultKey.optional("loss-good", FaultKey.Type.PROBABILITY, "0",
              "model = gilbert-elliott: a frame is lost with it in the good state"),
          FaultKey.optional("loss-bad", FaultKey.Type.PROBABILITY, "1",
              "model = gilbert-elliott: a frame is lost with it in the bad state")),
      FaultKind.ANY_TARGET, true, LossFault::read);

  public LossFault {
    if (model == null) {
      throw new FaultParameterException("model", "is missing");
    }
    Checks.probability("probability", probability);
    Checks.probability("p", p);
    Checks.probability("r", r);
    Checks.probability("loss-good", lossGood);
    Checks.probability("loss-bad", lossBad);
  }

  private static Optional<Fault> read(FaultParams p) {
    Optional<String> model = p.getString("model");
    if (model.isEmpty()) {
      return Optional.empty();
    }
    if (Model.parse("model", model.get()) == Model.RANDOM) {
      for (String key : GILBERT_ELLIOTT_KEYS) {
        if (p.has(key)) {
          p.error(key, "only for model = gilbert-elliott");
        }
      }
      return p.getDouble("probability").map(LossFault::random);
    }
    if (p.has("probability")) {
      p.error("probability", "not for model = gilbert-elliott (give p, r, loss-good, loss-bad)");
    }
    Optional<Double> gb = p.getDouble("p");
    Optional<Double> bg = p.getDouble("r");
    Optional<Double> good = p.getDouble("loss-good");
    Optional<Double> bad = p.getDouble("loss-bad");
    return Checks.all(gb, bg, good, bad) ? Optional.of(gilbertElliott(gb.get(), bg.get(),
        good.get(), bad.get())) : Optional.empty();
  }

  /** Independent loss of each frame. */
  public static LossFault random(double probability) {
    return new LossFault(Model.RANDOM, probability, 0, 0, 0, 1);
  }

  /** Bursty loss; the mean burst length is about 1 / r when lossBad = 1 and lossGood = 0. */
  public static LossFault gilbertElliott(double p, double r, double lossGood, double lossBad) {
    return new LossFault(Model.GILBERT_ELLIOTT, 0, p, r, lossGood, lossBad);
  }

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public String describe() {
    return model == Model.RANDOM ? "loss " + Checks.percent(probability)
        : "loss gilbert-elliott p=" + p + " r=" + r + " loss-good=" + Checks.percent(lossGood)
            + " loss-bad=" + Checks.percent(lossBad);
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    SplittableRandom random = ctx.random();
    if (model == Model.RANDOM) {
      return (frame, at, out) -> {
        if (random.nextDouble() < probability) {
          out.drop(CAUSE);
        } else {
          out.frame(frame, at);
        }
      };
    }
    return new FaultStage() {
      private boolean bad;

      @Override
      public void onFrame(org.apache.pekko.util.ByteString frame, long at, Emit out) {
        boolean lose = random.nextDouble() < (bad ? lossBad : lossGood);
        bad = bad ? random.nextDouble() >= r : random.nextDouble() < p;
        if (lose) {
          out.drop(CAUSE);
        } else {
          out.frame(frame, at);
        }
      }
    };
  }
}
