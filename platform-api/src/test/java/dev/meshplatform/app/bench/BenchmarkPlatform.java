package dev.meshplatform.app.bench;

import dev.meshplatform.app.MeshPlatformApplication;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.registry.testsupport.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The platform on its embedded default inside a benchmark's JVM, on a fresh data folder and the test database, with
 * a known admin key. Subclasses add their own settings with a {@code @DynamicPropertySource} of another name.
 */
@SpringBootTest(classes = MeshPlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class BenchmarkPlatform {

    static final String ADMIN = "bench-admin-" + UUID.randomUUID();
    static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("mesh-bench");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        TestDatabase.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("mesh.storage.data-dir", DATA::toString);
        registry.add("mesh.security.bootstrap-admin-key", () -> ADMIN);
        // Other builds and platforms share the machine: no fixed ports, as in PlatformIT.
        registry.add("mesh.ingestion.embedded-kafka.port", () -> "0");
        registry.add("mesh.ingestion.embedded-kafka.controller-port", () -> "0");
        registry.add("mesh.storage.s3.embedded-port", () -> "0");
        registry.add("mesh.storage.catalog.embedded-port", () -> "0");
    }

    @LocalServerPort
    int port;

    Api api() {
        return new Api("http://127.0.0.1:" + port);
    }

    static void require(Api.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException(response.toString());
        }
    }
}
