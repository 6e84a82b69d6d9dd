package dev.meshplatform.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the {@code mesh.storage} area: where the embedded default keeps its files, the S3 bucket of the
 * warehouse, and Iceberg's JDBC catalog. docs/configuration.md describes each.
 *
 * @param dataDir where the embedded default keeps its files (databases, Kafka logs, S3 objects, generated keys)
 * @param s3      the object store; the embedded S3 server starts when {@code endpoint} is unset
 * @param catalog Iceberg's JDBC catalog; an H2 file of its own under {@code dataDir} when {@code jdbcUrl} is unset
 */
@ConfigurationProperties("mesh.storage")
public record MeshStorageProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue S3 s3,
        @DefaultValue Catalog catalog) {

    /**
     * @param endpoint        an S3 endpoint (MinIO, another S3-compatible store), or unset: AWS S3 when
     *                        {@code embedded} is false, else the embedded server
     * @param embedded        start the in-process S3 server (the default when no endpoint is set)
     * @param region          the signing region
     * @param accessKey       credentials; unset with the embedded server: random ones at every start; unset with
     *                        AWS: the default credential chain
     * @param secretKey       see accessKey
     * @param bucket          the warehouse's bucket, created when missing
     * @param pathStyleAccess path-style URLs ({@code endpoint/bucket/key}), as MinIO and the embedded server need
     * @param embeddedPort    the embedded server's port on 127.0.0.1; 0 picks a free one at every start
     * @param requests        how long one S3 request may take and how it is retried, for every client of the store
     */
    public record S3(URI endpoint,
                     @DefaultValue("true") boolean embedded,
                     @DefaultValue("us-east-1") String region,
                     String accessKey,
                     String secretKey,
                     @DefaultValue("mesh") String bucket,
                     @DefaultValue("true") boolean pathStyleAccess,
                     @DefaultValue("9000") int embeddedPort,
                     @DefaultValue Requests requests) {

        public boolean startsEmbedded() {
            return endpoint == null && embedded;
        }

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", embedded=" + embedded + ", region=" + region + ", bucket=" + bucket
                    + ", accessKey=" + (accessKey == null ? "unset" : "****") + "]";
        }
    }

    /**
     * Bounds on one S3 request. A job sees a storage outage only once a request has given up, so these decide how
     * soon a landing job reports RETRYING and starts again from its table's offsets.
     *
     * @param retries       how often a failed request is tried again (Iceberg's default: 5)
     * @param socketTimeout how long a try waits for bytes on an open connection before it fails
     */
    public record Requests(@DefaultValue("5") int retries, @DefaultValue("30s") Duration socketTimeout) {

        public Requests {
            if (retries < 0 || retries > 20) {
                throw new IllegalArgumentException("mesh.storage.s3.requests.retries must be between 0 and 20, not "
                        + retries);
            }
            if (socketTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("mesh.storage.s3.requests.socket-timeout must be at least 1s, not "
                        + socketTimeout);
            }
        }
    }

    /**
     * @param jdbcUrl  the catalog's database; unset: {@code jdbc:h2:file:<dataDir>/catalog/iceberg} (a file of its
     *                 own: the catalog needs H2's DATABASE_TO_LOWER, which must not touch the registry's database)
     * @param username the catalog database's user
     * @param password the catalog database's password
     * @param embeddedPort the port on 127.0.0.1 on which the embedded catalog (an H2 file) is served to run JVMs and to
     *                 other engines while the platform runs; 0 picks a free one at every start
     */
    public record Catalog(String jdbcUrl, @DefaultValue("sa") String username, @DefaultValue("") String password,
                          @DefaultValue("9094") int embeddedPort) {

        @Override
        public String toString() {
            return "Catalog[jdbcUrl=" + jdbcUrl + ", username=" + username + "]";
        }
    }

    public String catalogJdbcUrl() {
        return catalog.jdbcUrl() != null ? catalog.jdbcUrl()
                : "jdbc:h2:file:" + dataDir.resolve("catalog").resolve("iceberg").toAbsolutePath()
                + ";DATABASE_TO_LOWER=TRUE";
    }
}
