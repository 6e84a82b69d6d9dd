package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.processing.api.ProcessingException;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Paging by position over a snapshot of several files of several row groups each: every row once, in plan order,
 * whatever the page size and wherever a page ends (inside a row group, at a row group's or a file's end, before a
 * file no row of which matches), and a page reads from its own row group on.
 */
class PlannedRowScanTest {

    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "country", Types.StringType.get()));
    /** Rows per file; the writer closes a row group every {@link #ROWS_PER_ROW_GROUP} rows. */
    private static final int ROWS_PER_FILE = 50;
    private static final int ROWS_PER_ROW_GROUP = 10;
    private static final int FILES = 4;
    private static final List<OutputPorts.Condition> NOT_FR = List.of(
            new OutputPorts.Condition("country", OutputPorts.Operator.NE, "FR"));

    private InMemoryCatalog catalog;
    private OutputPortReader reader;
    private Table table;

    @BeforeEach
    void tableOfManyFilesAndRowGroups() throws IOException {
        catalog = new InMemoryCatalog();
        catalog.initialize("test", Map.of());
        TableIdentifier id = WriteAuditPublish.outputTable("sales", "numbers", 1);
        catalog.createNamespace(id.namespace());
        table = catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned(), Map.of(
                TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "1",
                TableProperties.PARQUET_ROW_GROUP_CHECK_MIN_RECORD_COUNT, String.valueOf(ROWS_PER_ROW_GROUP),
                TableProperties.PARQUET_ROW_GROUP_CHECK_MAX_RECORD_COUNT, String.valueOf(ROWS_PER_ROW_GROUP)));
        // One commit, so one manifest, which lists the files in the order they are added: the plan's order. The
        // last is a file no row of which passes the filter.
        AppendFiles commit = table.newFastAppend();
        long next = 0;
        for (int file = 0; file < FILES; file++) {
            // Every third row of a file is FR, which the filtered reads leave out.
            commit.appendFile(write(next, ROWS_PER_FILE, file, row -> row % 3 == 0 ? "FR" : "NL"));
            next += ROWS_PER_FILE;
        }
        commit.appendFile(write(next, ROWS_PER_ROW_GROUP, FILES, row -> "FR"));
        commit.commit();
        // No file cache: a test deletes files to show that a read starting further on never opens them.
        reader = new OutputPortReader(catalog, new ServingFileCache(0, 0));
    }

    @Test
    void theTableHasTheLayoutTheTestsNeed() {
        List<DataFile> files = dataFiles();
        assertThat(files).hasSize(FILES + 1);
        assertThat(files.subList(0, FILES)).allSatisfy(file ->
                assertThat(file.splitOffsets()).hasSize(ROWS_PER_FILE / ROWS_PER_ROW_GROUP));
        assertThat(files.get(FILES).recordCount()).as("the file without matching rows is planned last")
                .isEqualTo(ROWS_PER_ROW_GROUP);
    }

    @Test
    void everyPageSizeServesEveryRowOnceInPlanOrder() {
        List<Long> all = ids(reader.read("sales", "numbers", 1, request(List.of(), Integer.MAX_VALUE, null, 0)).rows());
        assertThat(all).hasSize(FILES * ROWS_PER_FILE + ROWS_PER_ROW_GROUP).doesNotHaveDuplicates();
        List<Long> matching = ids(reader.read("sales", "numbers", 1, request(NOT_FR, Integer.MAX_VALUE, null, 0))
                .rows());
        assertThat(matching).isEqualTo(all.stream().filter(id -> id % 3 != 0 && id <= FILES * ROWS_PER_FILE)
                .toList());
        // 10 ends pages at row groups' ends and 50 at files' ends (unfiltered); the others anywhere.
        for (int pageSize : new int[]{1, 3, 7, ROWS_PER_ROW_GROUP, ROWS_PER_FILE, 64, 1_000}) {
            assertThat(pageThrough(List.of(), pageSize)).as("page size %d", pageSize).isEqualTo(all);
            assertThat(pageThrough(NOT_FR, pageSize)).as("page size %d, filtered", pageSize).isEqualTo(matching);
        }
    }

    @Test
    void aPageEndingAtAFileEndContinuesAtTheNextFilesFirstRow() {
        List<DataFile> files = dataFiles();
        try (OutputPorts.RowScan page = reader.scan("sales", "numbers", 1,
                request(List.of(), ROWS_PER_FILE + 1, null, 0))) {
            for (int served = 0; served < ROWS_PER_FILE; served++) {
                page.next();
            }
            assertThat(page.position()).isEqualTo(OutputPorts.ScanPosition.in(files.get(1).location(),
                    files.get(1).splitOffsets().get(0), 0));
        }
    }

    @Test
    void theLastPageBeforeAFileWithoutMatchingRowsHasNoNextPosition() {
        List<Long> matching = ids(reader.read("sales", "numbers", 1, request(NOT_FR, Integer.MAX_VALUE, null, 0))
                .rows());
        try (OutputPorts.RowScan page = reader.scan("sales", "numbers", 1,
                request(NOT_FR, matching.size() + 1, null, 0))) {
            page.forEachRemaining(row -> { });
            assertThat(page.position()).as("the last file has no matching row").isNull();
        }
    }

    @Test
    void aPageReadsFromItsOwnRowGroupOnNotFromTheStart() {
        OutputPorts.ScanPosition third;
        List<Long> expected;
        try (OutputPorts.RowScan scan = reader.scan("sales", "numbers", 1,
                request(List.of(), Integer.MAX_VALUE, null, 0))) {
            for (int skipped = 0; skipped < 2 * ROWS_PER_FILE + 13; skipped++) {
                scan.next();
            }
            third = scan.position();
            expected = ids(scan);
        }
        assertThat(third.row()).isEqualTo(13);
        // The files before the position are gone: a read from the start fails, one from the position does not.
        dataFiles().subList(0, 2).forEach(file -> table.io().deleteFile(file.location()));
        assertThatThrownBy(() -> reader.read("sales", "numbers", 1, request(List.of(), 5, null, 0)))
                .isNotInstanceOf(ProcessingException.class);
        try (OutputPorts.RowScan scan = reader.scan("sales", "numbers", 1,
                request(List.of(), Integer.MAX_VALUE, third, 0))) {
            assertThat(ids(scan)).isEqualTo(expected);
        }
    }

    @Test
    void aPositionOutsideThePlanIsRefused() {
        OutputPorts.ScanPosition elsewhere = OutputPorts.ScanPosition.in("memory://elsewhere.parquet", 4, 0);
        assertThatThrownBy(() -> reader.scan("sales", "numbers", 1, request(List.of(), 5, elsewhere, 0)))
                .isInstanceOfSatisfying(ProcessingException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid-cursor"));
        DataFile first = dataFiles().get(0);
        OutputPorts.ScanPosition midRowGroup = OutputPorts.ScanPosition.in(first.location(),
                first.splitOffsets().get(0) + 1, 0);
        assertThatThrownBy(() -> reader.scan("sales", "numbers", 1, request(List.of(), 5, midRowGroup, 0)))
                .isInstanceOfSatisfying(ProcessingException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid-cursor"));
    }

    @Test
    void aValueTheColumnCannotTakeIsAnInvalidFilter() {
        List<OutputPorts.Condition> many = List.of(new OutputPorts.Condition("id", OutputPorts.Operator.GE, "many"));
        for (OutputPorts.ScanPosition from : java.util.Arrays.asList(null, OutputPorts.ScanPosition.in(
                dataFiles().get(1).location(), dataFiles().get(1).splitOffsets().get(0), 0))) {
            assertThatThrownBy(() -> reader.read("sales", "numbers", 1, request(many, 5, from, 0)))
                    .isInstanceOfSatisfying(ProcessingException.class,
                            e -> assertThat(e.code()).isEqualTo("invalid-filter"));
        }
    }

    @Test
    void anOffsetStillSkipsRowsFromTheStart() {
        List<Long> all = ids(reader.read("sales", "numbers", 1, request(NOT_FR, Integer.MAX_VALUE, null, 0)).rows());
        List<Long> page = ids(reader.read("sales", "numbers", 1, request(NOT_FR, 20, null, 57)).rows());
        assertThat(page).isEqualTo(all.subList(57, 77));
    }

    /** Also through another handle of the table (another instance's): its manifests are other objects. */
    @Test
    void thePlanComesOutTheSameAtEveryScan() throws IOException {
        // A second commit: the plan then reads two manifests, and orders them.
        AppendFiles more = table.newFastAppend();
        more.appendFile(write(1_000, ROWS_PER_ROW_GROUP, FILES + 1, row -> "NL"));
        more.commit();
        List<String> plan = plan(table);
        assertThat(plan).isEqualTo(plan(table)).hasSize(FILES * ROWS_PER_FILE / ROWS_PER_ROW_GROUP + 2);
        assertThat(plan(catalog.loadTable(WriteAuditPublish.outputTable("sales", "numbers", 1)))).isEqualTo(plan);
    }

    private List<String> plan() {
        return plan(table);
    }

    private static List<String> plan(Table table) {
        table.refresh();
        List<String> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> files = table.newScan()
                .planWith(org.apache.iceberg.relocated.com.google.common.util.concurrent.MoreExecutors
                        .newDirectExecutorService()).planFiles()) {
            PlannedRowScan.splits(files.iterator()).forEachRemaining(task ->
                    tasks.add(task.file().location() + "@" + task.start()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tasks;
    }

    /** Pages as serving does: one row more than the page, and the next page from the position of that row. */
    private List<Long> pageThrough(List<OutputPorts.Condition> filters, int pageSize) {
        List<Long> served = new ArrayList<>();
        Long snapshot = null;
        OutputPorts.ScanPosition from = null;
        do {
            try (OutputPorts.RowScan page = reader.scan("sales", "numbers", 1, new OutputPorts.ReadRequest(
                    List.of("id"), filters, pageSize + 1, null, snapshot, 0, from))) {
                for (int row = 0; row < pageSize && page.hasNext(); row++) {
                    served.add((Long) page.next().get("id"));
                }
                from = page.hasNext() ? page.position() : null;
                snapshot = page.snapshotId();
            }
        } while (from != null);
        return served;
    }

    private OutputPorts.ReadRequest request(List<OutputPorts.Condition> filters, int limit,
                                            OutputPorts.ScanPosition from, long offset) {
        return new OutputPorts.ReadRequest(List.of("id"), filters, limit, null,
                from == null ? null : table.currentSnapshot().snapshotId(), offset, from);
    }

    private static List<Long> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> (Long) row.get("id")).toList();
    }

    private static List<Long> ids(OutputPorts.RowScan scan) {
        List<Long> ids = new ArrayList<>();
        scan.forEachRemaining(row -> ids.add((Long) row.get("id")));
        return ids;
    }

    private List<DataFile> dataFiles() {
        table.refresh();
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> files.add(task.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return plannedOrder(files);
    }

    /** The files in the order the reader plans them. */
    private List<DataFile> plannedOrder(List<DataFile> files) {
        List<String> order = plan().stream().map(task -> task.substring(0, task.lastIndexOf('@'))).distinct()
                .toList();
        return files.stream().sorted(java.util.Comparator.comparingInt(file -> order.indexOf(file.location())))
                .toList();
    }

    /** Writes ids {@code after + 1 … after + rows} into one Parquet file. */
    private DataFile write(long after, int rows, int task, java.util.function.LongFunction<String> country)
            throws IOException {
        FanoutDataWriter<Record> writer = new FanoutDataWriter<>(
                new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build(),
                OutputFileFactory.builderFor(table, 1, task).format(FileFormat.PARQUET).build(),
                table.io(), 1L << 28);
        for (long id = after + 1; id <= after + rows; id++) {
            Record row = GenericRecord.create(table.schema());
            row.setField("id", id);
            row.setField("country", country.apply(id));
            writer.write(row, table.spec(), null);
        }
        writer.close();
        return writer.result().dataFiles().get(0);
    }
}
