/**
 * What crosses a link between two components (a netdev and a fabric port, a netdev and a NIC):
 * the {@link io.fleetsim.link.Port} contract, its counters and drop causes, frame batches and
 * taps. Below fabric, nic, netdev and fault; imports none of them.
 */
package io.fleetsim.link;
