/**
 * The experiment report: one self-contained report.html (styles, scripts, charts and data inline)
 * made from results.json, readable offline; its size does not grow with the fleet.
 */
package io.fleetsim.report;
