package dev.meshplatform.ingestion.api;

import dev.meshplatform.registry.api.ProductMajor;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * Where a product major's events land: its Kafka topic, its dead-letter topic and its raw Iceberg table, all named by
 * {@link ProductMajor}.
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
        return new ProductMajor(domain, product, major).topic();
    }

    public static String deadLetterTopic(String domain, String product, int major) {
        return new ProductMajor(domain, product, major).deadLetterTopic();
    }

    public static TableIdentifier rawTable(String domain, String product, int major) {
        return rawTable(new ProductMajor(domain, product, major));
    }

    public static TableIdentifier rawTable(ProductMajor major) {
        return TableIdentifier.of(Namespace.of(major.namespace()), major.rawTable());
    }

    /**
     * The raw table as it is in the catalog: under its legacy name ({@link ProductMajor#legacyRawTable()}) until its
     * landing job renames it. A legacy-named table counts only if it has the raw columns: the same name may be
     * another product's output table.
     */
    public static TableIdentifier existing(Catalog catalog, ProductMajor major) {
        TableIdentifier current = rawTable(major);
        TableIdentifier legacy = TableIdentifier.of(current.namespace(), major.legacyRawTable());
        if (catalog.tableExists(current) || !catalog.tableExists(legacy)) {
            return current;
        }
        return catalog.loadTable(legacy).schema().findField(SOURCE_OFFSET) != null ? legacy : current;
    }

    /**
     * Renames a legacy-named raw table to its current name; called by its landing job, its only writer, while it
     * holds the lease. A run reading it meanwhile is unaffected (snapshots and files stay); a compaction committing
     * meanwhile fails on the catalog's conditional update and is tried again next pass.
     */
    public static boolean migrateName(Catalog catalog, ProductMajor major) {
        TableIdentifier found = existing(catalog, major);
        if (found.equals(rawTable(major))) {
            return false;
        }
        try {
            catalog.renameTable(found, rawTable(major));
            return true;
        } catch (AlreadyExistsException | NoSuchTableException raced) {
            return false;
        }
    }

    /** The key of a landing job: one per product major. */
    public static String jobKey(String domain, String product, int major) {
        return new ProductMajor(domain, product, major).key();
    }
}
