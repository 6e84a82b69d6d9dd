package dev.meshplatform.app.testsupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for tests that talk to the running platform as curl would. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Request request(String method, String path) {
        return new Request(method, path);
    }

    public Response get(String path, String token) {
        return request("GET", path).token(token).send();
    }

    public Response post(String path, String token, Object json) {
        return request("POST", path).token(token).json(json).send();
    }

    public Response put(String path, String token, Object json) {
        return request("PUT", path).token(token).json(json).send();
    }

    public Response delete(String path, String token) {
        return request("DELETE", path).token(token).send();
    }

    public final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Request token(String token) {
            if (token != null) {
                headers.put("Authorization", "Bearer " + token);
            }
            return this;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request json(Object value) {
            return body("application/json", value instanceof String s ? s : JSON.writeValueAsString(value));
        }

        public Request body(String contentType, String text) {
            headers.put("Content-Type", contentType);
            body = HttpRequest.BodyPublishers.ofString(text);
            return this;
        }

        public Request body(String contentType, HttpRequest.BodyPublisher publisher) {
            headers.put("Content-Type", contentType);
            body = publisher;
            return this;
        }

        public Response send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, body);
            headers.forEach(builder::header);
            try {
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.headers().map(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A response; {@link #json()} parses the body. */
    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The problem detail's stable code. */
        public String code() {
            return json().path("code").asString();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
