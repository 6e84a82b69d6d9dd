package dev.meshplatform.processing.api;

import java.util.Map;

/**
 * How a run JVM reaches the platform's Iceberg catalog: the catalog's properties for Spark's Iceberg catalog
 * (JDBC URI and credentials, the warehouse, S3 file IO and its credentials), as seen from another process on the same
 * machine. The platform builds it from its own storage settings; processing passes it to each run JVM on the JVM's
 * standard input, never on a command line or in a log.
 */
public record RunCatalog(Map<String, String> properties) {

    public RunCatalog {
        properties = Map.copyOf(properties);
    }

    @Override
    public String toString() {
        return "RunCatalog[" + properties.size() + " properties]";
    }
}
