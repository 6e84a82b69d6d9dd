package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.app.testsupport.ProcessTestBase;
import dev.meshplatform.ingestion.api.RawTables;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * S3 goes away for some seconds while events flow, first hanging, then refusing connections: the landing job
 * reports the failure, retries with backoff and goes on from the table's offsets when S3 is back; nothing is lost
 * and nothing lands twice.
 */
class StorageOutageIT extends ProcessTestBase {

    /**
     * A port that takes connections and reads requests but never answers, as a store that hangs. It reads what is
     * sent: a client blocked writing a request body is bounded by no socket timeout, only by the OS's TCP timeouts.
     */
    private static final class UnansweredPort implements AutoCloseable {

        private final ServerSocket server;
        private final List<Socket> taken = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        UnansweredPort(int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        taken.add(socket);
                        Thread reader = new Thread(() -> discardInput(socket), "unanswered-s3-reader");
                        reader.setDaemon(true);
                        reader.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "unanswered-s3");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void discardInput(Socket socket) {
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException closed) {
                // The client gave up or the port closed: nothing to read any more.
            }
        }

        int accepted() {
            return taken.size();
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join();
            for (Socket socket : taken) {
                socket.close();
            }
        }
    }

    @Test
    void anS3OutageLosesNothing() throws Exception {
        Path data = parts.dir().resolve("outage");
        String domain = "outage-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> arguments = new ArrayList<>(arguments(data));
        // A request to a store that does not answer waits out the socket timeout at each try: these bound the
        // outage's detection to about 2 x 5 s a request, where the defaults allow 6 x 30 s.
        arguments.add("--mesh.storage.s3.requests.retries=1");
        arguments.add("--mesh.storage.s3.requests.socket-timeout=5s");
        try (PlatformProcess platform = new PlatformProcess("outage", data, arguments).start()) {
            Api api = platform.api();
            publish(api, domain, "numbers", 2);
            String landing = "/api/v1/domains/" + domain + "/products/numbers/landing";
            await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(
                    api.get(landing, ADMIN).json().path("items").get(0).path("state").asString()));
            long total;
            // The S3 server is shared with the other process tests: it comes back even when this test fails.
            try (NumberedEvents events = new NumberedEvents(RawTables.topic(domain, "numbers", 1), 2_000)) {
                awaitMoreSent(events, 4_000);
                parts.stopS3();
                long stopped = System.nanoTime();
                // First the store hangs: requests are taken and never answered. The job reports the outage at its
                // first failed request: one cut by the stop, or one that timed out on the hanging port. (After a
                // failure its next session may spend minutes in Iceberg's own retries of the table's metadata.)
                try (UnansweredPort hanging = new UnansweredPort(parts.s3Port())) {
                    await().atMost(Duration.ofSeconds(120)).until(() -> {
                        JsonNode status = api.get(landing, ADMIN).json().path("items").get(0);
                        return "RETRYING".equals(status.path("state").asString())
                                && !status.path("lastError").isNull();
                    });
                    System.out.printf("StorageOutageIT: RETRYING %d ms after S3 began to hang (%d connections "
                                    + "taken): %s%n",
                            Duration.ofNanos(System.nanoTime() - stopped).toMillis(), hanging.accepted(),
                            api.get(landing, ADMIN).json().path("items").get(0).path("lastError").asString());
                }
                // Then it refuses connections until it is back.
                awaitMoreSent(events, 10_000);
                parts.startS3();
                await().atMost(Duration.ofSeconds(90)).until(() -> "RUNNING".equals(
                        api.get(landing, ADMIN).json().path("items").get(0).path("state").asString()));
                awaitMoreSent(events, 4_000);
                events.close();
                total = events.sent.get();
            } finally {
                parts.startS3();
            }
            assertExactlyOnce("StorageOutageIT", domain, "numbers", total);
        }
    }
}
