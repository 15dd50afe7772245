/**
 * The guest OS a simulated VM boots: {@link io.fleetsim.guest.os.GuestSystem} brings up one
 * {@link io.fleetsim.guest.NetStack} per NIC, starts the {@code guest.workload} workloads on them
 * and reports what they did ({@link io.fleetsim.guest.os.GuestReport}). It sits above both the
 * stack ({@code guest}) and the workloads ({@code guest.workload}), so that neither imports the
 * other's user: workloads use the stack, this package uses both.
 */
package io.fleetsim.guest.os;
