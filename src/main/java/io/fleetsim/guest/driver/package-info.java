/**
 * Guest device drivers: the e1000 driver the simulated guest OS runs, bringing the NIC up the way
 * Linux's {@code e1000} does and moving frames through descriptor rings in guest memory, with
 * every register access and copy charged to the vCPU.
 */
package io.fleetsim.guest.driver;
