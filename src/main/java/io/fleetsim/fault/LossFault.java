package io.fleetsim.fault;

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
    return "loss";
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
