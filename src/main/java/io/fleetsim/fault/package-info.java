/**
 * Fault injection on L2 links. A {@link io.fleetsim.fault.Fault.LinkFault} (latency, loss, ...)
 * makes a {@link io.fleetsim.fault.FaultStage}: synchronous, seeded decisions on frames in virtual
 * arrival times. A {@link io.fleetsim.fault.FaultChain} runs the stages of one direction of one port
 * inside a Pekko stream and can change while the link runs; a {@link io.fleetsim.fault.FaultyPort}
 * puts two chains around a {@link io.fleetsim.link.Port}. Control faults (crash, pause, ...) have
 * no stage: the experiment runner acts on them.
 */
package io.fleetsim.fault;
