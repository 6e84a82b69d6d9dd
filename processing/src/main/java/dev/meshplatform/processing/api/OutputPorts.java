package dev.meshplatform.processing.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads products' output ports: what governance serves, after its own checks, and what the catalog shows. */
public interface OutputPorts {

    /** Rows of the output port of a product major: projected, filtered, limited, at main, a tag or a snapshot. */
    ReadResult read(String domain, String product, int major, ReadRequest request);

    /**
     * Opens a streaming read of the same rows as {@link #read}, starting at {@link ReadRequest#from()} and then
     * skipping {@link ReadRequest#offset()} rows: what serving pages through without holding a page in memory. The
     * caller closes it.
     */
    RowScan scan(String domain, String product, int major, ReadRequest request);

    /** Rows one at a time; {@link #snapshotId()} is the snapshot read (null when the table has none yet). */
    interface RowScan extends java.util.Iterator<Map<String, Object>>, AutoCloseable {

        List<String> columns();

        Long snapshotId();

        /**
         * Where the row {@link #next()} would return lies: passed as {@link ReadRequest#from()} with the same
         * snapshot and filters, a read starts at that row. Null when no row is left.
         */
        ScanPosition position();

        @Override
        void close();
    }

    /**
     * The output port's snapshots, newest first, with the refs (main, tags v&lt;version&gt;) pointing at each and
     * whether each is published (in main's history or tagged): only published snapshots are readable.
     */
    List<SnapshotView> snapshots(String domain, String product, int major);

    /**
     * @param columns  the columns to return; all when empty
     * @param filters  conditions that all hold
     * @param limit    at most this many rows
     * @param tag      read the snapshot a tag points at (e.g. {@code v1.2.0}); null for main
     * @param snapshot read this snapshot; null for main
     * @param offset   matching rows to skip first, counted from {@code from} (or the start)
     * @param from     the position of the first row to read, as a scan of the same snapshot and filters gave it;
     *                 null for the start of the snapshot
     */
    record ReadRequest(List<String> columns, List<Condition> filters, int limit, String tag, Long snapshot,
                       long offset, ScanPosition from) {
        public ReadRequest {
            columns = columns == null ? List.of() : List.copyOf(columns);
            filters = filters == null ? List.of() : List.copyOf(filters);
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative");
            }
            if (from != null && snapshot == null) {
                throw new IllegalArgumentException("a position belongs to a snapshot: pass the snapshot too");
            }
        }

        public ReadRequest(List<String> columns, List<Condition> filters, int limit, String tag, Long snapshot,
                           long offset) {
            this(columns, filters, limit, tag, snapshot, offset, null);
        }

        public ReadRequest(List<String> columns, List<Condition> filters, int limit, String tag, Long snapshot) {
            this(columns, filters, limit, tag, snapshot, 0, null);
        }
    }

    /**
     * A place in a snapshot's scan plan: the data file (a digest of its location, {@link #fileId}), the part of it
     * planned as one task (the byte where that part starts: Parquet files are planned one row group at a time), and a
     * row's position in the file. Only as good as the snapshot and filters it came from; callers that hand it out
     * sign it.
     */
    record ScanPosition(String file, long splitStart, long row) {

        /** The place in the file at {@code location}. */
        public static ScanPosition in(String location, long splitStart, long row) {
            return new ScanPosition(fileId(location), splitStart, row);
        }

        /**
         * How a position names a data file: a digest of its location, so that a cursor handed to a reader shows no
         * storage path (bucket, warehouse, table layout).
         */
        public static String fileId(String location) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(location.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(java.util.Arrays.copyOf(digest, 16));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }

        public ScanPosition {
            if (file == null || file.isEmpty()) {
                throw new IllegalArgumentException("a position names its file");
            }
            if (splitStart < 0 || row < 0) {
                throw new IllegalArgumentException("a position's split start and row are not negative");
            }
        }
    }

    /** A condition on a column; {@code value} is ignored by the null tests and a list for {@code IN}. */
    record Condition(String column, Operator operator, Object value) {
    }

    enum Operator {
        EQ, NE, LT, LE, GT, GE, IN, IS_NULL, NOT_NULL
    }

    /** Rows as column → value maps (structs as maps, lists as lists, timestamps with their offset). */
    record ReadResult(List<String> columns, List<Map<String, Object>> rows, Long snapshotId) {
    }

    record SnapshotView(long snapshotId, Instant committedAt, String operation, long addedRecords, long totalRecords,
                        List<String> refs, boolean published) {
    }
}
