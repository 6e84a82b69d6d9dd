package dev.meshplatform.app.ingestion;

import org.apache.iceberg.catalog.Catalog;

/** {@link RawTableRows} for tests in other packages. */
public final class RawTableRowsAccess {

    private final RawTableRows rows;

    public RawTableRowsAccess(Catalog catalog, String domain, String product) {
        this.rows = new RawTableRows(catalog, domain, product);
    }

    public long count() {
        return rows.count();
    }

    public long[] countAndDistinct() {
        return rows.countAndDistinct();
    }
}
