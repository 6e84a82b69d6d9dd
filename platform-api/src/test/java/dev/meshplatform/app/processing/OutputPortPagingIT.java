package dev.meshplatform.app.processing;

import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.processing.api.OutputPorts;
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

/**
 * Paging by offset over an output port whose snapshot has many manifests (one per append): every page must come
 * from the same row order, or pages repeat some rows and miss others.
 */
class OutputPortPagingIT extends PlatformIT {

    private static final int APPENDS = 24;
    private static final int ROWS_PER_APPEND = 50;

    @Autowired
    Catalog catalog;
    @Autowired
    OutputPorts outputPorts;

    @Test
    void pagesOfASnapshotWithManyManifestsCoverEveryRowOnce() throws IOException {
        String domain = createDomain("paging");
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
        Namespace namespace = Namespace.of(domain.replace('-', '_'));
        ((SupportsNamespaces) catalog).createNamespace(namespace);
        Table table = catalog.createTable(TableIdentifier.of(namespace, "numbers_v1"), schema,
                PartitionSpec.unpartitioned());
        long id = 0;
        for (int append = 0; append < APPENDS; append++) {
            FanoutDataWriter<Record> writer = new FanoutDataWriter<>(
                    new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build(),
                    OutputFileFactory.builderFor(table, 1, append).format(FileFormat.PARQUET).build(),
                    table.io(), 1L << 28);
            for (int i = 0; i < ROWS_PER_APPEND; i++) {
                Record row = GenericRecord.create(schema);
                row.setField("id", ++id);
                writer.write(row, table.spec(), null);
            }
            writer.close();
            AppendFiles files = table.newFastAppend();
            writer.result().dataFiles().forEach(files::appendFile);
            files.commit();
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
}
