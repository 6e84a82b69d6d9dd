package dev.meshplatform.app;

import dev.meshplatform.app.testsupport.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command: the built jar starts with no configuration and no JVM flags (its manifest opens what
 * Spark needs) and answers UP on /actuator/health within 60 seconds, with its data under the working directory.
 */
class PackagedJarIT {

    @TempDir
    Path workDir;

    @Test
    void theBuiltJarStartsWithNoConfiguration() throws Exception {
        Path jar = Path.of("target", "mesh-platform.jar").toAbsolutePath();
        assertThat(jar).exists();
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = workDir.resolve("platform.log");
        long started = System.nanoTime();
        Process platform = new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=" + port)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Api api = new Api("http://127.0.0.1:" + port);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> api.get("/actuator/health", null).json().path("status").asString().equals("UP"));
            System.out.printf("Packaged platform answered UP after %d ms%n", (System.nanoTime() - started) / 1_000_000);
            Path keyFile = workDir.resolve("data/bootstrap-admin-key");
            assertThat(keyFile).exists();
            String admin = Files.readString(keyFile).trim();
            assertThat(api.get("/api/v1/me", admin).json().path("role").asString()).isEqualTo("PLATFORM_ADMIN");
            assertThat(Files.readString(log)).doesNotContain(admin).doesNotContain("Exception");
        } finally {
            platform.destroy();
            if (!platform.waitFor(30, TimeUnit.SECONDS)) {
                platform.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
