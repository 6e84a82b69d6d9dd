package dev.meshplatform.registry.keys;

import dev.meshplatform.registry.api.ApiKeyStore;
import dev.meshplatform.registry.api.ApiKeyView;
import dev.meshplatform.registry.api.DomainCatalog;
import dev.meshplatform.registry.api.DomainDeleted;
import dev.meshplatform.registry.api.IssuedApiKey;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.RegistryException.FieldProblem;
import dev.meshplatform.registry.api.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Issues and checks API keys. A key is {@code mesh_<id>_<secret>}: the id is public and indexed, the secret 256
 * random bits. Only SHA-256 of the whole token is stored: one hash per request is cheap enough for event batches,
 * and a random 256-bit secret needs no slow hash to resist guessing.
 */
@Transactional
class ApiKeyService implements ApiKeyStore {

    static final String PREFIX = "mesh_";
    private static final int ID_LENGTH = 12;
    private static final char[] ID_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);

    private final ApiKeyRepository keys;
    private final DomainCatalog domains;
    private final Clock clock;
    private final JdbcTemplate jdbc;
    private final SecureRandom random = new SecureRandom();

    ApiKeyService(ApiKeyRepository keys, DomainCatalog domains, Clock clock, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.domains = domains;
        this.clock = clock;
    }

    @Override
    public IssuedApiKey issue(String name, Role role, String domain, Instant expiresAt, String issuedBy) {
        if (role == null) {
            throw RegistryException.invalid("a key has a role", List.of(new FieldProblem("role", "must not be null")));
        }
        if (!role.isCredential()) {
            throw RegistryException.invalid("role " + role + " is the platform's own, for runs reading their inputs",
                    List.of(new FieldProblem("role",
                            "one of PLATFORM_ADMIN, DOMAIN_OWNER, DOMAIN_MEMBER, CONSUMER, METRICS_READER")));
        }
        if (role.isDomainScoped()) {
            if (domain == null) {
                throw RegistryException.invalid("a " + role + " key belongs to a domain",
                        List.of(new FieldProblem("domain", "required for role " + role)));
            }
            domains.get(domain);
        } else if (domain != null) {
            throw RegistryException.invalid(role + " keys belong to no domain",
                    List.of(new FieldProblem("domain", "must be absent for role " + role)));
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw RegistryException.invalid("the key would be expired already",
                    List.of(new FieldProblem("expiresAt", "must be in the future")));
        }
        String id = randomId();
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String token = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        ApiKeyEntity saved = keys.saveAndFlush(new ApiKeyEntity(id, name, role, domain, sha256(token), issuedBy, now,
                expiresAt));
        log.info("API key {} issued: role {}, domain {}, by {}", id, role, domain == null ? "-" : domain, issuedBy);
        return new IssuedApiKey(view(saved), token);
    }

    /** What a request's key is checked against. */
    private record StoredKey(Role role, String domain, String secretHash, Instant expiresAt, Instant revokedAt) {
    }

    /**
     * One indexed query in plain JDBC, outside any transaction: it runs on every request, and an entity session and a
     * transaction around one read cost more than the read.
     */
    @Override
    @Transactional(propagation = Propagation.SUPPORTS)
    public Optional<MeshPrincipal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() < PREFIX.length() + ID_LENGTH + 2
                || token.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return Optional.empty();
        }
        String id = token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        Instant now = clock.instant();
        return jdbc.query("select role, domain_name, secret_hash, expires_at, revoked_at from registry_api_key "
                        + "where key_id = ?", (rs, row) -> new StoredKey(Role.valueOf(rs.getString("role")),
                        rs.getString("domain_name"), rs.getString("secret_hash"), instant(rs, "expires_at"),
                        instant(rs, "revoked_at")), id).stream().findFirst()
                .filter(k -> MessageDigest.isEqual(k.secretHash().getBytes(StandardCharsets.US_ASCII),
                        sha256(token).getBytes(StandardCharsets.US_ASCII)))
                .filter(k -> k.revokedAt() == null && (k.expiresAt() == null || k.expiresAt().isAfter(now)))
                .map(k -> new MeshPrincipal(id, k.role(), k.domain()));
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        java.time.OffsetDateTime at = rs.getObject(column, java.time.OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    @Override
    @Transactional(readOnly = true)
    public PageResult<ApiKeyView> list(String domain, int page, int size) {
        PageRequest request = PageRequest.of(page, size);
        Page<ApiKeyEntity> result = domain == null ? keys.findAllByOrderByCreatedAtAscIdAsc(request)
                : keys.findByDomainOrderByCreatedAtAscIdAsc(domain, request);
        return new PageResult<>(result.map(ApiKeyService::view).getContent(), page, size, result.getTotalElements());
    }

    @Override
    @Transactional(readOnly = true)
    public ApiKeyView get(String id) {
        return view(load(id));
    }

    @Override
    public ApiKeyView revoke(String id) {
        ApiKeyEntity key = load(id);
        key.revoke(clock.instant());
        log.info("API key {} revoked", id);
        return view(keys.saveAndFlush(key));
    }

    @Override
    @Transactional(readOnly = true)
    public boolean hasActiveAdminKey() {
        return keys.existsActive(Role.PLATFORM_ADMIN, clock.instant());
    }

    @EventListener
    void onDomainDeleted(DomainDeleted event) {
        int revoked = keys.revokeAllOfDomain(event.domain(), clock.instant());
        if (revoked > 0) {
            log.info("{} API keys of deleted domain {} revoked", revoked, event.domain());
        }
    }

    private ApiKeyEntity load(String id) {
        return keys.findByKeyId(id).orElseThrow(() -> RegistryException.notFound("api-key-not-found",
                "API key '" + id + "' does not exist"));
    }

    private String randomId() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static ApiKeyView view(ApiKeyEntity k) {
        return new ApiKeyView(k.keyId(), k.name(), k.role(), k.domain(), k.createdBy(), k.createdAt(), k.expiresAt(),
                k.revokedAt());
    }
}
