package dev.meshplatform.ingestion.api;

import dev.meshplatform.registry.api.Names;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Where a product major's events land: Kafka topic {@code <domain>.<product>.v<major>}, its dead-letter topic, and
 * the Iceberg table {@code <domain>.<product>_raw_v<major>} (dashes as underscores, so that SQL needs no quoting).
 */
public final class RawTables {

    /** Columns the platform adds to every raw table; contract fields cannot start with '_'. */
    public static final String SOURCE_PARTITION = "_source_partition";
    public static final String SOURCE_OFFSET = "_source_offset";
    public static final String KAFKA_TIMESTAMP = "_kafka_timestamp";
    public static final String INGESTED_AT = "_ingested_at";

    private RawTables() {
    }

    public static String topic(String domain, String product, int major) {
        return Names.topic(domain, product, major);
    }

    public static String deadLetterTopic(String domain, String product, int major) {
        return topic(domain, product, major) + ".dlq";
    }

    public static Namespace namespace(String domain) {
        return Namespace.of(domain.replace('-', '_'));
    }

    public static TableIdentifier rawTable(String domain, String product, int major) {
        return TableIdentifier.of(namespace(domain), product.replace('-', '_') + "_raw_v" + major);
    }

    /** The key of a landing job: one per product major. */
    public static String jobKey(String domain, String product, int major) {
        return domain + "/" + product + "/v" + major;
    }
}
