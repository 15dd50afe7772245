/**
 * The Intel 82540EM ("e1000") device model a simulated VM's guest drives: the register file
 * behind BAR0, PCI configuration space, EEPROM, PHY, descriptor rings in guest memory, receive
 * filter, interrupt causes with QEMU's mitigation, and the statistics registers. It behaves as
 * QEMU's e1000 does (the facts it relies on are in docs/e1000.md), so a guest driver written
 * against QEMU works here.
 */
package io.fleetsim.nic.e1000;
