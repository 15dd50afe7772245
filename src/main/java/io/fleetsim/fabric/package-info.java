/**
 * L2 fabrics: the hub (every frame to every other port) and the learning switch, their ports,
 * per-port counters and the credit-based back-pressure that carries TCP's flow control across
 * the fabric from one port to another.
 */
package io.fleetsim.fabric;
