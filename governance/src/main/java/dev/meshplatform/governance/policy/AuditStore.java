package dev.meshplatform.governance.policy;

import dev.meshplatform.governance.api.AuditEntry;
import dev.meshplatform.governance.api.AuditLog;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.PageResult;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The audit log in the database: rows are inserted, listed, never updated or deleted. */
final class AuditStore implements AuditLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> MASKS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate requiresNew;

    public AuditStore(JdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.requiresNew = new TransactionTemplate(transactions);
        this.requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Appends a decision in its own transaction, so that it stays in the log when the caller's transaction rolls
     * back because of that very decision (a refused publication).
     */
    public void appendIndependently(MeshPrincipal actor, AuditEntry.Action action, String domain, String product,
                                    String subject, String outcome, String reason, List<String> policies) {
        requiresNew.executeWithoutResult(tx -> append(actor, action, domain, product, subject, outcome, reason,
                policies, null));
    }

    /** Appends one entry; {@code outcome} is ALLOWED or DENIED for a decision, null for a change. */
    public void append(MeshPrincipal actor, AuditEntry.Action action, String domain, String product, String subject,
                       String outcome, String reason, List<String> policies, Map<String, ?> masks) {
        insert(actor == null ? "platform" : actor.name(), actor == null ? null : actor.role().name(),
                actor == null ? null : actor.domain(), action, domain, product, subject, outcome, reason, policies,
                masks);
    }

    private void insert(String actor, String actorRole, String actorDomain, AuditEntry.Action action, String domain,
                        String product, String subject, String outcome, String reason, List<String> policies,
                        Map<String, ?> masks) {
        jdbc.update("insert into governance_audit (at, actor, actor_role, actor_domain, action, domain_name, "
                        + "product_name, subject, outcome, reason, policies, masks) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Timestamp.from(clock.instant()), actor, actorRole, actorDomain, action.name(),
                domain, product, subject, outcome, truncate(reason, 4000),
                policies == null || policies.isEmpty() ? null : truncate(String.join(",", policies), 4000),
                masks == null || masks.isEmpty() ? null : truncate(JSON.writeValueAsString(masks), 4000));
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static final RowMapper<AuditEntry> ROW = (rs, i) -> {
        String policies = rs.getString("policies");
        String masks = rs.getString("masks");
        return new AuditEntry(rs.getLong("seq"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                rs.getString("actor_role"), rs.getString("actor_domain"),
                AuditEntry.Action.valueOf(rs.getString("action")), rs.getString("domain_name"),
                rs.getString("product_name"), rs.getString("subject"), rs.getString("outcome"),
                rs.getString("reason"), policies == null ? List.of() : Arrays.asList(policies.split(",")),
                masks == null ? Map.of() : JSON.readValue(masks, MASKS));
    };

    @Override
    public PageResult<AuditEntry> list(AuditQuery query) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        condition(where, args, "domain_name = ?", query.domain());
        condition(where, args, "product_name = ?", query.product());
        condition(where, args, "actor = ?", query.actor());
        condition(where, args, "action = ?", query.action() == null ? null : query.action().name());
        condition(where, args, "outcome = ?", query.outcome());
        condition(where, args, "at >= ?", query.since() == null ? null : Timestamp.from(query.since()));
        condition(where, args, "at < ?", query.until() == null ? null : Timestamp.from(query.until()));
        Long total = jdbc.queryForObject("select count(*) from governance_audit" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(query.size());
        pageArgs.add((long) query.page() * query.size());
        List<AuditEntry> entries = jdbc.query("select * from governance_audit" + where
                + " order by seq desc limit ? offset ?", ROW, pageArgs.toArray());
        return new PageResult<>(entries, query.page(), query.size(), total == null ? 0 : total);
    }

    private static void condition(StringBuilder where, List<Object> args, String sql, Object value) {
        if (value != null) {
            where.append(" and ").append(sql);
            args.add(value);
        }
    }
}
