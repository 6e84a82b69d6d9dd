package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.config.MeshStorageProperties;
import dev.meshplatform.processing.api.ProcessingProperties;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The one SparkSession of the platform's JVM, for platform code only (compaction of tables); created on first use
 * (Spark takes seconds to start and most requests never need it) and stopped with the application. Domains' SQL never
 * runs here: each run executes in a run JVM of its own.
 */
@Configuration
class SparkSessionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SparkSessionConfiguration.class);

    /** The Spark name of the platform's Iceberg catalog: tables are {@code mesh.<namespace>.<table>}. */
    static final String CATALOG = "mesh";

    @Bean(destroyMethod = "stop")
    @Lazy
    SparkSession sparkSession(ProcessingProperties properties, MeshStorageProperties storage,
                              StorageConfiguration.ObjectStore store) {
        long started = System.nanoTime();
        SparkSession.Builder builder = SparkSession.builder()
                .appName("mesh-platform")
                .master(properties.sparkMaster())
                .config("spark.ui.enabled", "false")
                // Spark's own URL stream handler factory clashes with Tomcat's (java.lang.Error: factory already defined).
                .config("spark.sql.defaultUrlStreamHandlerFactory.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(properties.shufflePartitions()))
                .config("spark.sql.session.timeZone", "UTC");
        if (properties.sparkMaster().startsWith("local")) {
            // The embedded runner listens on loopback only.
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        // The same Iceberg catalog as the platform's own (JDBC catalog, S3FileIO on the same store). No Iceberg SQL
        // extensions: compaction uses Iceberg's Spark actions, and no session of this JVM parses CALL.
        String catalog = "spark.sql.catalog." + CATALOG;
        builder.config(catalog, "org.apache.iceberg.spark.SparkCatalog")
                .config(catalog + ".catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
                .config(catalog + ".uri", storage.catalogJdbcUrl())
                .config(catalog + ".jdbc.user", storage.catalog().username())
                .config(catalog + ".jdbc.password", storage.catalog().password())
                .config(catalog + ".jdbc.schema-version", "V1");
        store.icebergProperties().forEach((key, value) -> builder.config(catalog + "." + key, value));
        properties.sparkConf().forEach(builder::config);
        SparkSession session = builder.getOrCreate();
        log.info("Spark session started on {} (Spark {}) in {} ms", properties.sparkMaster(), session.version(),
                (System.nanoTime() - started) / 1_000_000);
        return session;
    }
}
