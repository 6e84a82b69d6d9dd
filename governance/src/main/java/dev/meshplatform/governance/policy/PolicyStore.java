package dev.meshplatform.governance.policy;

import dev.meshplatform.governance.api.PolicySpec;
import dev.meshplatform.governance.api.PolicyView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/** Policies and every revision of them in the database. */
final class PolicyStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;

    PolicyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private static final RowMapper<PolicyView> CURRENT = (rs, i) -> new PolicyView(rs.getString("id"),
            rs.getLong("revision"), JSON.readValue(rs.getString("spec"), PolicySpec.class), rs.getBoolean("shipped"),
            false, rs.getString("changed_by"), rs.getTimestamp("changed_at").toInstant());

    private static final RowMapper<PolicyView> HISTORY = (rs, i) -> new PolicyView(rs.getString("id"),
            rs.getLong("revision"), JSON.readValue(rs.getString("spec"), PolicySpec.class), rs.getBoolean("shipped"),
            rs.getBoolean("deleted"), rs.getString("changed_by"), rs.getTimestamp("changed_at").toInstant());

    List<PolicyView> all() {
        return jdbc.query("select * from governance_policy order by domain_name nulls first, id", CURRENT);
    }

    Optional<PolicyView> find(String id) {
        return jdbc.query("select * from governance_policy where id = ?", CURRENT, id).stream().findFirst();
    }

    /** Whether a policy of this id ever existed: shipped defaults are installed once, never brought back. */
    boolean everExisted(String id) {
        Integer count = jdbc.queryForObject("select count(*) from governance_policy_history where id = ?",
                Integer.class, id);
        return count != null && count > 0;
    }

    void insert(PolicyView policy) {
        jdbc.update("insert into governance_policy (id, revision, kind, domain_name, spec, shipped, changed_by, "
                        + "changed_at) values (?, ?, ?, ?, ?, ?, ?, ?)", policy.id(), policy.revision(),
                policy.spec().kind().name(), policy.spec().domain(), JSON.writeValueAsString(policy.spec()),
                policy.shipped(), policy.changedBy(), Timestamp.from(policy.changedAt()));
        history(policy);
    }

    /** Replaces the policy at {@code expectedRevision}; false when somebody changed it in between. */
    boolean update(PolicyView policy, long expectedRevision) {
        int changed = jdbc.update("update governance_policy set revision = ?, kind = ?, domain_name = ?, spec = ?, "
                        + "changed_by = ?, changed_at = ? where id = ? and revision = ?", policy.revision(),
                policy.spec().kind().name(), policy.spec().domain(), JSON.writeValueAsString(policy.spec()),
                policy.changedBy(), Timestamp.from(policy.changedAt()), policy.id(), expectedRevision);
        if (changed == 1) {
            history(policy);
        }
        return changed == 1;
    }

    boolean delete(PolicyView removed, long expectedRevision) {
        int changed = jdbc.update("delete from governance_policy where id = ? and revision = ?", removed.id(),
                expectedRevision);
        if (changed == 1) {
            history(removed);
        }
        return changed == 1;
    }

    private void history(PolicyView policy) {
        jdbc.update("insert into governance_policy_history (id, revision, spec, shipped, deleted, changed_by, "
                        + "changed_at) values (?, ?, ?, ?, ?, ?, ?)", policy.id(), policy.revision(),
                JSON.writeValueAsString(policy.spec()), policy.shipped(), policy.deleted(), policy.changedBy(),
                Timestamp.from(policy.changedAt()));
    }

    List<PolicyView> history(String id) {
        return jdbc.query("select * from governance_policy_history where id = ? order by revision desc", HISTORY, id);
    }

    /** Grows with every save and delete: whether a cached set of policies is still current. */
    long changeCount() {
        Long count = jdbc.queryForObject("select count(*) from governance_policy_history", Long.class);
        return count == null ? 0 : count;
    }
}
