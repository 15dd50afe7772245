/** The {@code fleetsim} command line (picocli): turns arguments into typed specs and runs them. */
package io.fleetsim.cli;
