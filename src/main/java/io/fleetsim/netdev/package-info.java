/**
 * QEMU-compatible netdev backends as Pekko Streams stages, each owned by an actor: TCP stream
 * (socket listen/connect, stream inet/unix, inherited fd), UDP multicast, UDP unicast, and the
 * 4-byte length framing QEMU uses on stream sockets. A backend plugs its wire into a fabric port,
 * or, for a two-port hub of stream netdevs, hands its sockets to a {@link io.fleetsim.netdev.Splice}
 * that forwards between them directly.
 */
package io.fleetsim.netdev;
