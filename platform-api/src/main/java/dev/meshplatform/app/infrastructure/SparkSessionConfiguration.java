package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.config.MeshStorageProperties;
import dev.meshplatform.processing.api.ProcessingProperties;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.spark.source.HasIcebergCatalog;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.CatalogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.io.Closeable;
import java.io.IOException;

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
                .config(catalog + ".jdbc.schema-version", "V1")
                // Without Iceberg's table cache the Spark catalog is the JDBC catalog itself, which can be closed.
                .config(catalog + "." + CatalogProperties.CACHE_ENABLED, "false");
        store.icebergProperties().forEach((key, value) -> builder.config(catalog + "." + key, value));
        properties.sparkConf().forEach(builder::config);
        SparkSession session = builder.getOrCreate();
        session.sparkContext().addSparkListener(new CatalogsClosing(session));
        log.info("Spark session started on {} (Spark {}) in {} ms", properties.sparkMaster(), session.version(),
                (System.nanoTime() - started) / 1_000_000);
        return session;
    }

    /**
     * Closes the Iceberg catalogs the session loaded when Spark stops (with the application, or on its own): Spark
     * never closes a catalog, and each holds JDBC connections to the catalog's database and an S3FileIO.
     */
    static final class CatalogsClosing extends SparkListener {

        private final SparkSession session;

        CatalogsClosing(SparkSession session) {
            this.session = session;
        }

        @Override
        public void onApplicationEnd(SparkListenerApplicationEnd end) {
            CatalogManager catalogs = ((org.apache.spark.sql.classic.SparkSession) session).sessionState()
                    .catalogManager();
            for (String name : scala.jdk.javaapi.CollectionConverters.asJava(
                    catalogs.listCatalogs(scala.Option.empty()))) {
                if (name.equalsIgnoreCase(CatalogManager.SESSION_CATALOG_NAME())) {
                    continue; // Spark's own; asking for it would create it.
                }
                if (catalogs.catalog(name) instanceof HasIcebergCatalog iceberg
                        && iceberg.icebergCatalog() instanceof Closeable closeable) {
                    try {
                        closeable.close();
                    } catch (IOException | RuntimeException e) {
                        log.warn("Could not close the Spark session's Iceberg catalog {}: {}", name, e.toString());
                    }
                }
            }
        }
    }
}
