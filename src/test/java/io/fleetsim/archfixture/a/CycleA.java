package io.fleetsim.archfixture.a;

/** With {@link io.fleetsim.archfixture.b.CycleB}, a package cycle ArchitectureTest must find. */
public final class CycleA {
  io.fleetsim.archfixture.b.CycleB other;
}
