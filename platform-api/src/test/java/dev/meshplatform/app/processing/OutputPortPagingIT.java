package dev.meshplatform.app.processing;

import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.processing.api.ProcessingException;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Output ports read straight from Iceberg. Paging over a snapshot with many manifests (one per append) and files of
 * many row groups, by position and by offset: every page must come from the same row order, or pages repeat some rows
 * and miss others. Reads follow commits and drops made through other handles of the table.
 */
class OutputPortPagingIT extends PlatformIT {

    private static final int APPENDS = 24;
    private static final int ROWS_PER_APPEND = 50;
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

    @Autowired
    Catalog catalog;
    @Autowired
    OutputPorts outputPorts;

    @Test
    void pagesOfASnapshotWithManyManifestsCoverEveryRowOnce() throws IOException {
        String domain = createDomain("paging");
        Namespace namespace = Namespace.of(domain.replace('-', '_'));
        ((SupportsNamespaces) catalog).createNamespace(namespace);
        Table table = catalog.createTable(TableIdentifier.of(namespace, "numbers_v1"), SCHEMA,
                PartitionSpec.unpartitioned());
        long id = 0;
        for (int append = 0; append < APPENDS; append++) {
            append(table, id, ROWS_PER_APPEND, append);
            id += ROWS_PER_APPEND;
        }
        table.refresh();
        assertThat(table.currentSnapshot().allManifests(table.io())).hasSize(APPENDS);

        int pageSize = 70;
        List<Long> paged = new ArrayList<>();
        for (int offset = 0; offset < id; offset += pageSize) {
            try (OutputPorts.RowScan page = outputPorts.scan(domain, "numbers", 1, new OutputPorts.ReadRequest(
                    List.of("id"), List.of(), pageSize, null, null, offset))) {
                page.forEachRemaining(row -> paged.add((Long) row.get("id")));
            }
        }
        Set<Long> distinct = new HashSet<>(paged);
        assertThat(paged).as("rows served").hasSize((int) id);
        assertThat(distinct).as("distinct rows served").hasSize((int) id);
    }

