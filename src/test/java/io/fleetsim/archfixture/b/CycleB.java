package io.fleetsim.archfixture.b;

/** With {@link io.fleetsim.archfixture.a.CycleA}, a package cycle ArchitectureTest must find. */
public final class CycleB {
  io.fleetsim.archfixture.a.CycleA other;
}
