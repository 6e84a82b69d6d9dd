package dev.meshplatform.ingestion.landing;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.RollingDataWriter;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The Parquet data files of one flush, partitioned as the raw table is. Nothing is in the table until committed. */
final class RawFileWriter {

    private static final long TARGET_FILE_SIZE = 256L * 1024 * 1024;

    private final Table table;
    private final PartitionSpec spec;
    private final GenericFileWriterFactory files;
    private final OutputFileFactory names;
    /** One rolling writer per partition; rows of one partition come in runs, so the last one is kept at hand. */
    private final Map<StructLike, RollingDataWriter<Record>> writers;
    private RollingDataWriter<Record> current;
    private final PartitionKey partitionKey;
    private final InternalRecordWrapper wrapper;
    /** Where the partition's source values are in a row; null when one is nested (then every row is partitioned). */
    private final int[] partitionSources;

    RawFileWriter(Table table, int taskId) {
        this.table = table;
        this.spec = table.spec();
        this.files = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET)
                .build();
        this.names = OutputFileFactory.builderFor(table, 1, taskId)
                .format(FileFormat.PARQUET)
                .operationId(UUID.randomUUID().toString())
                .build();
        this.writers = StructLikeMap.create(spec.partitionType());
        this.partitionKey = new PartitionKey(spec, table.schema());
        this.wrapper = new InternalRecordWrapper(table.schema().asStruct());
        this.partitionSources = topLevelPositions(table.schema(), spec);
    }

    /**
     * Writes a batch of rows. The partition is computed again only when a row's source values are other objects than
     * the row before's: a batch's rows share one {@code _ingested_at}, so it is computed once per batch, not per row.
     */
    void write(List<Record> rows) {
        Record previous = null;
        for (Record row : rows) {
            if (previous == null || !sameSources(previous, row)) {
                current = writerFor(row);
            }
            current.write(row);
            previous = row;
        }
    }

    private RollingDataWriter<Record> writerFor(Record row) {
        partitionKey.partition(wrapper.wrap(row));
        RollingDataWriter<Record> writer = writers.get(partitionKey);
        if (writer == null) {
            PartitionKey partition = partitionKey.copy();
            writer = new RollingDataWriter<>(files, names, table.io(), TARGET_FILE_SIZE, spec, partition);
            writers.put(partition, writer);
        }
        return writer;
    }

    private boolean sameSources(Record previous, Record row) {
        if (partitionSources == null) {
            return false;
        }
        for (int position : partitionSources) {
            if (previous.get(position) != row.get(position)) {
                return false;
            }
        }
        return true;
    }

    private static int[] topLevelPositions(Schema schema, PartitionSpec spec) {
        List<Types.NestedField> columns = schema.columns();
        int[] positions = new int[spec.fields().size()];
        for (int i = 0; i < positions.length; i++) {
            int sourceId = spec.fields().get(i).sourceId();
            positions[i] = -1;
            for (int column = 0; column < columns.size(); column++) {
                if (columns.get(column).fieldId() == sourceId) {
                    positions[i] = column;
                }
            }
            if (positions[i] < 0) {
                return null;
            }
        }
        return positions;
    }

    List<DataFile> finish() {
        List<DataFile> dataFiles = new ArrayList<>();
        try {
            for (RollingDataWriter<Record> writer : writers.values()) {
                writer.close();
                dataFiles.addAll(writer.result().dataFiles());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("closing the data files failed", e);
        }
        return dataFiles;
    }

    /** Closes and deletes what was written, after a failure; the files were never committed. */
    void abandon() {
        for (RollingDataWriter<Record> writer : writers.values()) {
            try {
                writer.close();
                writer.result().dataFiles().forEach(f -> table.io().deleteFile(f.location()));
            } catch (RuntimeException | IOException ignored) {
                // Orphaned files are harmless: no snapshot references them.
            }
        }
    }
}
