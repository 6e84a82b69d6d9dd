package dev.meshplatform.app.testsupport;

import dev.meshplatform.app.infrastructure.EmbeddedKafkaBroker;
import dev.meshplatform.app.infrastructure.EmbeddedS3Server;
import dev.meshplatform.registry.testsupport.TestDatabase;
import org.h2.tools.Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The parts a platform process needs, run in the test JVM so that killing a platform process never kills them:
 * a Kafka broker, an S3 server, and a database (PostgreSQL when configured, else an H2 TCP server) holding both the
 * registry and the Iceberg catalog. The broker and the S3 server start once per test JVM and serve every test class
 * (their topics and tables are named after each test's own domains); each {@code ExternalParts} has a database of its
 * own, so that a platform process sees only its own test's products and runs only their landing jobs.
 */
public final class ExternalParts implements AutoCloseable {

    public static final String ACCESS_KEY = "external-test";
    public static final String SECRET_KEY = "external-test-secret";

    private final Path dir;
    private final Servers servers;
    private final TestDatabase database;
    private final Server h2;
    private final String registryUrl;
    private final String catalogUrl;

    public ExternalParts() {
        try {
            dir = Files.createTempDirectory("mesh-external");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        servers = Servers.shared();
        if (TestDatabase.postgresConfigured()) {
            database = TestDatabase.postgres();
            h2 = null;
            registryUrl = database.url();
            catalogUrl = database.url();
        } else {
            database = null;
            try {
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                h2 = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir",
                        dir.resolve("h2").toString()).start();
                String name = "db" + UUID.randomUUID().toString().substring(0, 8);
                registryUrl = "jdbc:h2:tcp://127.0.0.1:" + port + "/" + name + "-registry";
                catalogUrl = "jdbc:h2:tcp://127.0.0.1:" + port + "/" + name + "-catalog;DATABASE_TO_LOWER=TRUE";
            } catch (SQLException | IOException e) {
                throw new IllegalStateException("could not start the H2 server", e);
            }
        }
    }

    /** Takes the S3 server away: every request to it fails until {@link #startS3()}. */
    public void stopS3() {
        servers.stopS3();
    }

    /** The S3 server's port on 127.0.0.1, the same across {@link #stopS3()} and {@link #startS3()}. */
    public int s3Port() {
        return servers.s3Port;
    }

    /** Brings the S3 server back on the same port with the same objects; nothing to do while it runs. */
    public void startS3() {
        servers.startS3();
    }

    public String bootstrapServers() {
        return servers.kafka.bootstrapServers();
    }

    /** The command-line settings that point a platform process at these parts. */
    public List<String> platformArguments(Path dataDir, String adminKey) {
        List<String> args = new ArrayList<>();
        args.add("--spring.datasource.url=" + registryUrl);
        args.add("--spring.datasource.username=" + (database != null ? database.user() : "sa"));
        args.add("--spring.datasource.password=" + (database != null ? database.password() : ""));
        args.add("--mesh.storage.catalog.jdbc-url=" + catalogUrl);
        args.add("--mesh.storage.catalog.username=" + (database != null ? database.user() : "sa"));
        args.add("--mesh.storage.catalog.password=" + (database != null ? database.password() : ""));
        args.add("--spring.kafka.bootstrap-servers=" + bootstrapServers());
        args.add("--mesh.storage.s3.endpoint=" + servers.s3Endpoint());
        args.add("--mesh.storage.s3.access-key=" + ACCESS_KEY);
        args.add("--mesh.storage.s3.secret-key=" + SECRET_KEY);
        args.add("--mesh.storage.data-dir=" + dataDir);
        args.add("--mesh.security.bootstrap-admin-key=" + adminKey);
        return args;
    }

    /** Iceberg's JDBC catalog over these parts, as a platform process sees it. */
    public org.apache.iceberg.jdbc.JdbcCatalog catalog() {
        java.util.Map<String, String> properties = new java.util.HashMap<>();
        properties.put("uri", catalogUrl);
        properties.put("jdbc.user", database != null ? database.user() : "sa");
        properties.put("jdbc.password", database != null ? database.password() : "");
        properties.put("jdbc.schema-version", "V1");
        properties.put("warehouse", "s3://mesh/");
        properties.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        properties.put("s3.endpoint", servers.s3Endpoint().toString());
        properties.put("s3.path-style-access", "true");
        properties.put("s3.access-key-id", ACCESS_KEY);
        properties.put("s3.secret-access-key", SECRET_KEY);
        properties.put("client.region", "us-east-1");
        properties.put("http-client.type", "urlconnection");
        org.apache.iceberg.jdbc.JdbcCatalog catalog = new org.apache.iceberg.jdbc.JdbcCatalog();
        catalog.initialize("mesh", properties);
        return catalog;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (h2 != null) {
            h2.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    /** The Kafka broker and the S3 server of this test JVM: started by the first test that needs them. */
    private static final class Servers {

        private static Servers shared;

        private final Path dir;
        private final EmbeddedKafkaBroker kafka;
        private final int s3Port;
        private EmbeddedS3Server s3;
        private boolean s3Running;

        private Servers(Path dir) {
            this.dir = dir;
            kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0, 4 * 1024 * 1024);
            s3 = EmbeddedS3Server.start(dir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY);
            s3Port = s3.endpoint().getPort();
            s3Running = true;
        }

        static synchronized Servers shared() {
            if (shared == null) {
                try {
                    shared = new Servers(Files.createTempDirectory("mesh-external-servers"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Servers toStop = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(toStop::stop, "stop-external-servers"));
            }
            return shared;
        }

        synchronized java.net.URI s3Endpoint() {
            return s3.endpoint();
        }

        synchronized void stopS3() {
            if (s3Running) {
                s3.close();
                s3Running = false;
            }
        }

        synchronized void startS3() {
            if (!s3Running) {
                s3 = EmbeddedS3Server.start(dir.resolve("s3"), s3Port, ACCESS_KEY, SECRET_KEY);
                s3Running = true;
            }
        }

        synchronized void stop() {
            kafka.close();
            stopS3();
        }
    }
}
