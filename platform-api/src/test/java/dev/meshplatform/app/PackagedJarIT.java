package dev.meshplatform.app;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's run command: the built jar starts with no configuration and no JVM flags (its manifest opens what
 * Spark needs) and answers UP on /actuator/health, with its data under the working directory.
 */
class PackagedJarIT {

    @TempDir
    Path workDir;

    @Test
    void theBuiltJarStartsWithNoConfiguration() throws Exception {
        assertThat(Path.of("target", "mesh-platform.jar")).exists();
        long started = System.nanoTime();
        try (PlatformProcess platform = PlatformProcess.asInTheReadme(workDir)
                .start(PlatformProcess.BUSY_MACHINE_START)) {
            System.out.printf("Packaged platform answered UP after %d ms%n", (System.nanoTime() - started) / 1_000_000);
            Path keyFile = workDir.resolve("data/bootstrap-admin-key");
            assertThat(keyFile).exists();
            String admin = Files.readString(keyFile).trim();
            Api api = platform.api();
            assertThat(api.get("/api/v1/me", admin).json().path("role").asString()).isEqualTo("PLATFORM_ADMIN");
            assertThat(platform.log()).doesNotContain(admin).doesNotContain("Exception");
        }
    }
}
