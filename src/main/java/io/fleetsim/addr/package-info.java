/**
 * Address values every layer shares: {@link io.fleetsim.addr.MacAddress},
 * {@link io.fleetsim.addr.Ipv4Address} and {@link io.fleetsim.addr.Cidr}. Immutable records,
 * parsed strictly, importing nothing of fleetsim.
 */
package io.fleetsim.addr;
