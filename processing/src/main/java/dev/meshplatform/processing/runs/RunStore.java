package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.processing.api.RunState;
import dev.meshplatform.processing.api.RunView;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Run records in the database, and the lock that keeps one run per product at a time. */
final class RunStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<RuleResult>> RULES = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, domain_name, product_name, major, version, trigger_kind, requested_by, "
            + "state, phase, progress, owner_instance, heartbeat_at, created_at, started_at, finished_at, rows_read, "
            + "bytes_read, rows_written, bytes_written, snapshot_id, published, rule_results, error, cancel_requested";

    private final JdbcTemplate jdbc;

    RunStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored run with the fields the service needs beside its view. */
    record Row(RunView view, String owner, Instant heartbeat, boolean cancelRequested) {
    }

    private static final RowMapper<Row> ROW = (rs, i) -> {
        Instant started = instant(rs.getTimestamp("started_at"));
        Instant finished = instant(rs.getTimestamp("finished_at"));
        String rules = rs.getString("rule_results");
        RunView view = new RunView(rs.getString("id"), rs.getString("domain_name"), rs.getString("product_name"),
                rs.getInt("major"), rs.getString("version"), rs.getString("trigger_kind"),
                rs.getString("requested_by"), RunState.valueOf(rs.getString("state")), rs.getString("phase"), rs.getDouble("progress"),
                instant(rs.getTimestamp("created_at")), started, finished,
                started != null && finished != null ? Duration.between(started, finished).toMillis() : null,
                (Long) rs.getObject("rows_read", Long.class), (Long) rs.getObject("bytes_read", Long.class),
                (Long) rs.getObject("rows_written", Long.class),
                (Long) rs.getObject("bytes_written", Long.class), (Long) rs.getObject("snapshot_id", Long.class),
                (Boolean) rs.getObject("published", Boolean.class),
                rules == null ? List.of() : JSON.readValue(rules, RULES), rs.getString("error"));
        return new Row(view, rs.getString("owner_instance"), instant(rs.getTimestamp("heartbeat_at")),
                rs.getBoolean("cancel_requested"));
    };

    /** Takes the product's one active slot; false when a run is queued or running already. */
    boolean lock(String productKey, String runId) {
        try {
            jdbc.update("insert into processing_active_run (product_key, run_id, taken_at) values (?, ?, ?)",
                    productKey, runId, ts(Instant.now()));
            return true;
        } catch (DuplicateKeyException busy) {
            return false;
        }
    }

    /**
     * A slot id for maintenance that holds a product between runs ({@code purpose} such as "compaction"): unique,
     * and no longer than a run id, so that it fits where run ids go.
     */
    static String maintenanceSlot(String purpose) {
        String id = purpose + "-" + java.util.UUID.randomUUID().toString().replace("-", "");
        return id.length() <= MAX_SLOT_ID ? id : id.substring(0, MAX_SLOT_ID);
    }

    static final int MAX_SLOT_ID = 40;

    /**
     * Frees slots that maintenance took before {@code takenBefore} and never gave back (its instance died holding
     * them): a slot whose id is no run's. Returns how many.
     */
    int freeAbandonedMaintenanceSlots(Instant takenBefore) {
        return jdbc.update("delete from processing_active_run a where a.taken_at < ? and not exists "
                + "(select 1 from processing_run r where r.id = a.run_id)", ts(takenBefore));
    }

    Optional<String> activeRun(String productKey) {
        return jdbc.queryForList("select run_id from processing_active_run where product_key = ?", String.class,
                productKey).stream().findFirst();
    }

    void unlock(String productKey, String runId) {
        jdbc.update("delete from processing_active_run where product_key = ? and run_id = ?", productKey, runId);
    }

    void insert(String id, String domain, String product, int major, String version, String trigger,
                String requestedBy, String instance, Instant now) {
        jdbc.update("insert into processing_run (id, domain_name, product_name, major, version, trigger_kind, "
                        + "requested_by, state, progress, owner_instance, heartbeat_at, created_at, cancel_requested) "
                        + "values (?, ?, ?, ?, ?, ?, ?, 'QUEUED', 0, ?, ?, ?, false)",
                id, domain, product, major, version, trigger, requestedBy, instance, ts(now), ts(now));
    }

    /** Moves a queued run to RUNNING on this instance; false when it was cancelled meanwhile. */
    boolean start(String id, String instance, Instant now) {
        return jdbc.update("update processing_run set state = 'RUNNING', owner_instance = ?, started_at = ?, "
                + "heartbeat_at = ?, phase = 'starting' where id = ? and state = 'QUEUED'", instance, ts(now),
                ts(now), id) == 1;
    }

    void phase(String id, String phase, double progress, Instant now) {
        jdbc.update("update processing_run set phase = ?, progress = ?, heartbeat_at = ? where id = ? "
                + "and state = 'RUNNING' and (phase is null or phase <> 'publishing')", phase, progress, ts(now), id);
    }

    void heartbeat(String id, Instant now) {
        jdbc.update("update processing_run set heartbeat_at = ? where id = ? and state in ('QUEUED', 'RUNNING')",
                ts(now), id);
    }

    /**
     * Asks a running run to stop; false when it is publishing already (a cancel then loses: the run ends SUCCEEDED).
     * The phase and the flag change in one conditional update each, so a cancel and {@link #beginPublish} never
     * both win.
     */
    boolean requestCancel(String id) {
        return jdbc.update("update processing_run set cancel_requested = true where id = ? "
                + "and state in ('QUEUED', 'RUNNING') and (phase is null or phase <> 'publishing')", id) == 1;
    }

    /** Ends a queued run as cancelled; false when it started meanwhile. */
    boolean cancelQueued(String id, Instant now) {
        return jdbc.update("update processing_run set state = 'CANCELLED', phase = null, finished_at = ?, "
                + "cancel_requested = true, error = 'cancelled before it started' where id = ? and state = 'QUEUED'",
                ts(now), id) == 1;
    }

    /** The run decides to publish: true unless a cancel came first; from then on a cancel no longer applies. */
    boolean beginPublish(String id, Instant now) {
        return jdbc.update("update processing_run set phase = 'publishing', progress = 0.9, heartbeat_at = ? "
                + "where id = ? and state = 'RUNNING' and cancel_requested = false", ts(now), id) == 1;
    }

    /** Ends a run in a final state, unless it ended already. */
    boolean finish(String id, RunState state, Long rowsRead, Long bytesRead, Long rowsWritten, Long bytesWritten,
                   Long snapshotId, Boolean published, List<RuleResult> rules, String error, Instant now) {
        if (!state.isFinished()) {
            throw new IllegalArgumentException(state + " does not end a run");
        }
        return jdbc.update("update processing_run set state = ?, phase = null, progress = ?, finished_at = ?, "
                        + "rows_read = ?, bytes_read = ?, rows_written = ?, bytes_written = ?, snapshot_id = ?, "
                        + "published = ?, rule_results = ?, error = ? where id = ? and state in " + in(state.from()),
                state.name(), state == RunState.SUCCEEDED ? 1.0 : 0.0, ts(now), rowsRead, bytesRead, rowsWritten, bytesWritten,
                snapshotId, published, rules == null ? null : JSON.writeValueAsString(rules),
                error == null ? null : error.length() > 4000 ? error.substring(0, 4000) : error, id) == 1;
    }

    /** Records the newest-data time of what a run reads (null: none known). */
    void dataAt(String id, Instant dataAt) {
        jdbc.update("update processing_run set data_at = ? where id = ?", ts(dataAt), id);
    }

    /**
     * The newest-data time of a major's last published run: what its output port holds; empty when no published
     * run recorded one.
     */
    Optional<Instant> publishedDataAt(String domain, String product, int major) {
        return jdbc.query("select data_at from processing_run where domain_name = ? and product_name = ? "
                        + "and major = ? and state = 'SUCCEEDED' and published = true "
                        + "order by finished_at desc, id desc fetch first 1 rows only",
                (rs, i) -> instant(rs.getTimestamp(1)), domain, product, major).stream()
                .filter(java.util.Objects::nonNull).findFirst();
    }

    /** The quality rules of a major's runs that ended at or after {@code since}. */
    List<RuleResult> rulesSince(String domain, String product, int major, Instant since) {
        List<RuleResult> rules = new java.util.ArrayList<>();
        jdbc.query("select rule_results from processing_run where domain_name = ? and product_name = ? "
                        + "and major = ? and finished_at >= ? and rule_results is not null",
                rs -> {
                    rules.addAll(JSON.readValue(rs.getString(1), RULES));
                }, domain, product, major, ts(since));
        return rules;
    }

    Optional<Row> find(String id) {
        return jdbc.query("select " + COLUMNS + " from processing_run where id = ?", ROW, id).stream().findFirst();
    }

    List<Row> page(String domain, String product, int page, int size) {
        return jdbc.query("select " + COLUMNS + " from processing_run where domain_name = ? and product_name = ? "
                + "order by created_at desc, id desc limit ? offset ?", ROW, domain, product, size, page * size);
    }

    long count(String domain, String product) {
        Long count = jdbc.queryForObject("select count(*) from processing_run where domain_name = ? "
                + "and product_name = ?", Long.class, domain, product);
        return count == null ? 0 : count;
    }

    /** Runs that say they are queued or running but whose instance stopped reporting. */
    List<Row> stale(Instant heartbeatBefore) {
        return jdbc.query("select " + COLUMNS + " from processing_run where state in ('QUEUED', 'RUNNING') "
                + "and heartbeat_at < ?", ROW, ts(heartbeatBefore));
    }

    /** A SQL list of states, such as {@code ('QUEUED', 'RUNNING')}: the names are the enum's, never input. */
    private static String in(java.util.Set<RunState> states) {
        return states.stream().sorted().map(s -> "'" + s.name() + "'")
                .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
