package io.fleetsim.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.fleetsim.control.Control;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Reply;
import io.fleetsim.control.VmAction;
import io.fleetsim.experiment.ValidationError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's routes over one {@link Control}. Every answer is JSON (but {@code /metrics} and the
 * page): bad input is a 4xx with the reason, never a 500; a 500 means the Control threw, a bug,
 * and is logged.
 */
final class ApiRoutes extends AllDirectives {
  /** A fault is a few hundred bytes; anything near this is not one. */
  static final long MAX_BODY = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
  private static final ContentType METRICS = ContentTypes.parse(ControlMetrics.CONTENT_TYPE);
  private static final String ACTIONS =
      Arrays.stream(VmAction.values()).map(VmAction::label).collect(Collectors.joining(", "));

  private final Control control;
  private final Optional<byte[]> tokenDigest;
  private final ControlMetrics metrics;
  private final LivePage page;

  ApiRoutes(Control control, Optional<String> token) {
    this.control = control;
    this.tokenDigest = token.map(ApiRoutes::digest);
    this.metrics = new ControlMetrics(control);
    this.page = LivePage.get();
  }

  Route route() {
    Route endpoints = concat(
        pathSingleSlash(() -> get(() -> complete(page.response()))),
        path("status", () -> get(() -> complete(json(StatusCodes.OK, ApiJson.write(control.status()))))),
        path("faults", () -> concat(
            get(() -> complete(json(StatusCodes.OK, ApiJson.write(control.faults())))),
            post(() -> body(text -> change(() -> control.addFault(text), StatusCodes.CREATED))))),
        path(segment("faults").slash(segment()), id ->
            delete(() -> change(() -> control.endFault(id), StatusCodes.OK))),
        path(segment("vms").slash(segment()).slash(segment()), (name, action) ->
            post(() -> vmAction(name, action))),
        path("metrics", () -> get(() -> complete(
            HttpResponse.create().withEntity(METRICS, metrics.scrape())))),
        path("series", () -> get(() -> parameterOptional("from", this::series))));
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> authorized(endpoints)));
  }

  // ------------------------------------------------------------------ endpoints

  private Route vmAction(String name, String label) {
    Optional<VmAction> action = VmAction.parse(label);
    if (action.isEmpty()) {
      return complete(json(StatusCodes.NOT_FOUND,
          ApiJson.error("no VM action '" + label + "': the actions are " + ACTIONS)));
    }
    return change(() -> control.vmAction(name, action.get()), StatusCodes.OK);
  }

  private Route series(Optional<String> from) {
    long second;
    try {
      second = from.map(Long::parseLong).orElse(1L);
    } catch (NumberFormatException e) {
      second = -1;
    }
    if (second < 0) {
      return complete(json(StatusCodes.BAD_REQUEST, ApiJson.errors(List.of(new ValidationError(
          "from", -1, "'" + from.orElse("") + "' is not a second (1 is the first)")))));
    }
    return complete(json(StatusCodes.OK,
        ApiJson.series(control.status(), control.series(second), control.faults())));
  }

  /** The body as UTF-8 text, whatever its content type says; over {@link #MAX_BODY}: 413. */
  private Route body(Function<String, Route> inner) {
    return withSizeLimit(MAX_BODY, () -> entity(Unmarshaller.entityToByteString(),
        bytes -> inner.apply(bytes.decodeString(StandardCharsets.UTF_8))));
  }

  /** A change's reply as its status; a Control that throws or fails goes to {@link #exceptions}. */
  private Route change(Supplier<CompletionStage<Reply<FaultView>>> call, StatusCode done) {
    return completeWithFuture(call.get().thenApply(r -> reply(r, done)));
  }

  static HttpResponse reply(Reply<FaultView> r, StatusCode done) {
    if (r instanceof Reply.Done<FaultView> d) {
      return json(done, ApiJson.write(d.value()));
    }
    if (r instanceof Reply.Invalid<FaultView> i) {
      return json(StatusCodes.BAD_REQUEST, ApiJson.errors(i.errors()));
    }
    if (r instanceof Reply.NotFound<FaultView> n) {
      return json(StatusCodes.NOT_FOUND, ApiJson.error(n.message()));
    }
    if (r instanceof Reply.Refused<FaultView> f) {
      return json(StatusCodes.CONFLICT, ApiJson.error(f.reason()));
    }
    throw new IllegalStateException("the Control replied " + r);
  }

  static HttpResponse json(StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body);
  }

  // ------------------------------------------------------------------ token

  /**
   * With a token set, a request must present it as {@code Authorization: Bearer TOKEN} or {@code
   * ?token=TOKEN} (the page's own URL and its fetches); unknown routes too, so that they reveal
   * nothing.
   */
  private Route authorized(Route inner) {
    if (tokenDigest.isEmpty()) {
      return inner;
    }
    HttpResponse refused = json(StatusCodes.UNAUTHORIZED,
        ApiJson.error("this API needs its token: Authorization: Bearer TOKEN, or ?token=TOKEN"))
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "fleetsim")));
    return extractRequest(req -> presents(req) ? inner : complete(refused));
  }

  private boolean presents(HttpRequest req) {
    Optional<String> bearer = req.getHeader("Authorization").map(h -> h.value().strip())
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7)).map(v -> v.substring(7).strip());
    Optional<String> query = req.getUri().query().get("token");
    // both checked, so that the time taken does not tell which one was tried
    boolean header = bearer.map(this::matches).orElse(false);
    boolean param = query.map(this::matches).orElse(false);
    return header | param;
  }

  /** Digests compared, so that neither the bytes nor the length show in the time taken. */
  private boolean matches(String presented) {
    return MessageDigest.isEqual(digest(presented), tokenDigest.orElseThrow());
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  // ------------------------------------------------------------------ errors

  /** Pekko's own answers (404, 405 with Allow, 413, ...) with their text as {@code {"error"}}. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(r -> {
      if (r.entity() instanceof HttpEntity.Strict s
          && !s.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        return r.withEntity(ContentTypes.APPLICATION_JSON, ApiJson.error(s.getData().utf8String()));
      }
      return r;
    });
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> complete(json(StatusCodes.PAYLOAD_TOO_LARGE,
            ApiJson.error("the body is over " + MAX_BODY + " bytes"))))
        .matchAny(e -> extractRequest(req -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          LOG.error("API {} {}: the control failed", req.method().value(), req.getUri().path(), cause);
          return complete(json(StatusCodes.INTERNAL_SERVER_ERROR,
              ApiJson.error("internal error: " + cause)));
        }))
        .build();
  }
}
