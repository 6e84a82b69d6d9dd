package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.config.MeshStorageProperties;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The object store and the Iceberg catalog: the embedded S3 server unless an endpoint (or AWS) is configured,
 * the S3 client, the warehouse bucket, and Iceberg's JDBC catalog over it.
 */
@Configuration
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    /** Where objects live and how to sign requests; shared by the S3 client, Iceberg and Spark. */
    record ObjectStore(URI endpoint, String region, String accessKey, String secretKey, String bucket,
                       boolean pathStyleAccess, MeshStorageProperties.Requests requests, EmbeddedS3Server embedded)
            implements AutoCloseable {

        String warehouse() {
            return "s3://" + bucket + "/";
        }

        /** Iceberg's S3FileIO settings for this store. */
        Map<String, String> icebergProperties() {
            Map<String, String> properties = new HashMap<>();
            properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse());
            properties.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
            properties.put("client.region", region);
            // Iceberg 1.12 defaults to the SDK's apache5 client, which this SDK version lacks.
            properties.put("http-client.type", "urlconnection");
            properties.put("http-client.urlconnection.socket-timeout-ms",
                    String.valueOf(requests.socketTimeout().toMillis()));
            properties.put("s3.retry.num-retries", String.valueOf(requests.retries()));
            if (endpoint != null) {
                properties.put("s3.endpoint", endpoint.toString());
            }
            properties.put("s3.path-style-access", String.valueOf(pathStyleAccess));
            if (accessKey != null) {
                properties.put("s3.access-key-id", accessKey);
                properties.put("s3.secret-access-key", secretKey);
            }
            return properties;
        }

        @Override
        public void close() {
            if (embedded != null) {
                embedded.close();
            }
        }

        @Override
        public String toString() {
            return "ObjectStore[" + (endpoint == null ? "AWS" : endpoint) + ", bucket " + bucket + "]";
        }
    }

    /** The profile of the embedded S3 server's credentials in {@link #s3CredentialsFileIn}. */
    static final String S3_CREDENTIALS_PROFILE = "mesh-embedded";

    /** Where the embedded default writes its S3 server's credentials: {@code <data-dir>/s3-credentials}. */
    static Path s3CredentialsFileIn(MeshStorageProperties storage) {
        return storage.dataDir().resolve("s3-credentials").toAbsolutePath();
    }

    @Bean(destroyMethod = "close")
    ObjectStore objectStore(MeshStorageProperties storage) {
        MeshStorageProperties.S3 s3 = storage.s3();
        if (s3.startsEmbedded()) {
            // In-process and on loopback only: fresh random credentials at every start leave nothing to steal.
            String accessKey = s3.accessKey() != null ? s3.accessKey() : "mesh-" + random(8);
            String secretKey = s3.secretKey() != null ? s3.secretKey() : random(24);
            int port = EmbeddedPorts.claim(s3.embeddedPort(), "embedded S3 server", "mesh.storage.s3.embedded-port");
            EmbeddedS3Server server = EmbeddedS3Server.start(storage.dataDir().resolve("s3"), port, accessKey,
                    secretKey);
            // awscli and other engines find them here, in the AWS shared-credentials format, never in the log.
            OwnerOnlyFiles.write(s3CredentialsFileIn(storage), "[" + S3_CREDENTIALS_PROFILE + "]\n"
                    + "aws_access_key_id = " + accessKey + "\naws_secret_access_key = " + secretKey + "\n",
                    "the embedded S3 server's credentials");
            return new ObjectStore(server.endpoint(), s3.region(), accessKey, secretKey, s3.bucket(), true,
                    s3.requests(), server);
        }
        return new ObjectStore(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey(), s3.bucket(),
                s3.pathStyleAccess(), s3.requests(), null);
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(ObjectStore store) {
        AwsCredentialsProvider credentials = store.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(store.accessKey(), store.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
                .region(Region.of(store.region()))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(store.requests().socketTimeout()).build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(store.requests().retries() + 1).build()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(store.pathStyleAccess()).build());
        if (store.endpoint() != null) {
            builder.endpointOverride(store.endpoint());
        }
        S3Client client = builder.build();
        ensureBucket(client, store.bucket());
        return client;
    }

    private static void ensureBucket(S3Client client, String bucket) {
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException missing) {
            client.createBucket(b -> b.bucket(bucket));
            log.info("Created the warehouse bucket {}", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            client.createBucket(b -> b.bucket(bucket));
            log.info("Created the warehouse bucket {}", bucket);
        }
    }

    @Bean(destroyMethod = "close")
    JdbcCatalog icebergCatalog(MeshStorageProperties storage, ObjectStore store, S3Client s3Client) {
        Map<String, String> properties = new HashMap<>(store.icebergProperties());
        properties.put(CatalogProperties.URI, storage.catalogJdbcUrl());
        properties.put("jdbc.user", storage.catalog().username());
        properties.put("jdbc.password", storage.catalog().password());
        // V1 keeps the catalog's schema stable across restarts on H2 (see VERSIONS.md).
        properties.put("jdbc.schema-version", "V1");
        // Manifests never change once written: serving plans from memory what it read before (bounded, 100 MB).
        properties.put(CatalogProperties.IO_MANIFEST_CACHE_ENABLED, "true");
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.initialize("mesh", properties);
        log.info("Iceberg JDBC catalog ready on {} with warehouse {}", storage.catalogJdbcUrl().replaceAll(";.*", ""),
                store.warehouse());
        return catalog;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
