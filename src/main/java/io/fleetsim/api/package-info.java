/**
 * The live control API (Pekko HTTP, JSON): status, faults, VM actions, Prometheus {@code
 * /metrics} and the live page, all over one {@link io.fleetsim.control.Control}. It runs on an
 * actor system of its own, on the host's time, so that it never touches a run's model (which in
 * virtual time lives on the clock's one thread).
 */
package io.fleetsim.api;
