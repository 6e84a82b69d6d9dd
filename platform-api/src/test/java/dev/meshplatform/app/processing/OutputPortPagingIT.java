package dev.meshplatform.app.processing;

import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.processing.api.ProcessingException;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Output ports read straight from Iceberg. Paging by offset over a snapshot with many manifests (one per append):
 * every page must come from the same row order, or pages repeat some rows and miss others. Reads follow commits and
 * drops made through other handles of the table.
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
        FanoutDataWriter<Record> writer = new FanoutDataWriter<>(
                new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build(),
                OutputFileFactory.builderFor(table, 1, task).format(FileFormat.PARQUET).build(),
                table.io(), 1L << 28);
        for (long id = after + 1; id <= after + rows; id++) {
            Record row = GenericRecord.create(table.schema());
            row.setField("id", id);
            writer.write(row, table.spec(), null);
        }
        writer.close();
        AppendFiles files = table.newFastAppend();
        writer.result().dataFiles().forEach(files::appendFile);
        files.commit();
    }
}
