package dev.meshplatform.app.ingestion;

import dev.meshplatform.ingestion.api.RawTables;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/** Counts what a raw table holds, read through the catalog and S3 as any Iceberg reader would. */
final class RawTableRows {

    private final Catalog catalog;
    private final String domain;
    private final String product;

    RawTableRows(Catalog catalog, String domain, String product) {
        this.catalog = catalog;
        this.domain = domain;
        this.product = product;
    }

    private Table table() {
        return catalog.loadTable(RawTables.rawTable(domain, product, 1));
    }

    long count() {
        Table table = table();
        return table.currentSnapshot() == null ? 0
                : Long.parseLong(table.currentSnapshot().summary().getOrDefault("total-records", "0"));
    }

    /** Rows, distinct ids, and the highest id. */
    long[] countAndDistinct() {
        Set<Long> ids = new HashSet<>();
        long rows = 0;
        long max = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(table()).select("id").build()) {
            for (Record record : records) {
                long id = (Long) record.getField("id");
                ids.add(id);
                max = Math.max(max, id);
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new long[]{rows, ids.size(), max};
    }
}
