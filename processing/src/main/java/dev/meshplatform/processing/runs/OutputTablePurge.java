package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.RetiredDataPurge;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Drops a retired major's output table with its files, once its retention is over. */
final class OutputTablePurge implements RetiredDataPurge {

    private static final Logger log = LoggerFactory.getLogger(OutputTablePurge.class);

    private final Catalog catalog;

    public OutputTablePurge(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void purge(ProductMajor major) {
        TableIdentifier output = WriteAuditPublish.outputTable(major);
        if (catalog.dropTable(output, true)) {
            log.info("Dropped output table {} of retired {} with its files", output, major);
        }
    }
}
