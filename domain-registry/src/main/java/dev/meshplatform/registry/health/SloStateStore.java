package dev.meshplatform.registry.health;

import dev.meshplatform.registry.api.ProductHealth.SloStatus;
import dev.meshplatform.registry.api.ProductHealth.SloTransition;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.SloState;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored SLO states and transitions. A state changes only from the state it was read in (compare and set), so
 * that of several instances evaluating the same SLO at once exactly one records a transition.
 */
final class SloStateStore {

    private final JdbcTemplate jdbc;

    SloStateStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One stored state. */
    record Row(ProductMajor major, String slo, String version, String target, Double observed, SloState state,
               String reason, Instant since, Instant evaluatedAt, Instant watchedSince) {

        SloStatus status() {
            return new SloStatus(slo, target, observed, SloRules.FRESHNESS.equals(slo) ? "seconds" : "percent", state,
                    since, evaluatedAt, reason);
        }
    }

    List<Row> all() {
        return jdbc.query(SELECT + " order by domain_name, product_name, major desc, slo", SloStateStore::row);
    }

    List<Row> ofProduct(String domain, String product) {
        return jdbc.query(SELECT + " where domain_name = ? and product_name = ? order by major desc, slo",
                SloStateStore::row, domain, product);
    }

    /** The first state of an SLO; false when another instance stored one first. */
    boolean insert(Row row) {
        try {
            jdbc.update("insert into registry_slo_state (domain_name, product_name, major, slo, version, target, "
                            + "observed, state, reason, since, evaluated_at, watched_since) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row.major().domain(), row.major().product(), row.major().major(), row.slo(), row.version(),
                    row.target(), row.observed(), row.state().name(), row.reason(), ts(row.since()),
                    ts(row.evaluatedAt()), ts(row.watchedSince()));
            return true;
        } catch (DuplicateKeyException concurrent) {
            return false;
        }
    }

    /**
     * Stores the evaluation when the state is still {@code expected}; {@code since} moves only with the state.
     * False when another instance changed it meanwhile.
     */
    boolean update(Row row, SloState expected) {
        return jdbc.update("update registry_slo_state set version = ?, target = ?, observed = ?, state = ?, "
                        + "reason = ?, since = ?, evaluated_at = ? where domain_name = ? and product_name = ? "
                        + "and major = ? and slo = ? and state = ?",
                row.version(), row.target(), row.observed(), row.state().name(), row.reason(), ts(row.since()),
                ts(row.evaluatedAt()), row.major().domain(), row.major().product(), row.major().major(), row.slo(),
                expected.name()) == 1;
    }

    /**
     * Stores new observations of states that did not change, in one batch: each only while its state is still the
     * one evaluated (another instance's change stands).
     */
    void updateUnchanged(List<Row> rows) {
        jdbc.batchUpdate("update registry_slo_state set version = ?, target = ?, observed = ?, reason = ?, "
                        + "evaluated_at = ? where domain_name = ? and product_name = ? and major = ? and slo = ? "
                        + "and state = ?", rows, 500, (statement, row) -> {
                    statement.setString(1, row.version());
                    statement.setString(2, row.target());
                    statement.setObject(3, row.observed(), java.sql.Types.DOUBLE);
                    statement.setString(4, row.reason());
                    statement.setTimestamp(5, ts(row.evaluatedAt()));
                    statement.setString(6, row.major().domain());
                    statement.setString(7, row.major().product());
                    statement.setInt(8, row.major().major());
                    statement.setString(9, row.slo());
                    statement.setString(10, row.state().name());
                });
    }

    void delete(ProductMajor major, String slo) {
        jdbc.update("delete from registry_slo_state where domain_name = ? and product_name = ? and major = ? "
                + "and slo = ?", major.domain(), major.product(), major.major(), slo);
    }

    void appendTransition(ProductMajor major, String slo, String version, SloState from, SloState to, String reason,
                          Instant at) {
        jdbc.update("insert into registry_slo_transition (domain_name, product_name, major, slo, version, "
                        + "from_state, to_state, reason, changed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                major.domain(), major.product(), major.major(), slo, version, from == null ? null : from.name(),
                to.name(), reason, ts(at));
    }

    /** A major's transitions at or after {@code since} (null: any), newest first, at most {@code limit}. */
    List<SloTransition> transitions(ProductMajor major, Instant since, int limit) {
        List<Object> args = new ArrayList<>(List.of(major.domain(), major.product(), major.major()));
        String where = "";
        if (since != null) {
            where = " and changed_at >= ?";
            args.add(ts(since));
        }
        return jdbc.query("select slo, version, from_state, to_state, reason, changed_at from registry_slo_transition "
                        + "where domain_name = ? and product_name = ? and major = ?" + where
                        + " order by changed_at desc, id desc fetch first " + Math.max(0, limit) + " rows only",
                (rs, i) -> new SloTransition(rs.getString(1), rs.getString(2), state(rs.getString(3)),
                        state(rs.getString(4)), instant(rs, 6), rs.getString(5)), args.toArray());
    }

    /** The products whose catalog health is set, as {@code domain/product} → state. */
    java.util.Map<String, String> catalogHealth() {
        java.util.Map<String, String> health = new java.util.HashMap<>();
        jdbc.query("select d.name, p.name, p.health from registry_product p join registry_domain d "
                        + "on d.id = p.domain_id where p.health is not null",
                rs -> {
                    health.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
                });
        return health;
    }

    /** Sets a product's worst state in the catalog (null: none), for its health filter and sort. */
    void setCatalogHealth(String domain, String product, SloState state) {
        jdbc.update("update registry_product set health = ?, health_rank = ? where name = ? "
                        + "and domain_id = (select id from registry_domain where name = ?)",
                state == null ? null : state.name(), state == null ? 0 : state.ordinal() + 1, product, domain);
    }

    private static final String SELECT = "select domain_name, product_name, major, slo, version, target, observed, "
            + "state, reason, since, evaluated_at, watched_since from registry_slo_state";

    private static Row row(ResultSet rs, int i) throws SQLException {
        double value = rs.getDouble(7);
        Double observed = rs.wasNull() ? null : value;
        return new Row(new ProductMajor(rs.getString(1), rs.getString(2), rs.getInt(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), observed, SloState.valueOf(rs.getString(8)),
                rs.getString(9), instant(rs, 10), instant(rs, 11), instant(rs, 12));
    }

    private static SloState state(String name) {
        return name == null ? null : SloState.valueOf(name);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
