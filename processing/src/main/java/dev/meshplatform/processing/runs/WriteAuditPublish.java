package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.GovernedInput;
import dev.meshplatform.processing.api.InputAccess;
import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.processing.api.RunCatalog;
import dev.meshplatform.processing.api.RunControl;
import dev.meshplatform.processing.api.RunRefusedException;
import dev.meshplatform.processing.api.SqlRefusedException;
import dev.meshplatform.processing.api.TransformationOutcome;
import dev.meshplatform.processing.api.Transformations;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.Transformation;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a transformation as write–audit–publish, with the domain's SQL in a run JVM of its own: platform code here
 * asks governance how the run may read its inputs, creates the output table and a staging branch {@code run_<id>},
 * and hands the run to a run JVM, which reads the governed inputs, executes the checked query, writes the result to
 * the branch and evaluates the quality rules there. Back here, main is fast-forwarded to the branch only when every
 * blocking rule passed and the run was not cancelled first. Consumers reading main never see unchecked data.
 */
final class WriteAuditPublish implements Transformations, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteAuditPublish.class);

    private final Catalog catalog;
    private final RunJvms jvms;
    private final InputAccess inputAccess;
    private final ProcessingProperties properties;

    public WriteAuditPublish(Catalog catalog, RunCatalog runCatalog, InputAccess inputAccess,
                             ProcessingProperties properties) {
        this.catalog = catalog;
        this.jvms = new RunJvms(properties, runCatalog);
        this.inputAccess = inputAccess;
        this.properties = properties;
    }

    /** Starts an analysis JVM for the lineage sandbox, from the run JVMs' class archive when it is written. */
    RunJvmProcess startAnalysisJvm() {
        return jvms.startForAnalyses();
    }

    /** Stops the run JVMs kept warm; runs going on are stopped by their run service. */
    @Override
    public void close() {
        jvms.close();
    }

    static TableIdentifier outputTable(String domain, String product, int major) {
        return outputTable(new ProductMajor(domain, product, major));
    }

    static TableIdentifier outputTable(ProductMajor major) {
        return TableIdentifier.of(Namespace.of(major.namespace()), major.outputTable());
    }

    /**
     * The raw table a run reads: under its legacy name until its landing job, the table's only writer, has renamed
     * it (reading is unaffected by a rename that happens meanwhile: snapshots and files stay as they are).
     */
    static TableIdentifier rawTable(Catalog catalog, ProductMajor major) {
        TableIdentifier current = TableIdentifier.of(Namespace.of(major.namespace()), major.rawTable());
        TableIdentifier legacy = TableIdentifier.of(Namespace.of(major.namespace()), major.legacyRawTable());
        // The legacy name counts only for a table with the landing columns: it may be another product's output table.
        return !catalog.tableExists(current) && catalog.tableExists(legacy)
                && catalog.loadTable(legacy).schema().findField("_source_offset") != null ? legacy : current;
    }

    static String branch(String runId) {
        return "run_" + runId.replaceAll("[^A-Za-z0-9_]", "_");
    }

    @Override
    public TransformationOutcome run(ProductVersionView version, String runId, RunControl control) {
        ProductDescriptor descriptor = version.descriptor();
        Transformation transformation = descriptor.transformation();
        if (transformation == null) {
            throw new SqlRefusedException("product " + version.domain() + "/" + version.product() + " "
                    + version.version() + " declares no transformation");
        }
        // The apply-time check again, in the platform: a version the allowlist refuses now never starts a JVM.
        SandboxedSql.check(transformation.sql(), SqlDescriptorCheck.transformationViews(descriptor));
        InputAccess.Decision access = inputAccess.decide(version, runId);
        if (access.refused()) {
            throw new RunRefusedException("input access refused: " + access.refusal());
        }
        List<RunSpec.View> views = views(version, descriptor, access);
        long rowsRead = 0;
        long bytesRead = 0;
        for (RunSpec.View view : views) {
            TableIdentifier id = TableIdentifier.of(view.table().namespace(), view.table().name());
            if (!catalog.tableExists(id)) {
                throw new SqlRefusedException("the input '" + view.name() + "' (" + id + ") has no data yet");
            }
            Table source = catalog.loadTable(id);
            rowsRead += Long.parseLong(currentSummary(source, "total-records"));
            bytesRead += Long.parseLong(currentSummary(source, "total-files-size"));
        }

        TableIdentifier output = outputTable(version.domain(), version.product(), version.major());
        Table table = ensureOutputTable(output, descriptor);
        String branch = branch(runId);
        if (table.currentSnapshot() == null) {
            // A branch starts from a snapshot: an empty one on main gives the first run something to branch from.
            table.newAppend().commit();
            table.refresh();
        }
        long base = table.currentSnapshot().snapshotId();
        table.manageSnapshots().createBranch(branch, base).commit();
        RunSpec spec = new RunSpec(runId, version.domain(), version.product(), version.version(), transformation.sql(),
                transformation.effectiveMode().name(), transformation.mergeKeys(), descriptor.schema(),
                descriptor.quality(), new RunSpec.Table(output.namespace().toString(), output.name()), branch, views,
                access.maskHashKey());
        Duration limit = properties.runTimeLimit(transformation.requestedTimeLimit());

        control.phase("starting", 0.05);
        RunEvent end;
        long asked = System.nanoTime();
        try (RunJvmProcess jvm = jvms.take()) {
            control.onCancel(() -> jvm.stop("cancelled"));
            boolean warm = jvm.ready();
            try {
                end = jvm.run(spec, limit, event -> control.phase(event.phase(), event.progress()));
            } finally {
                log.info("Run {} of {}/{} ran in JVM {} ({}): {} ms ({})", runId, version.domain(),
                        version.product(), jvm.pid(), warm ? "warm" : "still starting",
                        (System.nanoTime() - asked) / 1_000_000, jvm.timings());
            }
        } catch (RunJvmProcess.RunStopped stopped) {
            dropBranch(table, branch);
            throw new RunEndedException(stopped.reason() == RunJvmProcess.RunStopped.Cause.CANCELLED,
                    stopped.getMessage());
        } finally {
            control.onCancel(() -> { });
            jvms.fill();
        }
        if (!"staged".equals(end.event())) {
            dropBranch(table, branch);
            if ("refused".equals(end.event())) {
                throw new SqlRefusedException(end.message(), end.construct(), end.line(), end.column());
            }
            throw new RunEndedException(false, end.message());
        }

        table.refresh();
        Snapshot staged = table.snapshot(branch);
        List<RuleResult> rules = end.rules() == null ? List.of() : end.rules();
        // What this run wrote (in append mode too), not what the table holds: its commit's added rows and bytes.
        boolean wrote = staged != null && staged.snapshotId() != base;
        long rowsWritten = wrote ? Long.parseLong(staged.summary().getOrDefault("added-records", "0")) : 0;
        long bytesWritten = wrote ? Long.parseLong(staged.summary().getOrDefault("added-files-size", "0")) : 0;
        boolean passed = rules.stream().noneMatch(r -> r.blocking() && !r.passed());
        boolean publish;
        try {
            publish = passed && staged != null && control.beginPublish();
        } catch (RuntimeException refused) {
            dropBranch(table, branch);
            throw refused;
        }
        control.phase("publishing", 0.9);
        if (publish) {
            table.manageSnapshots().fastForwardBranch("main", branch).commit();
            table.refresh();
            String tag = "v" + version.version();
            var tags = table.manageSnapshots();
            if (table.refs().containsKey(tag)) {
                tags.replaceTag(tag, staged.snapshotId());
            } else {
                tags.createTag(tag, staged.snapshotId());
            }
            tags.removeBranch(branch).commit();
            log.info("Run {} of {}/{} {} published snapshot {} ({} rows)", runId, version.domain(), version.product(),
                    version.version(), staged.snapshotId(), rowsWritten);
        } else {
            dropBranch(table, branch);
            if (passed && staged != null) {
                throw new RunEndedException(true, "cancelled");
            }
            log.info("Run {} of {}/{} {} not published: {}", runId, version.domain(), version.product(),
                    version.version(), rules.stream().filter(r -> r.blocking() && !r.passed())
                            .map(RuleResult::rule).collect(Collectors.joining(", ")));
        }
        return new TransformationOutcome(publish, staged == null ? null : staged.snapshotId(), rowsRead, bytesRead,
                rowsWritten, bytesWritten, rules, output.toString());
    }

    /** The run's views: its raw table whole, and each input product as governance decided it may be read. */
    private List<RunSpec.View> views(ProductVersionView version, ProductDescriptor descriptor,
                                            InputAccess.Decision access) {
        List<RunSpec.View> views = new ArrayList<>();
        if (descriptor.kafkaInput().isPresent()) {
            TableIdentifier raw = rawTable(catalog, ProductMajor.of(version));
            views.add(RunSpec.View.plain("raw", new RunSpec.Table(raw.namespace().toString(), raw.name())));
        }
        for (InputPort input : descriptor.productInputs()) {
            GovernedInput governed = access.inputs().stream()
                    .filter(g -> g.domain().equals(input.domain()) && g.product().equals(input.product())
                            && g.major() == input.majorVersion())
                    .findFirst()
                    .orElseThrow(() -> new RunRefusedException("input access refused: no decision for input "
                            + input.domain() + "/" + input.product() + " v" + input.majorVersion()));
            ProductMajor inputMajor = new ProductMajor(input.domain(), input.product(), input.majorVersion());
            TableIdentifier id = outputTable(inputMajor);
            views.add(new RunSpec.View(inputMajor.inputView(),
                    new RunSpec.Table(id.namespace().toString(), id.name()), governed.columns(),
                    governed.rowFilters(), governed.masks()));
        }
        return views;
    }

    /** Removes a run's staging branch, if it is there (a failed, refused or cancelled run). */
    public void dropBranch(String domain, String product, int major, String runId) {
        TableIdentifier output = outputTable(domain, product, major);
        if (catalog.tableExists(output)) {
            dropBranch(catalog.loadTable(output), branch(runId));
        }
    }

    private static void dropBranch(Table table, String branch) {
        table.refresh();
        if (table.refs().containsKey(branch)) {
            table.manageSnapshots().removeBranch(branch).commit();
        }
    }

    private static String currentSummary(Table table, String key) {
        return table.currentSnapshot() == null ? "0" : table.currentSnapshot().summary().getOrDefault(key, "0");
    }

    private Table ensureOutputTable(TableIdentifier id, ProductDescriptor descriptor) {
        org.apache.iceberg.Schema schema = outputSchema(descriptor);
        String rowGroupSize = String.valueOf(properties.outputRowGroupSize().toBytes());
        if (catalog.tableExists(id)) {
            Table table = catalog.loadTable(id);
            try {
                evolve(table, schema);
            } catch (IncompatibleSchemaException e) {
                throw new RunEndedException(false, e.getMessage());
            }
            if (!rowGroupSize.equals(table.properties().get(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES))) {
                // A table from before the setting, or before it changed: this run's files get the new size.
                table.updateProperties().set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, rowGroupSize).commit();
            }
            return table;
        }
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id.namespace())) {
            namespaces.createNamespace(id.namespace());
        }
        PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
        if (descriptor.outputPort() != null) {
            for (String transform : descriptor.outputPort().partitioning()) {
                Partitioning.apply(spec, transform);
            }
        }
        // Row groups far below Parquet's usual 128 MB: a governed read's page starts at the row group its first row
        // is in and decodes the rows before that row there (docs/benchmarks.md, Governance).
        return catalog.buildTable(id, schema).withPartitionSpec(spec.build())
                .withProperty("format-version", "2")
                .withProperty(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, rowGroupSize).create();
    }

    /** The output table's schema for a version's contract. */
    static org.apache.iceberg.Schema outputSchema(ProductDescriptor descriptor) {
        return SparkSchemaUtil.convert(SparkTypes.schema(descriptor.schema()));
    }

    /**
     * Brings an output table to a minor version's contract: new columns added (optional, by name, nested ones
     * included), types widened; nothing dropped or renamed, so the snapshots of earlier versions stay readable.
     * True when the schema changed.
     *
     * @throws IncompatibleSchemaException when the table cannot take the contract (a change a minor may not make)
     */
    static boolean evolve(Table table, org.apache.iceberg.Schema contract) {
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            try {
                UpdateSchema update = table.updateSchema().unionByNameWith(contract);
                if (update.apply().sameSchema(table.schema())) {
                    return false;
                }
                update.commit();
                log.info("Evolved output table {} to the contract's schema", table.name());
                return true;
            } catch (CommitFailedException e) {
                if (attempt >= 5) {
                    throw e;
                }
            } catch (IllegalArgumentException | ValidationException e) {
                throw new IncompatibleSchemaException("the output table " + table.name()
                        + " cannot take this contract: " + e.getMessage()
                        + " (incompatible changes need a new major version)");
            }
        }
    }

    /** A contract the existing output table cannot take. */
    static final class IncompatibleSchemaException extends RuntimeException {

        IncompatibleSchemaException(String message) {
            super(message, null, false, false);
        }
    }

    /** A run that ended without a result: stopped (time limit, out of memory, a crash) or cancelled. */
    static final class RunEndedException extends RuntimeException {

        private final boolean cancelled;

        RunEndedException(boolean cancelled, String message) {
            super(message, null, false, false);
            this.cancelled = cancelled;
        }

        boolean cancelled() {
            return cancelled;
        }
    }
}
