/**
 * The simulated machine as an actor: it owns the hardware (memory, vCPU, e1000 NICs), attaches
 * each NIC to its netdev, and runs the guest OS on its vCPU so that a busy guest takes frames
 * off its rings later, exactly where QEMU's back-pressure comes from.
 */
package io.fleetsim.vm;
