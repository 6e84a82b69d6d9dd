package dev.meshplatform.app.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real HTTP server on 127.0.0.1 that webhooks deliver to, recording every request as it arrives: {@code /ok}
 * answers 204, {@code /fail} 500, {@code /redirect} 302 to {@code /ok}, and {@code /hold} holds each request until
 * {@link #release()} (at most a minute).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A request the server received. */
    public record Received(String path, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public JsonNode json() {
            return Api.JSON.readTree(body);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger holding = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(1);

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/ok", exchange -> answer(exchange, 204));
        server.createContext("/fail", exchange -> answer(exchange, 500));
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "/ok");
            answer(exchange, 302);
        });
        server.createContext("/hold", exchange -> {
            record(exchange);
            holding.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.decrementAndGet();
            }
            respond(exchange, 200);
        });
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        record(exchange);
        respond(exchange, status);
    }

    private void record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                new String(body, StandardCharsets.UTF_8)));
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every request received so far, in the order they arrived. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The CloudEvents of {@code type} received at {@code path}. */
    public List<Received> received(String path, String type) {
        return received.stream().filter(r -> r.path().equals(path) && r.json().path("type").asString().equals(type))
                .toList();
    }

    /** How many requests {@code /hold} holds now. */
    public int holding() {
        return holding.get();
    }

    /** From now on {@code /hold} holds requests again, until the next {@link #release()}. */
    public void hold() {
        release = new CountDownLatch(1);
    }

    /** Answers the requests {@code /hold} holds, and lets the next ones through until {@link #hold()}. */
    public void release() {
        release.countDown();
    }

    public boolean released() {
        return release.getCount() == 0;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }

    /** The signature header checked as a receiver would: t, then v1 = HMAC-SHA256(secret, id.t.body). */
    public static void assertSigned(Received delivery, String secret) {
        String signature = delivery.header("Mesh-Signature");
        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
        String t = signature.substring(2, signature.indexOf(','));
        assertThat(delivery.header("Mesh-Timestamp")).isEqualTo(t);
        assertThat(Math.abs(Long.parseLong(t) - Instant.now().getEpochSecond())).isLessThan(300);
        String signed = delivery.json().path("id").asString() + "." + t + "." + delivery.body();
        String expected = hmac(secret, signed);
        assertThat(signature.substring(signature.indexOf("v1=") + 3)).isEqualTo(expected);
        assertThat(hmac(secret + "x", signed)).isNotEqualTo(expected);
    }

    private static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
