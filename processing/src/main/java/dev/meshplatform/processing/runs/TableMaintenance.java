package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.CompactionResult;
import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.registry.api.BackgroundLoop;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductMajor;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Compacts small files with Spark's {@code rewrite_data_files}: raw tables while landing goes on (optimistic
 * concurrency; the landing offsets in the table's properties are carried over untouched), output tables only
 * between runs (it takes the product's run slot), so that a run's staging branch can still fast-forward main.
 */
final class TableMaintenance extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(TableMaintenance.class);

    private final Supplier<SparkSession> spark;
    private final Catalog catalog;
    private final ProductCatalog products;
    private final RunStore runs;
    private final ProcessingProperties properties;

    public TableMaintenance(Supplier<SparkSession> spark, Catalog catalog, ProductCatalog products, JdbcTemplate jdbc,
                            ProcessingProperties properties, TaskScheduler scheduler) {
        super(scheduler, "Compaction");
        this.spark = spark;
        this.catalog = catalog;
        this.products = products;
        this.runs = new RunStore(jdbc);
        this.properties = properties;
    }

    /** Compacts a raw table now, while its landing job may be committing. */
    public CompactionResult compactRaw(TableIdentifier table) {
        return rewrite(table);
    }

    /** Compacts a product's output table, unless a run holds the product (then it is skipped this time). */
    public CompactionResult compactOutput(String domain, String product, int major) {
        TableIdentifier table = WriteAuditPublish.outputTable(domain, product, major);
        String key = RunService.productKey(domain, product, major);
        String slot = RunStore.maintenanceSlot("compaction");
        if (!runs.lock(key, slot)) {
            return new CompactionResult(table.toString(), 0, 0, 0, true, "a run of the product is in progress");
        }
        try {
            return rewrite(table);
        } finally {
            runs.unlock(key, slot);
        }
    }

    private CompactionResult rewrite(TableIdentifier table) {
        if (!catalog.tableExists(table)) {
            return new CompactionResult(table.toString(), 0, 0, 0, true, "no such table");
        }
        // Iceberg's Spark action, not its CALL procedure: the platform's session has no SQL extensions. Only small
        // files are candidates: what compaction wrote comes out below the target once compressed, and a minimum
        // relative to the target (Iceberg's default) would rewrite it again at every pass.
        RewriteDataFiles.Result rewritten = SparkActions.get(spark.get()).rewriteDataFiles(catalog.loadTable(table))
                .option("min-input-files", "2")
                .option("target-file-size-bytes", String.valueOf(properties.compactionTargetFileSize().toBytes()))
                .option("min-file-size-bytes", String.valueOf(properties.compactionSmallFileSize().toBytes()))
                .execute();
        CompactionResult result = new CompactionResult(table.toString(), rewritten.rewrittenDataFilesCount(),
                rewritten.addedDataFilesCount(), rewritten.rewrittenBytesCount(), false, null);
        if (result.rewrittenFiles() > 0) {
            log.info("Compacted {}: {} files into {} ({} bytes)", table, result.rewrittenFiles(), result.addedFiles(),
                    result.rewrittenBytes());
        }
        return result;
    }

    /** Compacts the raw and output tables of every served product major once; the registry says which. */
    public List<CompactionResult> compactAll() {
        List<CompactionResult> results = new ArrayList<>();
        for (ProductMajor major : products.servedMajors()) {
            try {
                TableIdentifier raw = WriteAuditPublish.rawTable(catalog, major);
                if (catalog.tableExists(raw)) {
                    results.add(compactRaw(raw));
                }
                results.add(compactOutput(major.domain(), major.product(), major.major()));
            } catch (RuntimeException e) {
                log.warn("Compaction of {} failed; it is tried again next time: {}", major, e.toString());
            }
        }
        return results;
    }

    @Override
    protected Duration period() {
        return properties.compactionInterval();
    }

    @Override
    protected Duration firstPassAfter() {
        Duration first = properties.compactionFirstPassAfter();
        return first.isNegative() || first.compareTo(period()) > 0 ? period() : first;
    }

    @Override
    protected void pass() {
        compactAll();
    }
}
