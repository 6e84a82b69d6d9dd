package dev.meshplatform.app;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default with no configuration but its data folder: it generates a bootstrap admin key into a file
 * only its owner can read (never into the log), and a restart keeps every domain, product, version and key.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartIT {

    @TempDir
    Path data;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MeshPlatformApplication.class)
                .properties(Map.of("server.port", "0", "mesh.storage.data-dir", data.toString()))
                .run();
    }

    private static Api api(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new Api("http://127.0.0.1:" + port);
    }

    @Test
    void aRestartKeepsEverythingAndTheBootstrapKeyStaysSecret(CapturedOutput output) throws Exception {
        Path keyFile = data.resolve("bootstrap-admin-key");
        String admin;
        String memberKey;
        try (ConfigurableApplicationContext first = start()) {
            assertThat(keyFile).exists();
            assertThat(Files.getPosixFilePermissions(keyFile))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            admin = Files.readString(keyFile).trim();
            assertThat(output.getAll()).doesNotContain(admin).contains(keyFile.toAbsolutePath().toString());
            assertThat(output.getAll()).contains("Insecure default in use: the embedded H2 database");

            Api api = api(first);
            assertThat(api.post("/api/v1/domains", admin, Map.of("name", "sales", "title", "Sales",
                    "ownerTeam", "sales-data")).status()).isEqualTo(201);
            assertThat(api.put("/api/v1/domains/sales/products/people/versions/1.0.0", admin,
                    DescriptorJson.complete()).status()).isEqualTo(201);
            assertThat(api.post("/api/v1/domains/sales/products/people/versions/1.0.0/transitions", admin,
                    Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
            assertThat(api.put("/api/v1/domains/sales/products/people/versions/1.1.0", admin,
                    DescriptorJson.titled("People next")).status()).isEqualTo(201);
            memberKey = api.post("/api/v1/api-keys", admin, Map.of("name", "ci", "role", "DOMAIN_MEMBER",
                    "domain", "sales")).json().path("secret").asString();
        }
        String keyBefore = Files.readString(keyFile);

        try (ConfigurableApplicationContext second = start()) {
            Api api = api(second);
            assertThat(Files.readString(keyFile)).isEqualTo(keyBefore);
            assertThat(api.get("/api/v1/domains/sales", admin).json().path("ownerTeam").asString())
                    .isEqualTo("sales-data");
            assertThat(api.get("/api/v1/domains/sales/products/people/versions/1.0.0", memberKey).json()
                    .path("status").asString()).isEqualTo("PUBLISHED");
            assertThat(api.get("/api/v1/domains/sales/products/people/versions/1.0.0/descriptor", memberKey).json())
                    .isEqualTo(Api.JSON.readTree(DescriptorJson.complete().toString()));
            assertThat(api.get("/api/v1/domains/sales/products/people/versions/1.1.0", memberKey).json()
                    .path("status").asString()).isEqualTo("DRAFT");
            assertThat(api.get("/api/v1/me", memberKey).json().path("domain").asString()).isEqualTo("sales");
            assertThat(api.get("/api/v1/api-keys?domain=sales", admin).json().path("total").asInt()).isEqualTo(1);
            assertThat(api.get("/api/v1/api-keys", admin).json().path("total").asInt()).isEqualTo(2);
        }
        assertThat(Set.of(data.toFile().list())).contains("bootstrap-admin-key", "registry");
    }
}
