/**
 * Fault injection. Each kind is one {@code <Kind>Fault} file that describes itself
 * ({@link io.fleetsim.fault.FaultKind}: name, keys, defaults, targets, doc) and says what it does
 * when it goes on ({@link io.fleetsim.fault.Fault#apply} on the run's
 * {@link io.fleetsim.fault.FaultSite}); {@link io.fleetsim.fault.FaultRegistry} lists them. A
 * {@link io.fleetsim.fault.Fault.LinkFault} (latency, loss, ...) makes a
 * {@link io.fleetsim.fault.FaultStage}: synchronous, seeded decisions on frames in virtual arrival
 * times. A {@link io.fleetsim.fault.FaultChain} runs the stages of one direction of one port
 * inside a Pekko stream and can change while the link runs; a {@link io.fleetsim.fault.FaultyPort}
 * puts two chains around a {@link io.fleetsim.link.Port}.
 */
package io.fleetsim.fault;
