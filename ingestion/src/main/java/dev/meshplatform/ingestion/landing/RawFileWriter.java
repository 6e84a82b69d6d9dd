package dev.meshplatform.ingestion.landing;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/** The Parquet data files of one flush, partitioned as the raw table is. Nothing is in the table until committed. */
final class RawFileWriter {

    private static final long TARGET_FILE_SIZE = 256L * 1024 * 1024;

    private final Table table;
    private final FanoutDataWriter<Record> writer;
    private final PartitionKey partitionKey;
    private final InternalRecordWrapper wrapper;

    RawFileWriter(Table table, int taskId) {
        this.table = table;
        GenericFileWriterFactory files = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET)
                .build();
        OutputFileFactory names = OutputFileFactory.builderFor(table, 1, taskId)
                .format(FileFormat.PARQUET)
                .operationId(UUID.randomUUID().toString())
                .build();
        this.writer = new FanoutDataWriter<>(files, names, table.io(), TARGET_FILE_SIZE);
        this.partitionKey = new PartitionKey(table.spec(), table.schema());
        this.wrapper = new InternalRecordWrapper(table.schema().asStruct());
    }

    void write(Record row) {
        partitionKey.partition(wrapper.wrap(row));
        writer.write(row, table.spec(), partitionKey);
    }

    List<DataFile> finish() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the data files failed", e);
        }
        DataWriteResult result = writer.result();
        return result.dataFiles();
    }

    /** Closes and deletes what was written, after a failure; the files were never committed. */
    void abandon() {
        try {
            writer.close();
            writer.result().dataFiles().forEach(f -> table.io().deleteFile(f.location()));
        } catch (RuntimeException | IOException ignored) {
            // Orphaned files are harmless: no snapshot references them.
        }
    }
}
