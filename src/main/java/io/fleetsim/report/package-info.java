/**
 * The experiment report: one self-contained report.html (styles, scripts, charts and data inline)
 * made from the results tree, readable offline.
 */
package io.fleetsim.report;
