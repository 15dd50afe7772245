/**
 * The simulated hardware guest code runs on: sparse guest physical memory and a vCPU that charges
 * every guest operation in cycles at a configured clock. No actors here; the VM actor owns them.
 */
package io.fleetsim.vm.hw;
