package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.config.MeshSecurityProperties;
import dev.meshplatform.app.config.MeshStorageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Names, at startup, every insecure default in use, so that nobody runs them in production unknowingly. */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class InsecureDefaultsReport implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(InsecureDefaultsReport.class);

    private final Environment environment;
    private final MeshSecurityProperties security;
    private final MeshStorageProperties storage;

    InsecureDefaultsReport(Environment environment, MeshSecurityProperties security, MeshStorageProperties storage) {
        this.environment = environment;
        this.security = security;
        this.storage = storage;
    }

    @Override
    public void run(ApplicationArguments args) {
        findings().forEach(finding -> log.warn("Insecure default in use: {}", finding));
    }

    List<String> findings() {
        List<String> findings = new ArrayList<>();
        String url = environment.getProperty("spring.datasource.url", "");
        if (url.startsWith("jdbc:h2:")) {
            findings.add("the embedded H2 database (" + url.replaceAll(";.*", "") + ") with the default user; "
                    + "set spring.datasource.url to PostgreSQL for production");
        }
        Path keyFile = security.keyFileIn(storage);
        if (Files.exists(keyFile)) {
            findings.add("a generated bootstrap admin key is stored in " + keyFile.toAbsolutePath()
                    + "; issue your own admin keys, revoke it and delete the file");
        }
        if (security.bootstrapAdminKey() != null && !security.bootstrapAdminKey().isBlank()) {
            findings.add("mesh.security.bootstrap-admin-key is set: a static admin key that never expires; keep it in "
                    + "a secret store and rotate it");
        }
        if (!environment.getProperty("server.ssl.enabled", Boolean.class, false)) {
            findings.add("HTTP without TLS: API keys cross the network in clear text; terminate TLS in front of the "
                    + "platform or set server.ssl.*");
        }
        if (storage.catalog().jdbcUrl() == null) {
            findings.add("the embedded Iceberg catalog (an H2 file) is served to run JVMs over TCP on 127.0.0.1 with "
                    + "the user '" + storage.catalog().username() + "'" + (storage.catalog().password().isEmpty()
                    ? " and no password" : "") + ": any local user can reach it; set mesh.storage.catalog.jdbc-url to "
                    + "PostgreSQL for production");
        }
        return findings;
    }
}
