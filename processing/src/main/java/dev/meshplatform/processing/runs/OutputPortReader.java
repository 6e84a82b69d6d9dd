package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.processing.api.ProcessingException;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads output ports straight from Iceberg (no Spark): fast for the small, filtered reads that serving does. Tables
 * read lately are kept and refreshed at every read: one catalog query, and the metadata file read again only when a
 * commit changed it.
 */
final class OutputPortReader implements OutputPorts {

    /** How many output tables stay loaded; one holds its metadata (schemas, snapshots, refs). */
    static final int TABLES_KEPT = 512;

    private final Catalog catalog;
    private final ServingFileCache files;
    private final Map<TableIdentifier, Table> tables = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<TableIdentifier, Table> eldest) {
                    return size() > TABLES_KEPT;
                }
            });

    public OutputPortReader(Catalog catalog, ServingFileCache files) {
        this.catalog = catalog;
        this.files = files;
    }

    /**
     * Applies {@code read} to the output table as it is now, holding the table while {@code read} looks at its
     * metadata, so that one read sees one version of it (the planning and reading of files come after, outside).
     */
    private <T> T withTable(String domain, String product, int major, java.util.function.Function<Table, T> read) {
        TableIdentifier id = WriteAuditPublish.outputTable(domain, product, major);
        try {
            Table table = tables.get(id);
            if (table == null) {
                table = catalog.loadTable(id);
                tables.put(id, table);
                synchronized (table) {
                    return read.apply(table);
                }
            }
            synchronized (table) {
                table.refresh();
                return read.apply(table);
            }
        } catch (NoSuchTableException e) {
            // Never written, or dropped since (a retired major's data is purged).
            tables.remove(id);
            throw new ProcessingException(ProcessingException.Reason.NOT_FOUND, "output-port-not-found",
                    "product " + domain + "/" + product + " v" + major + " has no output data yet");
        }
    }

    /** Runs every task in the thread that submits it. */
    private static final class CallerThreadExecutor extends AbstractExecutorService {

        static final CallerThreadExecutor INSTANCE = new CallerThreadExecutor();

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            // Shared and stateless: never shut down.
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }

    @Override
    public ReadResult read(String domain, String product, int major, ReadRequest request) {
        try (RowScan scan = scan(domain, product, major, request)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            scan.forEachRemaining(rows::add);
            return new ReadResult(scan.columns(), rows, scan.snapshotId());
        }
    }

    @Override
    public RowScan scan(String domain, String product, int major, ReadRequest request) {
        // Planning and reading files come after the table is let go: other reads of it need not wait for them.
        return withTable(domain, product, major, table -> scan(table, request)).get();
    }

    /** The scan of the request, resolved against the table's metadata; it plans and reads when got. */
    private java.util.function.Supplier<RowScan> scan(Table table, ReadRequest request) {
        Long snapshot = request.snapshot();
        if (request.tag() != null) {
            SnapshotRef ref = table.refs().get(request.tag());
            if (ref == null) {
                throw new ProcessingException(ProcessingException.Reason.NOT_FOUND, "not-yet-published",
                        "no run has published data tagged '" + request.tag() + "' yet: a version's data is "
                                + "readable by version once one of its runs has published");
            }
            snapshot = ref.snapshotId();
        }
        if (snapshot == null && table.currentSnapshot() != null) {
            snapshot = table.currentSnapshot().snapshotId();
        }
        if (snapshot != null && (table.snapshot(snapshot) == null || !published(table).contains(snapshot))) {
            // Only published data is readable: a staged or refused snapshot does not exist for readers.
            throw new ProcessingException(ProcessingException.Reason.NOT_FOUND, "snapshot-not-found",
                    "the output port has no published snapshot " + snapshot);
        }
        List<String> columns = request.columns().isEmpty()
                ? table.schema().columns().stream().map(Types.NestedField::name).toList() : request.columns();
        if (snapshot == null) {
            return () -> new NoRows(columns);
        }
        // A snapshot is read with the schema it was written with. A column of the contract that it does not have
        // (a minor's new column, in data an earlier version wrote) holds null in every row: served as such.
        Integer schemaId = table.snapshot(snapshot).schemaId();
        Schema schema = schemaId == null || !table.schemas().containsKey(schemaId) ? table.schema()
                : table.schemas().get(schemaId);
        List<String> stored = columns.stream().filter(c -> schema.findField(c) != null).toList();
        // A position names a task of the plan and the rows are counted in plan order, so the plan must come out the
        // same at every scan of a snapshot: planned in the calling thread, as Iceberg's worker pool reads a
        // snapshot's manifests several at a time and hands their files out in a different order each time. In one
        // thread the order is the snapshot's own: its manifests in the order of a set hashed by their paths, each
        // manifest's files as it lists them; the same at every scan, on every instance.
        // Its files are read through the serving file cache: small files come from memory after their first read.
        TableScan scan = files.reading(table).newScan().useSnapshot(snapshot).select(stored)
                .planWith(CallerThreadExecutor.INSTANCE);
        try {
            // The scan's projection binds the filter (its columns are read too): a value the column cannot take
            // fails here.
            PlannedRowScan rows = new PlannedRowScan(columns, snapshot,
                    scan.filter(filter(request.filters(), c -> schema.findField(c) != null)), request.limit());
            return () -> rows.start(request.from(), request.offset());
        } catch (ValidationException | IllegalArgumentException e) {
            throw new ProcessingException(ProcessingException.Reason.INVALID, "invalid-filter", e.getMessage());
        }
    }

    /** The scan of a table that has no snapshot yet. */
    private record NoRows(List<String> columns) implements RowScan {

        @Override
        public Long snapshotId() {
            return null;
        }

        @Override
        public ScanPosition position() {
            return null;
        }

        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public Map<String, Object> next() {
            throw new java.util.NoSuchElementException();
        }

        @Override
        public void close() {
            // Nothing was opened.
        }
    }

    static Expression filter(List<Condition> conditions) {
        return filter(conditions, column -> true);
    }

    /** The conditions as one Iceberg expression; a column not stored holds null, which only is_null admits. */
    static Expression filter(List<Condition> conditions, java.util.function.Predicate<String> stored) {
        Expression all = Expressions.alwaysTrue();
        for (Condition c : conditions) {
            if (!stored.test(c.column())) {
                all = Expressions.and(all, c.operator() == OutputPorts.Operator.IS_NULL
                        ? Expressions.alwaysTrue() : Expressions.alwaysFalse());
                continue;
            }
            Expression one = switch (c.operator()) {
                case EQ -> Expressions.equal(c.column(), c.value());
                case NE -> Expressions.notEqual(c.column(), c.value());
                case LT -> Expressions.lessThan(c.column(), c.value());
                case LE -> Expressions.lessThanOrEqual(c.column(), c.value());
                case GT -> Expressions.greaterThan(c.column(), c.value());
                case GE -> Expressions.greaterThanOrEqual(c.column(), c.value());
                case IN -> Expressions.in(c.column(), ((List<?>) c.value()).toArray());
                case IS_NULL -> Expressions.isNull(c.column());
                case NOT_NULL -> Expressions.notNull(c.column());
            };
            all = Expressions.and(all, one);
        }
        return all;
    }

    /** The published snapshots: main's history and every tag's snapshot (what a published run left). */
    static java.util.Set<Long> published(Table table) {
        java.util.Set<Long> published = new java.util.HashSet<>();
        Snapshot at = table.currentSnapshot();
        while (at != null && published.add(at.snapshotId())) {
            at = at.parentId() == null ? null : table.snapshot(at.parentId());
        }
        table.refs().values().stream().filter(SnapshotRef::isTag).forEach(tag -> published.add(tag.snapshotId()));
        return published;
    }

    @Override
    public List<SnapshotView> snapshots(String domain, String product, int major) {
        return withTable(domain, product, major, OutputPortReader::snapshots);
    }

    private static List<SnapshotView> snapshots(Table table) {
        java.util.Set<Long> published = published(table);
        Map<Long, List<String>> refs = new LinkedHashMap<>();
        table.refs().forEach((name, ref) -> refs.computeIfAbsent(ref.snapshotId(), k -> new ArrayList<>()).add(name));
        List<SnapshotView> views = new ArrayList<>();
        for (Snapshot snapshot : table.snapshots()) {
            Map<String, String> summary = snapshot.summary();
            views.add(new SnapshotView(snapshot.snapshotId(), Instant.ofEpochMilli(snapshot.timestampMillis()),
                    snapshot.operation(), Long.parseLong(summary.getOrDefault("added-records", "0")),
                    Long.parseLong(summary.getOrDefault("total-records", "0")),
                    refs.getOrDefault(snapshot.snapshotId(), List.of()).stream().sorted().toList(),
                    published.contains(snapshot.snapshotId())));
        }
        views.sort(Comparator.comparing(SnapshotView::committedAt).reversed());
        return views;
    }
}
