/**
 * The simulated machine: sparse guest physical memory, the vCPU that charges every guest
 * operation in cycles at a configured clock, and the VM actor that runs the guest OS.
 */
package io.fleetsim.vm;
