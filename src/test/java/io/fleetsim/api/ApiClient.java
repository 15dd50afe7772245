package io.fleetsim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** java.net.http against one API server, for tests: each call one request, the answer whole. */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final URI base;
  private final String token;

  ApiClient(URI base) {
    this(base, null);
  }

  ApiClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  record Answer(int status, String body, HttpResponse<String> response) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
      }
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse("");
    }
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send("GET", path, null, "application/json");
  }

  Answer send(String method, String path, String body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      r.header("Content-Type", contentType);
    }
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body(), response);
  }
}
