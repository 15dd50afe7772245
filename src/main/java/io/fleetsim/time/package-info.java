/**
 * Time for the model: {@link io.fleetsim.time.Clock} (now, and a task after a delay), and its
 * implementations, the only code in fleetsim that reads the host's clock or starts timers.
 */
package io.fleetsim.time;
