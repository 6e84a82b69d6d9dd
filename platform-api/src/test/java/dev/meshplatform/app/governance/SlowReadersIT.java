package dev.meshplatform.app.governance;

import dev.meshplatform.app.config.MeshSecurityProperties;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.app.web.ResponseStreams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that ask for a large page and never read it (a socket that takes nothing) each hold one stream and nothing
 * more: with all streams but one held another reader still gets its page, with all held it gets a 503 problem at
 * once, and the streams come back when those clients go away or the write timeout cuts them. The test platform
 * allows 10 streams (more than the 8 shared threads whose queue once held every other reader's body) and cuts a
 * client that takes nothing for 10 s (PlatformIT).
 */
class SlowReadersIT extends PlatformIT {

    /** Some 20 MB of JSON: far more than a loopback connection buffers, so that a body blocks in its writes. */
    private static final int ROWS = 100_000;
    private static String data;

    @Autowired
    ResponseStreams streams;
    @Autowired
    MeshSecurityProperties security;

    @BeforeEach
    void product() {
        if (data != null) {
            return;
        }
        String domain = createDomain("slow");
        GovernedProducts.publishAndRun(api, ADMIN_KEY, domain, "customers", GovernedProducts.customers(ROWS));
        data = "/api/v1/domains/" + domain + "/products/customers/data";
    }

    @Test
    void readersThatReadNothingHoldTheirOwnStreamsOnlyUntilTheyGoAway() throws IOException {
        int max = security.maxStreamedResponses();
        assertThat(max).as("more streams than the shared executor's 8 threads").isGreaterThan(8);
        awaitStreams(0);
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < max - 1; i++) {
                stalled.add(readNothing());
            }
            awaitStreams(max - 1);
            Api.Response page = api.get(data + "?limit=10", ADMIN_KEY);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.json().path("rows")).hasSize(10);

            stalled.add(readNothing());
            awaitStreams(max);
            Api.Response refused = api.get(data + "?limit=10", ADMIN_KEY);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.code()).isEqualTo("server-busy");
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(refused.header("Mesh-Snapshot-Id")).as("nothing was read").isNull();
            // Still held: the stalled bodies are blocked in their writes, not finished.
            assertThat(streams.active()).isEqualTo(max);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        awaitStreams(0);
        assertThat(api.get(data + "?limit=10", ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void aReaderThatTakesNothingIsCutByTheWriteTimeoutAndItsStreamFreed() throws IOException {
        awaitStreams(0);
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                stalled.add(readNothing());
            }
            awaitStreams(2);
            // The clients keep their connections open: only the write timeout ends the bodies.
            awaitStreams(0);
            for (Socket socket : stalled) {
                assertThat(endsWhole(socket)).as("the body of a cut reader ends before its last chunk").isFalse();
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        assertThat(api.get(data + "?limit=10", ADMIN_KEY).status()).isEqualTo(200);
    }

    private void awaitStreams(int active) {
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(streams.active()).as("streams held").isEqualTo(active));
    }

    /** Asks for the whole product on a connection that takes in at most a few KB and never reads them. */
    private Socket readNothing() {
        Socket socket = new Socket();
        try {
            // Set before connecting: the window the client offers stays this small.
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write(("GET " + data + "?limit=" + ROWS + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: Bearer " + ADMIN_KEY + "\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return socket;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the failure to connect is the one to report
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Whether what the socket still gives ends as a whole chunked body does; a reset connection does not. */
    private static boolean endsWhole(Socket socket) {
        try {
            socket.setSoTimeout(30_000);
            byte[] received = socket.getInputStream().readAllBytes();
            String tail = new String(received, Math.max(0, received.length - 5), Math.min(5, received.length),
                    StandardCharsets.ISO_8859_1);
            return tail.equals("0\r\n\r\n");
        } catch (IOException reset) {
            return false;
        }
    }
}
