package io.fleetsim.vm.hw;

/** The vCPU as guest code sees it: every operation is charged here before it counts as done. */
public interface Cpu {
  void charge(long cycles);

  CostTable costs();

  /** A vCPU that never runs out of cycles: for unit tests of guest code. */
  static Cpu unlimited(CostTable costs) {
    return new Cpu() {
      @Override
      public void charge(long cycles) {}

      @Override
      public CostTable costs() {
        return costs;
      }
    };
  }
}
