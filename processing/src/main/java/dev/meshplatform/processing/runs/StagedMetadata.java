package dev.meshplatform.processing.runs;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a staged snapshot's metadata says exactly, so that a quality rule need not scan the output it checks: the
 * row count (the snapshot's {@code total-records}) and a top-level column's nulls (the sum of its data files' null
 * counts, which Parquet's statistics give exactly). Either is empty where the metadata cannot say it exactly — the
 * snapshot has delete files, a file has no count for the column (metrics mode {@code none}), a nested path — and the
 * rule then counts with a query.
 */
final class StagedMetadata {

    private final Table table;
    private final Snapshot snapshot;
    private Map<String, DataFileNulls> files;

    private StagedMetadata(Table table, Snapshot snapshot) {
        this.table = table;
        this.snapshot = snapshot;
    }

    /** The metadata of {@code table}'s branch {@code branch} as it is now; nothing at all if it has no snapshot. */
    static StagedMetadata of(Table table, String branch) {
        table.refresh();
        return new StagedMetadata(table, table.snapshot(branch));
    }

    /** The rows of the snapshot, when no delete file takes any away. */
    OptionalLong rows() {
        if (snapshot == null || hasDeletes()) {
            return OptionalLong.empty();
        }
        String total = snapshot.summary().get(SnapshotSummary.TOTAL_RECORDS_PROP);
        return total == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(total));
    }

    /** The rows whose top-level {@code column} (any case) is null, when every data file counts them. */
    OptionalLong nulls(String column) {
        if (snapshot == null || column.contains(".") || hasDeletes()) {
            return OptionalLong.empty();
        }
        Schema schema = snapshot.schemaId() == null ? table.schema() : table.schemas().get(snapshot.schemaId());
        Types.NestedField field = schema == null ? null : schema.asStruct().caseInsensitiveField(column);
        if (field == null) {
            return OptionalLong.empty();
        }
        long nulls = 0;
        for (DataFileNulls file : files().values()) {
            Long counted = file.counts() == null ? null : file.counts().get(field.fieldId());
            if (counted == null) {
                return OptionalLong.empty();
            }
            nulls += counted;
        }
        return OptionalLong.of(nulls);
    }

    private boolean hasDeletes() {
        // A summary without the count cannot rule deletes out.
        String deletes = snapshot.summary().get(SnapshotSummary.TOTAL_DELETE_FILES_PROP);
        return deletes == null || !deletes.equals("0");
    }

    /** Every live data file of the snapshot once (a scan may hand out one file in several tasks), with its counts. */
    private Map<String, DataFileNulls> files() {
        if (files == null) {
            Map<String, DataFileNulls> found = new HashMap<>();
            try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId())
                    .includeColumnStats().planFiles()) {
                for (FileScanTask task : tasks) {
                    found.put(task.file().location(), new DataFileNulls(task.file().nullValueCounts()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files = found;
        }
        return files;
    }

    private record DataFileNulls(Map<Integer, Long> counts) {
    }
}
