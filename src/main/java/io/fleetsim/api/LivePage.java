package io.fleetsim.api;

import io.fleetsim.report.InlinedText;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * {@code GET /}: one self-contained HTML page, uPlot and the report's chart code inlined (no CDN:
 * the page works where the API's machine has no internet), polling the API from the browser.
 * Built once; the same for every server.
 */
final class LivePage {
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final String REPORT = "io/fleetsim/report/";
  private static final String OWN = "io/fleetsim/api/";
  // the page fetches only its own API; inline scripts and styles are its own
  private static final String POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
      + "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";

  private final String html;

  private LivePage(String html) {
    this.html = html;
  }

  static LivePage get() {
    return Holder.PAGE;
  }

  private static final class Holder {
    static final LivePage PAGE = build();
  }

  HttpResponse response() {
    return HttpResponse.create().withEntity(ContentTypes.TEXT_HTML_UTF8, html)
        .addHeader(RawHeader.create("Cache-Control", "no-store"))
        .addHeader(RawHeader.create("Content-Security-Policy", POLICY));
  }

  private static LivePage build() {
    StringBuilder styles = new StringBuilder();
    for (String css : List.of(UPLOT + "uPlot.min.css", REPORT + "report.css", OWN + "live.css")) {
      styles.append("<style>\n").append(resource(css, "</style")).append("\n</style>\n");
    }
    StringBuilder scripts = new StringBuilder();
    for (String js : List.of(UPLOT + "uPlot.iife.min.js", REPORT + "report.js", OWN + "live.js")) {
      scripts.append("<script>\n").append(resource(js, "</script")).append("\n</script>\n");
    }
    String page = resource(OWN + "live.html", "\0");
    return new LivePage(page.replace("<!-- styles -->", styles).replace("<!-- scripts -->", scripts));
  }

  /** A classpath file, which must not close the element it is inlined in. */
  private static String resource(String name, String closing) {
    return InlinedText.load(name, closing);
  }
}
