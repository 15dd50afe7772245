package io.fleetsim.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("report asset " + name + " is not on the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // inlined verbatim, so it must not close its own element
      if (text.toLowerCase(Locale.ROOT).contains(mustNotContain)) {
        throw new IllegalStateException("report asset " + name + " contains " + mustNotContain);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read report asset " + name, e);
    }
  }
}
