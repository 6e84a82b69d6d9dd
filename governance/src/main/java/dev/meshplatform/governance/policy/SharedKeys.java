package dev.meshplatform.governance.policy;

import dev.meshplatform.governance.api.GovernanceProperties;
import dev.meshplatform.governance.api.ServingKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ServingKeys} kept in the shared database: the first instance that needs a key generates it (256 random bits)
 * and every other instance reads the same one, so hashes stay joinable and cursors valid across instances. A
 * configured mask key wins over the stored one.
 */
final class SharedKeys implements ServingKeys {

    private static final Logger log = LoggerFactory.getLogger(SharedKeys.class);
    static final String MASK_HASH_KEY = "mask-hash-key";
    static final String CURSOR_SIGNING_KEY = "cursor-signing-key";

    private final JdbcTemplate jdbc;
    private final GovernanceProperties properties;
    private final Clock clock;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public SharedKeys(JdbcTemplate jdbc, GovernanceProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public String maskHashKey() {
        String configured = properties.maskHashKey();
        return configured != null && !configured.isEmpty() ? configured : stored(MASK_HASH_KEY);
    }

    @Override
    public byte[] cursorSigningKey() {
        return stored(CURSOR_SIGNING_KEY).getBytes(StandardCharsets.UTF_8);
    }

    private String stored(String name) {
        return cache.computeIfAbsent(name, this::loadOrGenerate);
    }

    private String loadOrGenerate(String name) {
        List<String> found = read(name);
        if (!found.isEmpty()) {
            return found.get(0);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
            jdbc.update("insert into governance_secret (name, secret, created_at) values (?, ?, ?)", name,
                    HexFormat.of().formatHex(random), Timestamp.from(clock.instant()));
            log.info("Generated the shared {} (kept in the platform's database)", name);
        } catch (DataIntegrityViolationException anotherInstanceWasFirst) {
            // Its key wins: read it below.
        }
        return read(name).get(0);
    }

    private List<String> read(String name) {
        return jdbc.queryForList("select secret from governance_secret where name = ?", String.class, name);
    }

    @Override
    public String toString() {
        return "SharedKeys";
    }
}
