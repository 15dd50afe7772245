/**
 * Experiments: a HOCON file describing networks, VM fleets and faults, parsed into immutable
 * records. Only this package (and {@code cli}) reads HOCON; everything below gets typed records.
 * Validation collects every error with its HOCON path and line instead of stopping at the first.
 */
package io.fleetsim.experiment;
