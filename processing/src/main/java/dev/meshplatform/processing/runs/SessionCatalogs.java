package dev.meshplatform.processing.runs;

import org.apache.iceberg.spark.source.HasIcebergCatalog;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.CatalogManager;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;

/**
 * The Iceberg catalogs a Spark session loaded, closed when the session's work is done. Spark never closes a session's
 * catalogs, and each Iceberg JDBC catalog holds a pool of JDBC connections and an S3FileIO (with its S3 clients):
 * a session made with {@code newSession()} would otherwise leak them.
 */
final class SessionCatalogs {

    private static final Logger log = LoggerFactory.getLogger(SessionCatalogs.class);

    private SessionCatalogs() {
    }

    /** Closes every Iceberg catalog the session has loaded; loads none. Safe to call twice. */
    static void close(SparkSession session) {
        CatalogManager catalogs = ((org.apache.spark.sql.classic.SparkSession) session).sessionState()
                .catalogManager();
        for (String name : scala.jdk.javaapi.CollectionConverters.asJava(catalogs.listCatalogs(scala.Option.empty()))) {
            if (name.equalsIgnoreCase(CatalogManager.SESSION_CATALOG_NAME())) {
                // Spark's own; asking for it would create it.
                continue;
            }
            CatalogPlugin plugin = catalogs.catalog(name);
            if (plugin instanceof HasIcebergCatalog iceberg && iceberg.icebergCatalog() instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException | RuntimeException e) {
                    log.warn("Could not close the Iceberg catalog {} of a Spark session: {}", name, e.toString());
                }
            }
        }
    }
}
