/** What all of fleetsim shares: its version. The domains live in the subpackages. */
package io.fleetsim;
