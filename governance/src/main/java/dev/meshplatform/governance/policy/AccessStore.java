package dev.meshplatform.governance.policy;

import dev.meshplatform.governance.api.AccessRequestView;
import dev.meshplatform.governance.api.GrantView;
import dev.meshplatform.registry.api.PageResult;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Access requests and grants in the database. */
final class AccessStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;

    AccessStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private static final RowMapper<AccessRequestView> REQUEST = (rs, i) -> new AccessRequestView(rs.getString("id"),
            rs.getString("domain_name"), rs.getString("product_name"), rs.getString("requester_domain"),
            rs.getString("requested_by"), rs.getString("purpose"), JSON.readValue(rs.getString("columns_json"), STRINGS),
            rs.getString("duration"), rs.getString("justification"),
            AccessRequestView.Status.valueOf(rs.getString("status")), rs.getString("decided_by"),
            instant(rs.getTimestamp("decided_at")), rs.getString("decision_reason"), rs.getString("grant_id"),
            instant(rs.getTimestamp("created_at")));

    private static RowMapper<GrantView> grantMapper(Instant now) {
        return (rs, i) -> {
            Instant expires = instant(rs.getTimestamp("expires_at"));
            Instant revoked = instant(rs.getTimestamp("revoked_at"));
            GrantView.Status status = revoked != null ? GrantView.Status.REVOKED
                    : !expires.isAfter(now) ? GrantView.Status.EXPIRED : GrantView.Status.ACTIVE;
            return new GrantView(rs.getString("id"), rs.getString("domain_name"), rs.getString("product_name"),
                    rs.getString("grantee_domain"), rs.getString("purpose"),
                    JSON.readValue(rs.getString("columns_json"), STRINGS),
                    JSON.readValue(rs.getString("row_filters_json"), STRINGS), rs.getString("request_id"),
                    rs.getString("approved_by"), instant(rs.getTimestamp("created_at")), expires,
                    rs.getString("revoked_by"), revoked, status);
        };
    }

    void insertRequest(AccessRequestView r) {
        jdbc.update("insert into governance_access_request (id, domain_name, product_name, requester_domain, "
                        + "requested_by, purpose, columns_json, duration, justification, status, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.domain(), r.product(),
                r.requesterDomain(), r.requestedBy(), r.purpose(), JSON.writeValueAsString(r.columns()), r.duration(),
                r.justification(), r.status().name(), Timestamp.from(r.createdAt()));
    }

    Optional<AccessRequestView> findRequest(String id) {
        return jdbc.query("select * from governance_access_request where id = ?", REQUEST, id).stream().findFirst();
    }

    List<AccessRequestView> requests(String domain, String product, String requesterDomain) {
        StringBuilder sql = new StringBuilder("select * from governance_access_request where domain_name = ? "
                + "and product_name = ?");
        List<Object> args = new ArrayList<>(List.of(domain, product));
        if (requesterDomain != null) {
            sql.append(" and requester_domain = ?");
            args.add(requesterDomain);
        }
        return jdbc.query(sql + " order by created_at desc, id", REQUEST, args.toArray());
    }

    /** Records the decision on a pending request; false when it was decided meanwhile. */
    boolean decide(String id, AccessRequestView.Status status, String by, Instant at, String reason, String grantId) {
        return jdbc.update("update governance_access_request set status = ?, decided_by = ?, decided_at = ?, "
                        + "decision_reason = ?, grant_id = ? where id = ? and status = 'PENDING'", status.name(), by,
                Timestamp.from(at), reason, grantId, id) == 1;
    }

    void insertGrant(GrantView g) {
        jdbc.update("insert into governance_grant (id, domain_name, product_name, grantee_domain, purpose, "
                        + "columns_json, row_filters_json, request_id, approved_by, created_at, expires_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", g.id(), g.domain(), g.product(), g.granteeDomain(),
                g.purpose(), JSON.writeValueAsString(g.columns()), JSON.writeValueAsString(g.rowFilters()),
                g.requestId(), g.approvedBy(), Timestamp.from(g.createdAt()), Timestamp.from(g.expiresAt()));
    }

    Optional<GrantView> findGrant(String id, Instant now) {
        return jdbc.query("select * from governance_grant where id = ?", grantMapper(now), id).stream().findFirst();
    }

    /** Grants of a domain on a product that are neither revoked nor expired at {@code now}, longest-lived first. */
    List<GrantView> activeGrants(String domain, String product, String granteeDomain, Instant now) {
        return jdbc.query("select * from governance_grant where domain_name = ? and product_name = ? "
                        + "and grantee_domain = ? and revoked_at is null and expires_at > ? order by expires_at desc",
                grantMapper(now), domain, product, granteeDomain, Timestamp.from(now));
    }

    boolean revoke(String id, String by, Instant at, String reason) {
        return jdbc.update("update governance_grant set revoked_by = ?, revoked_at = ?, revoke_reason = ? "
                + "where id = ? and revoked_at is null", by, Timestamp.from(at), reason, id) == 1;
    }

    /** Revokes every grant a domain holds; returns how many. */
    int revokeOnProduct(String domain, String product, String by, Instant at, String reason) {
        return jdbc.update("update governance_grant set revoked_by = ?, revoked_at = ?, revoke_reason = ? "
                + "where domain_name = ? and product_name = ? and revoked_at is null", by, Timestamp.from(at), reason,
                domain, product);
    }

    int revokeHeldBy(String granteeDomain, String by, Instant at, String reason) {
        return jdbc.update("update governance_grant set revoked_by = ?, revoked_at = ?, revoke_reason = ? "
                + "where grantee_domain = ? and revoked_at is null", by, Timestamp.from(at), reason, granteeDomain);
    }

    PageResult<GrantView> grants(dev.meshplatform.governance.api.Access.GrantQuery query, Instant now) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.domain() != null) {
            where.append(" and domain_name = ?");
            args.add(query.domain());
        }
        if (query.product() != null) {
            where.append(" and product_name = ?");
            args.add(query.product());
        }
        if (query.granteeDomain() != null) {
            where.append(" and grantee_domain = ?");
            args.add(query.granteeDomain());
        }
        if (query.involving() != null) {
            where.append(" and (domain_name = ? or grantee_domain = ?)");
            args.add(query.involving());
            args.add(query.involving());
        }
        if (query.activeOnly()) {
            where.append(" and revoked_at is null and expires_at > ?");
            args.add(Timestamp.from(now));
        }
        Long total = jdbc.queryForObject("select count(*) from governance_grant" + where, Long.class, args.toArray());
        List<Object> page = new ArrayList<>(args);
        page.add(query.size());
        page.add((long) query.page() * query.size());
        List<GrantView> grants = jdbc.query("select * from governance_grant" + where
                + " order by created_at desc, id limit ? offset ?", grantMapper(now), page.toArray());
        return new PageResult<>(grants, query.page(), query.size(), total == null ? 0 : total);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
