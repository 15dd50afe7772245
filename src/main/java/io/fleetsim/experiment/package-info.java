/**
 * Experiments: a HOCON file describing networks, VM fleets and faults, parsed into immutable
 * records. Only this package (and {@code cli}) reads HOCON; everything below gets typed records.
 * Validation collects every error with its HOCON path and line instead of stopping at the first:
 * {@code ExperimentReader} reads the file section by section (networks, fleets and their
 * workloads, faults) over one {@code ExperimentFile} that holds the errors; fault kinds are known
 * only through {@link io.fleetsim.fault.FaultRegistry}.
 */
package io.fleetsim.experiment;
