package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.CompactionResult;
import dev.meshplatform.processing.api.ProcessingProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compacts small files with Spark's {@code rewrite_data_files}: raw tables while landing goes on (optimistic
 * concurrency; the landing offsets in the table's properties are carried over untouched), output tables only
 * between runs (it takes the product's run slot), so that a run's staging branch can still fast-forward main.
 */
public final class TableMaintenance implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TableMaintenance.class);
    private static final Pattern RAW = Pattern.compile("^(.+)_raw_v(\\d+)$");
    private static final Pattern OUTPUT = Pattern.compile("^(.+)_v(\\d+)$");

    private final Supplier<SparkSession> spark;
    private final Catalog catalog;
    private final RunStore runs;
    private final ProcessingProperties properties;
    private ScheduledExecutorService ticker;
    private volatile boolean running;

    public TableMaintenance(Supplier<SparkSession> spark, Catalog catalog, JdbcTemplate jdbc,
                            ProcessingProperties properties) {
        this.spark = spark;
        this.catalog = catalog;
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
        // Iceberg's Spark action, not its CALL procedure: the platform's session has no SQL extensions.
        RewriteDataFiles.Result rewritten = SparkActions.get(spark.get()).rewriteDataFiles(catalog.loadTable(table))
                .option("min-input-files", "2").execute();
        CompactionResult result = new CompactionResult(table.toString(), rewritten.rewrittenDataFilesCount(),
                rewritten.addedDataFilesCount(), rewritten.rewrittenBytesCount(), false, null);
        if (result.rewrittenFiles() > 0) {
            log.info("Compacted {}: {} files into {} ({} bytes)", table, result.rewrittenFiles(), result.addedFiles(),
                    result.rewrittenBytes());
        }
        return result;
    }

    /** Compacts every raw and output table once. */
    public List<CompactionResult> compactAll() {
        List<CompactionResult> results = new ArrayList<>();
        if (!(catalog instanceof SupportsNamespaces namespaces)) {
            return results;
        }
        for (Namespace namespace : namespaces.listNamespaces()) {
            for (TableIdentifier table : catalog.listTables(namespace)) {
                try {
                    Matcher raw = RAW.matcher(table.name());
                    Matcher output = OUTPUT.matcher(table.name());
                    if (raw.matches()) {
                        results.add(compactRaw(table));
                    } else if (output.matches()) {
                        results.add(compactOutput(namespace.level(0).replace('_', '-'),
                                output.group(1).replace('_', '-'), Integer.parseInt(output.group(2))));
                    }
                } catch (RuntimeException e) {
                    log.warn("Compaction of {} failed; it is tried again next time: {}", table, e.toString());
                }
            }
        }
        return results;
    }

    @Override
    public void start() {
        running = true;
        Duration every = properties.compactionInterval();
        if (every.isZero() || every.isNegative()) {
            return;
        }
        Duration first = properties.compactionFirstPassAfter();
        ticker = DaemonThreads.every("table-maintenance", first.isNegative() || first.compareTo(every) > 0 ? every
                : first, every, this::compactAll, log, "Compaction");
    }

    @Override
    public void stop() {
        running = false;
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the services and stops before them. */
    @Override
    public int getPhase() {
        return dev.meshplatform.registry.api.LifecyclePhases.BACKGROUND;
    }
}
