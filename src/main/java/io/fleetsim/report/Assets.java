package io.fleetsim.report;

/** The scripts and styles inlined into every report, read once from the classpath. */
record Assets(String uplotJs, String uplotCss, String reportJs, String reportCss) {
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final String OWN = "io/fleetsim/report/";

  static Assets get() {
    return Holder.ASSETS;
  }

  /** Lazy holder: loaded on the first report, shared afterwards. */
  private static final class Holder {
    static final Assets ASSETS = new Assets(
        load(UPLOT + "uPlot.iife.min.js", "</script"),
        load(UPLOT + "uPlot.min.css", "</style"),
        load(OWN + "report.js", "</script"),
        load(OWN + "report.css", "</style"));
  }

  private static String load(String name, String mustNotContain) {
    return InlinedText.load(name, mustNotContain);
  }
}
