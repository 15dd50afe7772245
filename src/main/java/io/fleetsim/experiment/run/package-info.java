/**
 * Running an experiment: builds its networks and fleets in one actor system, plays the fault
 * timeline, samples counters every second, and writes the results folder (results.json, pcaps,
 * report.html) with a frame-accounting check of every in-process link.
 */
package io.fleetsim.experiment.run;
