package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.processing.api.ProcessingException;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.formats.ReadBuilder;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The rows of one snapshot's scan in plan order, read task by task: the data files as the planning lists them, each
 * Parquet file split at its row groups. It can start at a {@link OutputPorts.ScanPosition} (a task and a row in it)
 * and tells the position of its next row, so that a page at any depth reads only from its own row group on.
 */
final class PlannedRowScan implements OutputPorts.RowScan {

    private final List<String> columns;
    private final Long snapshotId;
    private final TableScan scan;
    private final FileIO io;
    private final Schema tableSchema;
    /** The scan's columns and the row's position in its file, which a position records. */
    private final Schema projection;
    private final boolean caseSensitive;
    private CloseableIterable<FileScanTask> files;
    private Iterator<FileScanTask> tasks;
    private long remaining;

    private FileScanTask task;
    private CloseableIterable<Record> taskRecords;
    private Iterator<Record> records;
    private int positionIndex;
    /** The next row, read ahead so that its position is known before it is served. */
    private Record next;

    /**
     * Takes what the scan needs of the table's metadata (while the caller holds the table); {@link #start} plans.
     *
     * @param scan  the snapshot's scan, its columns and filter set
     * @param limit at most this many rows served
     */
    PlannedRowScan(List<String> columns, long snapshotId, TableScan scan, long limit) {
        this.columns = columns;
        this.snapshotId = snapshotId;
        this.scan = scan;
        this.io = scan.table().io();
        this.tableSchema = scan.table().schema();
        this.projection = TypeUtil.join(scan.schema(), new Schema(MetadataColumns.ROW_POSITION));
        this.caseSensitive = scan.isCaseSensitive();
        this.remaining = limit;
    }

    /**
     * Plans the scan in the calling thread (so in the same order at every scan of the snapshot) and reads up to the
     * first row to serve.
     *
     * @param from   the position of the first row to read; null for the start
     * @param offset rows to skip after {@code from}
     */
    PlannedRowScan start(OutputPorts.ScanPosition from, long offset) {
        try {
            files = scan.planFiles();
        } catch (ValidationException | IllegalArgumentException e) {
            throw invalidFilter(e);
        }
        try {
            tasks = splits(files.iterator());
            if (from != null) {
                startAt(from);
            }
            for (long skipped = 0; skipped < offset && advance(); skipped++) {
                next = null;
            }
            return this;
        } catch (ValidationException | IllegalArgumentException e) {
            close();
            throw invalidFilter(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The tasks of the plan in order: a file with row-group offsets one task per row group, otherwise whole. */
    static Iterator<FileScanTask> splits(Iterator<FileScanTask> files) {
        return new Iterator<>() {
            private final Deque<FileScanTask> split = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (split.isEmpty() && files.hasNext()) {
                    // Iceberg splits at the file's split offsets, one task each, when it has them; otherwise a
                    // target size this large keeps the file whole.
                    files.next().split(Long.MAX_VALUE).forEach(split::add);
                }
                return !split.isEmpty();
            }

            @Override
            public FileScanTask next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return split.poll();
            }
        };
    }

    /** Opens the task {@code from} names and skips its rows before {@code from}'s row. */
    private void startAt(OutputPorts.ScanPosition from) {
        while (tasks.hasNext()) {
            FileScanTask candidate = tasks.next();
            if (candidate.start() == from.splitStart()
                    && OutputPorts.ScanPosition.fileId(candidate.file().location()).equals(from.file())) {
                open(candidate);
                while (advance() && task == candidate && position(next) < from.row()) {
                    next = null;
                }
                return;
            }
        }
        // A signed position of this snapshot always names a task of its plan, unless the filters changed since
        // (a grant's row filter) and the planning prunes its file now.
        throw new ProcessingException(ProcessingException.Reason.INVALID, "invalid-cursor",
                "the cursor's position is not in this read's plan any more (its row filters changed): start from "
                        + "the first page");
    }

    /** Reads the next row ahead, opening tasks until one has a row; false at the end of the plan. */
    private boolean advance() {
        while (next == null) {
            if (records != null && records.hasNext()) {
                next = records.next();
            } else if (tasks.hasNext()) {
                open(tasks.next());
            } else {
                closeTask();
                return false;
            }
        }
        return true;
    }

    private void open(FileScanTask opened) {
        closeTask();
        GenericDeleteFilter deletes = new GenericDeleteFilter(io, opened, tableSchema, projection);
        Schema read = deletes.requiredSchema();
        ReadBuilder<Record, ?> builder = FormatModelRegistry.<Record, Object>readBuilder(opened.file().format(),
                        Record.class, io.newInputFile(opened.file()))
                .project(read)
                .idToConstant(PartitionUtil.constantsMap(opened, IdentityPartitionConverters::convertConstant))
                .split(opened.start(), opened.length())
                .caseSensitive(caseSensitive)
                .filter(opened.residual());
        CloseableIterable<Record> opening = deletes.filter(builder.build());
        Expression residual = opened.residual();
        if (residual != null && residual != Expressions.alwaysTrue()) {
            // The format reader only skips row groups by their statistics; rows are matched here.
            InternalRecordWrapper wrapper = new InternalRecordWrapper(read.asStruct());
            Evaluator evaluator = new Evaluator(read.asStruct(), residual, caseSensitive);
            opening = CloseableIterable.filter(opening, record -> evaluator.eval(wrapper.wrap(record)));
        }
        task = opened;
        taskRecords = opening;
        records = opening.iterator();
        positionIndex = read.columns().indexOf(read.findField(MetadataColumns.ROW_POSITION.fieldId()));
    }

    private long position(Record record) {
        return (Long) record.get(positionIndex);
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public Long snapshotId() {
        return snapshotId;
    }

    @Override
    public OutputPorts.ScanPosition position() {
        try {
            return advance() ? OutputPorts.ScanPosition.in(task.file().location(), task.start(), position(next))
                    : null;
        } catch (ValidationException | IllegalArgumentException e) {
            throw invalidFilter(e);
        }
    }

    @Override
    public boolean hasNext() {
        try {
            return remaining > 0 && advance();
        } catch (ValidationException | IllegalArgumentException e) {
            throw invalidFilter(e);
        }
    }

    @Override
    public Map<String, Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        remaining--;
        Record record = next;
        next = null;
        Map<String, Object> row = new LinkedHashMap<>();
        for (String column : columns) {
            row.put(column, record.struct().field(column) == null ? null : plain(record.getField(column)));
        }
        return row;
    }

    private static Object plain(Object value) {
        if (value instanceof Record record) {
            Map<String, Object> struct = new LinkedHashMap<>();
            for (Types.NestedField field : record.struct().fields()) {
                struct.put(field.name(), plain(record.getField(field.name())));
            }
            return struct;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PlannedRowScan::plain).toList();
        }
        return value;
    }

    private void closeTask() {
        if (taskRecords != null) {
            try {
                taskRecords.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                taskRecords = null;
                records = null;
            }
        }
    }

    @Override
    public void close() {
        try {
            closeTask();
        } finally {
            try {
                if (files != null) {
                    files.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static ProcessingException invalidFilter(RuntimeException e) {
        return new ProcessingException(ProcessingException.Reason.INVALID, "invalid-filter", e.getMessage());
    }
}
