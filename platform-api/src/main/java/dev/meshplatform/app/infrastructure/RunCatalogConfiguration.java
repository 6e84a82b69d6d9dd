package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.config.MeshStorageProperties;
import dev.meshplatform.processing.api.RunCatalog;
import org.apache.iceberg.CatalogProperties;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * How run JVMs reach the platform's Iceberg catalog. A catalog in PostgreSQL they reach as the platform does. The
 * embedded default's catalog is an H2 file that only one process may open: the platform serves it to its run JVMs
 * over H2's TCP server, on 127.0.0.1 only.
 */
@Configuration
class RunCatalogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RunCatalogConfiguration.class);

    /** The embedded catalog's TCP server, when the catalog is an H2 file; nothing otherwise. */
    static final class CatalogServer implements AutoCloseable {

        private final Server server;
        private final String url;

        CatalogServer(Server server, String url) {
            this.server = server;
            this.url = url;
        }

        /** The catalog's JDBC URL as run JVMs and other engines reach it. */
        String url() {
            return url;
        }

        @Override
        public void close() {
            if (server != null) {
                server.stop();
            }
        }
    }

    @Bean(destroyMethod = "close")
    CatalogServer catalogServer(MeshStorageProperties storage) {
        String url = storage.catalogJdbcUrl();
        if (!url.startsWith("jdbc:h2:file:")) {
            return new CatalogServer(null, url);
        }
        String rest = url.substring("jdbc:h2:file:".length());
        int options = rest.indexOf(';');
        String path = options < 0 ? rest : rest.substring(0, options);
        String settings = options < 0 ? "" : rest.substring(options);
        int port = EmbeddedPorts.claim(storage.catalog().embeddedPort(), "embedded Iceberg catalog",
                "mesh.storage.catalog.embedded-port");
        try {
            Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifExists", "-tcpDaemon")
                    .start();
            String tcp = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/" + path + settings;
            log.info("Embedded Iceberg catalog served to run JVMs on 127.0.0.1:{}", server.getPort());
            return new CatalogServer(server, tcp);
        } catch (SQLException e) {
            throw new IllegalStateException("could not serve the embedded catalog to run JVMs: " + e.getMessage(), e);
        }
    }

    @Bean
    RunCatalog runCatalog(MeshStorageProperties storage, StorageConfiguration.ObjectStore store, CatalogServer server) {
        Map<String, String> properties = new HashMap<>(store.icebergProperties());
        properties.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        properties.put(CatalogProperties.URI, server.url);
        properties.put("jdbc.user", storage.catalog().username());
        properties.put("jdbc.password", storage.catalog().password());
        properties.put("jdbc.schema-version", "V1");
        return new RunCatalog(properties);
    }
}