    /**
     * Pages as serving makes them (one row more than the page; the next page from that row's position) over files
     * of several row groups, with a filter: every matching row once, in the order of one read of them all, for page
     * sizes that end pages inside row groups, at row groups' ends, at files' ends and before a last file without a
     * matching row. A position the plan does not have is refused.
     */
    @Test
    void pagesByPositionOverFilesOfManyRowGroupsCoverEveryMatchingRowOnceInOrder() throws IOException {
        String domain = createDomain("positions");
        Namespace namespace = Namespace.of(domain.replace('-', '_'));
        ((SupportsNamespaces) catalog).createNamespace(namespace);
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.required(2, "country", Types.StringType.get()));
        Table table = catalog.createTable(TableIdentifier.of(namespace, "people_v1"), schema,
                PartitionSpec.unpartitioned(), Map.of(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "1",
                        TableProperties.PARQUET_ROW_GROUP_CHECK_MIN_RECORD_COUNT, "25",
                        TableProperties.PARQUET_ROW_GROUP_CHECK_MAX_RECORD_COUNT, "25"));
        // One commit, so one manifest, which lists the files in the order they are added: the plan's order. The last
        // is a file no row of which is NL.
        AppendFiles commit = table.newFastAppend();
        long id = 0;
        for (int file = 0; file < 4; file++) {
            commit.appendFile(write(table, id, 100, file, row -> row % 4 == 0 ? "FR" : "NL"));
            id += 100;
        }
        commit.appendFile(write(table, id, 25, 4, row -> "FR"));
        commit.commit();
        table.refresh();
        List<DataFile> files = new ArrayList<>();
        try (var tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> files.add(task.file()));
        }
        assertThat(files).hasSize(5);
        assertThat(files).filteredOn(file -> file.recordCount() == 100)
                .allSatisfy(file -> assertThat(file.splitOffsets()).hasSize(4));

        List<OutputPorts.Condition> nl = List.of(new OutputPorts.Condition("country", OutputPorts.Operator.EQ, "NL"));
        List<Long> all = outputPorts.read(domain, "people", 1, new OutputPorts.ReadRequest(List.of("id"), List.of(),
                Integer.MAX_VALUE, null, null)).rows().stream().map(row -> (Long) row.get("id")).toList();
        assertThat(all).hasSize(425).doesNotHaveDuplicates();
        assertThat(all.subList(400, 425)).as("the file without NL rows is planned last").allMatch(row -> row > 400);
        List<Long> matching = all.stream().filter(row -> row <= 400 && row % 4 != 0).toList();
        // 75 NL rows a file: 75 ends pages at files' ends; 25 unfiltered at row groups' ends, 100 at files' ends.
        for (int pageSize : new int[]{1, 7, 25, 75, 100, 300, 1_000}) {
            assertThat(pageByPosition(domain, nl, pageSize)).as("page size %d, NL", pageSize).isEqualTo(matching);
            assertThat(pageByPosition(domain, List.of(), pageSize)).as("page size %d", pageSize).isEqualTo(all);
        }

        long snapshot = table.currentSnapshot().snapshotId();
        for (OutputPorts.ScanPosition elsewhere : List.of(
                OutputPorts.ScanPosition.in(files.get(0).location() + ".moved", files.get(0).splitOffsets().get(0), 0),
                OutputPorts.ScanPosition.in(files.get(0).location(), files.get(0).splitOffsets().get(1) + 1, 0))) {
            assertThatThrownBy(() -> outputPorts.scan(domain, "people", 1, new OutputPorts.ReadRequest(
                    List.of("id"), nl, 10, null, snapshot, 0, elsewhere)))
                    .isInstanceOfSatisfying(ProcessingException.class,
                            e -> assertThat(e.code()).isEqualTo("invalid-cursor"));
        }
    }

    private List<Long> pageByPosition(String domain, List<OutputPorts.Condition> filters, int pageSize) {
        List<Long> served = new ArrayList<>();
        Long snapshot = null;
        OutputPorts.ScanPosition from = null;
        do {
            try (OutputPorts.RowScan page = outputPorts.scan(domain, "people", 1, new OutputPorts.ReadRequest(
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

    /**
     * The reader keeps the tables it read and refreshes them at each read: a commit made through another handle of
     * the table is served at the next read, and a dropped table is gone at once, also when created again.
     */
    @Test
    void readsFollowCommitsAndDropsMadeElsewhere() throws IOException {
        String domain = createDomain("following");
        Namespace namespace = Namespace.of(domain.replace('-', '_'));
        ((SupportsNamespaces) catalog).createNamespace(namespace);
        TableIdentifier id = TableIdentifier.of(namespace, "numbers_v1");
        append(catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned()), 0, 10, 0);
        OutputPorts.ReadRequest all = new OutputPorts.ReadRequest(List.of("id"), List.of(), 1_000, null, null, 0);
        OutputPorts.ReadResult first = outputPorts.read(domain, "numbers", 1, all);
        assertThat(first.rows()).hasSize(10);

        append(catalog.loadTable(id), 10, 5, 1);
        OutputPorts.ReadResult second = outputPorts.read(domain, "numbers", 1, all);
        assertThat(second.rows()).hasSize(15);
        assertThat(second.snapshotId()).isNotEqualTo(first.snapshotId());
        assertThat(outputPorts.snapshots(domain, "numbers", 1)).hasSize(2);

        assertThat(catalog.dropTable(id, true)).isTrue();
        assertThatThrownBy(() -> outputPorts.read(domain, "numbers", 1, all))
                .isInstanceOfSatisfying(ProcessingException.class,
                        e -> assertThat(e.code()).isEqualTo("output-port-not-found"));
        append(catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned()), 100, 3, 0);
        assertThat(outputPorts.read(domain, "numbers", 1, all).rows()).extracting(row -> row.get("id"))
                .containsExactlyInAnyOrder(101L, 102L, 103L);
    }

    /** Appends ids {@code after + 1 … after + rows} in one Parquet file and one commit. */
    private static void append(Table table, long after, int rows, int task) throws IOException {
        AppendFiles files = table.newFastAppend();
        files.appendFile(write(table, after, rows, task, null));
        files.commit();
    }

    /** Writes ids {@code after + 1 … after + rows} into one Parquet file, with a country by id when given one. */
    private static DataFile write(Table table, long after, int rows, int task, LongFunction<String> country)
            throws IOException {
        FanoutDataWriter<Record> writer = new FanoutDataWriter<>(
                new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build(),
                OutputFileFactory.builderFor(table, 1, task).format(FileFormat.PARQUET).build(),
                table.io(), 1L << 28);
        for (long id = after + 1; id <= after + rows; id++) {
            Record row = GenericRecord.create(table.schema());
            row.setField("id", id);
            if (country != null) {
                row.setField("country", country.apply(id));
            }
            writer.write(row, table.spec(), null);
        }
        writer.close();
        return writer.result().dataFiles().get(0);
    }
}
