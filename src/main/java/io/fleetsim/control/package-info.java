/**
 * What the live control API asks of a running experiment, hub or switch ({@link
 * io.fleetsim.control.Control}), and the immutable answers it gets: status, faults, counters and
 * the per-second series. The API (package {@code api}) speaks HTTP and JSON over it; the runners
 * ({@code experiment.run}, the {@code cli}'s hub and switch) implement it.
 */
package io.fleetsim.control;
