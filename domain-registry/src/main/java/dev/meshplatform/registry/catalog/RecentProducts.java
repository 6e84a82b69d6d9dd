package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.ProductVersionView;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The versions of the products read lately, each kept with the state of its rows when it was read, and served again
 * only while one query finds that state unchanged. Every change to a version raises its revision (a new version, a
 * transition, a sunset, recorded lineage), a deleted draft takes its row away, and a flag changes its flag rows: so a
 * change committed by any instance on the same database is seen by the next read on every other.
 */
final class RecentProducts {

    /** How many products stay held; one holds its versions' parsed descriptors. */
    static final int PRODUCTS_KEPT = 1024;

    /** What a product's versions were read at, and them, newest first, all and released only. */
    record Held(List<List<Object>> state, List<ProductVersionView> all, List<ProductVersionView> released) {
    }

    private record Key(String domain, String product) {
    }

    private final JdbcTemplate jdbc;
    private final Map<Key, Held> held = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Held> eldest) {
            return size() > PRODUCTS_KEPT;
        }
    });

    RecentProducts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The product's versions as they are now: the held ones when their state is unchanged, else those {@code read}
     * returns. {@code read} runs in a transaction of its own and reads the state first, then the versions: a commit
     * between the two leaves newer versions under an older state (read again next time), never the reverse.
     */
    Held versions(String domain, String product, Supplier<Held> read) {
        Key key = new Key(domain, product);
        Held known = held.get(key);
        if (known != null && known.state().equals(state(domain, product))) {
            return known;
        }
        Held fresh = read.get();
        held.put(key, fresh);
        return fresh;
    }

    /** One row per version and flag: the version's id and revision, and the flag's code, message and time. */
    List<List<Object>> state(String domain, String product) {
        return jdbc.query("select v.id, v.revision, f.code, f.message, f.flagged_at from registry_product_version v "
                        + "join registry_product p on p.id = v.product_id "
                        + "join registry_domain d on d.id = p.domain_id "
                        + "left join registry_version_flag f on f.version_id = v.id "
                        + "where d.name = ? and p.name = ? order by v.id, f.code",
                (rs, row) -> List.of(rs.getLong(1), rs.getLong(2), String.valueOf(rs.getString(3)),
                        String.valueOf(rs.getString(4)), String.valueOf(rs.getTimestamp(5))), domain, product);
    }
}
