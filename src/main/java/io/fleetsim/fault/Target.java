package io.fleetsim.fault;

/** What an experiment's {@code target = NAME} may name for a fault kind. */
public enum Target {
  /** A VM, or a fleet (each of its VMs). */
  VM("a vm or fleet"),
  /** A network: a link fault acts once, on the frames entering it through any of its ports. */
  NETWORK("a network"),
  /** One of a network's socket ports, by its netdev id. */
  PORT("a network's socket port (netdev id)"),
  /**
   * A link between two networks ({@code links.NAME}): a frame fault acts on its frames in {@code
   * direction}, out being from the first network of its {@code between} to the second.
   */
  LINK("a link between networks");

  private final String noun;

  Target(String noun) {
    this.noun = noun;
  }

  /** How messages and help name it: {@code a vm or fleet}. */
  public String noun() {
    return noun;
  }
}
