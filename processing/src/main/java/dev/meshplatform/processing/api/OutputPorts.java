package dev.meshplatform.processing.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads products' output ports: what governance serves, after its own checks, and what the catalog shows. */
public interface OutputPorts {

    /** Rows of the output port of a product major: projected, filtered, limited, at main, a tag or a snapshot. */
    ReadResult read(String domain, String product, int major, ReadRequest request);

    /** The output port's snapshots, newest first, with the refs (main, tags v&lt;version&gt;) pointing at each. */
    List<SnapshotView> snapshots(String domain, String product, int major);

    /**
     * @param columns  the columns to return; all when empty
     * @param filters  conditions that all hold
     * @param limit    at most this many rows
     * @param tag      read the snapshot a tag points at (e.g. {@code v1.2.0}); null for main
     * @param snapshot read this snapshot; null for main
     */
    record ReadRequest(List<String> columns, List<Condition> filters, int limit, String tag, Long snapshot) {
        public ReadRequest {
            columns = columns == null ? List.of() : List.copyOf(columns);
            filters = filters == null ? List.of() : List.copyOf(filters);
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
                        List<String> refs) {
    }
}
