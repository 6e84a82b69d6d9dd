package dev.meshplatform.app.security;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.governance.api.Access;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DESIGN.md's security table for the registry's endpoints, as a matrix: every operation names the callers that
 * suffice and the status they get; every other caller is a generated negative case (401 without a key, 403 with one).
 */
class AuthorizationMatrixIT extends PlatformIT {

    /**
     * Callers: the roles of the table, in the operation's domain ("own") or another one ("other"), and a Prometheus
     * scraper's key (no domain), which may read the metrics and nothing else.
     */
    enum Caller {
        ANONYMOUS, ADMIN, OWNER, MEMBER, CONSUMER, OTHER_OWNER, OTHER_MEMBER, OTHER_CONSUMER, METRICS_READER
    }

    /** Every caller that may act in the mesh: everyone with a key but the scraper. */
    static final Set<Caller> EVERYONE = EnumSet.complementOf(EnumSet.of(Caller.ANONYMOUS, Caller.METRICS_READER));

    /** One cell row: the call, the callers allowed and what they get. */
    record Operation(String name, Set<Caller> allowed, Set<Integer> allowedStatus, Map<Caller, Integer> special,
                     Function<Caller, Api.Response> call) {
    }

    @Autowired
    MeshAuthorization authz;
    @Autowired
    Access access;
    @Autowired
    ProductCatalog products;

    private String own;
    private String other;
    private final Map<Caller, String> keys = new java.util.EnumMap<>(Caller.class);

    @BeforeEach
    void fixture() {
        if (own != null) {
            return;
        }
        own = createDomain("own");
        other = createDomain("other");
        keys.put(Caller.ADMIN, ADMIN_KEY);
        keys.put(Caller.OWNER, issueKey("DOMAIN_OWNER", own));
        keys.put(Caller.MEMBER, issueKey("DOMAIN_MEMBER", own));
        keys.put(Caller.CONSUMER, issueKey("CONSUMER", own));
        keys.put(Caller.OTHER_OWNER, issueKey("DOMAIN_OWNER", other));
        keys.put(Caller.OTHER_MEMBER, issueKey("DOMAIN_MEMBER", other));
        keys.put(Caller.OTHER_CONSUMER, issueKey("CONSUMER", other));
        keys.put(Caller.METRICS_READER, issueKey("METRICS_READER", null));
        // A published version and a draft to read.
        assertThat(api.put(versionPath(own, "published", "1.0.0"), ADMIN_KEY, DescriptorJson.titled("P")).status())
                .isEqualTo(201);
        assertThat(api.post(versionPath(own, "published", "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        assertThat(api.put(versionPath(own, "drafty", "0.1.0"), ADMIN_KEY, DescriptorJson.titled("D")).status())
                .isEqualTo(201);
    }

    private String key(Caller caller) {
        return keys.get(caller);
    }

    private List<Operation> operations() {
        Set<Caller> admin = EnumSet.of(Caller.ADMIN);
        Set<Caller> owners = EnumSet.of(Caller.ADMIN, Caller.OWNER);
        Set<Caller> writers = EnumSet.of(Caller.ADMIN, Caller.OWNER, Caller.MEMBER);
        List<Operation> ops = new ArrayList<>();
        ops.add(new Operation("list domains", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/domains", key(c))));
        ops.add(new Operation("create domain", admin, Set.of(201), Map.of(),
                c -> api.post("/api/v1/domains", key(c), Map.of("name", unique("new"), "title", "t", "ownerTeam", "t"))));
        ops.add(new Operation("read domain", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/domains/" + own, key(c))));
        ops.add(new Operation("update domain", owners, Set.of(200), Map.of(),
                c -> api.put("/api/v1/domains/" + own, key(c), Map.of("title", "Own", "ownerTeam", "own-team"))));
        ops.add(new Operation("delete domain", admin, Set.of(204), Map.of(), c -> {
            String doomed = c == Caller.ADMIN ? createDomain("doomed") : own;
            return api.delete("/api/v1/domains/" + doomed, key(c));
        }));
        ops.add(new Operation("search catalog", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/products?domain=" + own, key(c))));
        ops.add(new Operation("list domain products", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/domains/" + own + "/products", key(c))));
        ops.add(new Operation("read published product", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/domains/" + own + "/products/published", key(c))));
        ops.add(new Operation("search catalog by health", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/products?domain=" + own + "&health=BREACHED&sort=HEALTH", key(c))));
        ops.add(new Operation("read published product health", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/domains/" + own + "/products/published/health", key(c))));
        // Visible like the product: a drafts-only product does not exist for consumers.
        ops.add(new Operation("read drafts-only product health", EVERYONE, Set.of(200),
                Map.of(Caller.CONSUMER, 404, Caller.OTHER_CONSUMER, 404),
                c -> api.get("/api/v1/domains/" + own + "/products/drafty/health", key(c))));
        ops.add(new Operation("read published version", EVERYONE, Set.of(200), Map.of(),
                c -> api.get(versionPath(own, "published", "1.0.0"), key(c))));
        // Consumers read what is published only: a draft does not exist for them.
        ops.add(new Operation("read draft version", EVERYONE, Set.of(200),
                Map.of(Caller.CONSUMER, 404, Caller.OTHER_CONSUMER, 404),
                c -> api.get(versionPath(own, "drafty", "0.1.0"), key(c))));
        ops.add(new Operation("apply draft", writers, Set.of(200, 201), Map.of(),
                c -> api.put(versionPath(own, "applied", "0.1.0"), key(c), DescriptorJson.titled("A"))));
        ops.add(new Operation("change published version", writers, Set.of(409), Map.of(),
                c -> api.put(versionPath(own, "published", "1.0.0"), key(c), DescriptorJson.titled("changed"))));
        // A version's ODCS contract: read like the version, imported like an apply.
        ops.add(new Operation("read published contract", EVERYONE, Set.of(200), Map.of(),
                c -> api.get(versionPath(own, "published", "1.0.0") + "/contract", key(c))));
        ops.add(new Operation("read draft contract", EVERYONE, Set.of(200),
                Map.of(Caller.CONSUMER, 404, Caller.OTHER_CONSUMER, 404),
                c -> api.get(versionPath(own, "drafty", "0.1.0") + "/contract", key(c))));
        ops.add(new Operation("import contract into a draft", writers, Set.of(200, 201), Map.of(),
                c -> api.put(versionPath(own, "imported", "0.1.0") + "/contract", key(c), publishedContract())));
        ops.add(new Operation("import contract into a published version", writers, Set.of(409), Map.of(),
                c -> api.put(versionPath(own, "published", "1.0.0") + "/contract", key(c), publishedContract())));
        // Lineage: seen like the products; who read them only by those who read the audit (not a status).
        ops.add(new Operation("read product lineage", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/domains/" + own + "/products/published/lineage", key(c))));
        ops.add(new Operation("read domain lineage", EVERYONE, Set.of(200), Map.of(),
                c -> api.get("/api/v1/domains/" + own + "/lineage", key(c))));
        ops.add(new Operation("read published version lineage", EVERYONE, Set.of(200), Map.of(),
                c -> api.get(versionPath(own, "published", "1.0.0") + "/lineage", key(c))));
        ops.add(new Operation("read draft version lineage", EVERYONE, Set.of(200),
                Map.of(Caller.CONSUMER, 404, Caller.OTHER_CONSUMER, 404),
                c -> api.get(versionPath(own, "drafty", "0.1.0") + "/lineage", key(c))));
        ops.add(new Operation("dry-run a deprecation", owners, Set.of(200), Map.of(),
                c -> api.post(versionPath(own, "published", "1.0.0") + "/transitions?dryRun=true", key(c),
                        Map.of("to", "DEPRECATED"))));
        // Its ODPS document and the bundle of both: the same.
        ops.add(new Operation("read published data product", EVERYONE, Set.of(200), Map.of(),
                c -> api.get(versionPath(own, "published", "1.0.0") + "/data-product", key(c))));
        ops.add(new Operation("read draft bundle", EVERYONE, Set.of(200),
                Map.of(Caller.CONSUMER, 404, Caller.OTHER_CONSUMER, 404),
                c -> api.get(versionPath(own, "drafty", "0.1.0") + "/bundle", key(c))));
        ops.add(new Operation("import bundle into a draft", writers, Set.of(200, 201), Map.of(),
                c -> api.put(versionPath(own, "bundled", "0.1.0") + "/bundle", key(c), publishedBundle())));
        ops.add(new Operation("import bundle into a published version", writers, Set.of(409), Map.of(),
                c -> api.put(versionPath(own, "published", "1.0.0") + "/bundle", key(c), publishedBundle())));
        ops.add(new Operation("publish draft", owners, Set.of(200), Map.of(), c -> {
            String product = unique("pub");
            api.put(versionPath(own, product, "1.0.0"), ADMIN_KEY, DescriptorJson.titled("T"));
            return api.post(versionPath(own, product, "1.0.0") + "/transitions", key(c), Map.of("to", "PUBLISHED"));
        }));
        ops.add(new Operation("delete draft", owners, Set.of(204), Map.of(), c -> {
            String product = unique("del");
            api.put(versionPath(own, product, "0.1.0"), ADMIN_KEY, DescriptorJson.titled("T"));
            return api.delete(versionPath(own, product, "0.1.0"), key(c));
        }));
        ops.add(new Operation("issue domain key", owners, Set.of(201), Map.of(),
                c -> api.post("/api/v1/api-keys", key(c), Map.of("name", "k", "role", "DOMAIN_MEMBER", "domain", own))));
        ops.add(new Operation("issue admin key", admin, Set.of(201), Map.of(),
                c -> api.post("/api/v1/api-keys", key(c), Map.of("name", "k", "role", "PLATFORM_ADMIN"))));
        ops.add(new Operation("list domain keys", owners, Set.of(200), Map.of(),
                c -> api.get("/api/v1/api-keys?domain=" + own, key(c))));
        ops.add(new Operation("list all keys", admin, Set.of(200), Map.of(),
                c -> api.get("/api/v1/api-keys", key(c))));
        ops.add(new Operation("read a domain key", owners, Set.of(200), Map.of(), c -> {
            String id = freshKeyId();
            return api.get("/api/v1/api-keys/" + id, key(c));
        }));
        ops.add(new Operation("revoke a domain key", owners, Set.of(200), Map.of(), c -> {
            String id = freshKeyId();
            return api.delete("/api/v1/api-keys/" + id, key(c));
        }));
        String product = "/api/v1/domains/" + own + "/products/published";
        ops.add(new Operation("post events", writers, Set.of(200), Map.of(),
                c -> api.post(product + "/events", key(c), "[]")));
        ops.add(new Operation("read landing status", writers, Set.of(200), Map.of(),
                c -> api.get(product + "/landing", key(c))));
        ops.add(new Operation("list dead letters", writers, Set.of(200), Map.of(),
                c -> api.get(product + "/landing/dead-letters", key(c))));
        // Replaying moves refused data into the product: a decision for its owners, like publishing.
        ops.add(new Operation("replay dead letters", owners, Set.of(200), Map.of(),
                c -> api.post(product + "/landing/dead-letters/replay", key(c), Map.of("major", 1, "all", true))));
        ops.add(new Operation("read the domain's connections", writers, Set.of(200), Map.of(),
                c -> api.get("/api/v1/domains/" + own + "/connections", key(c))));
        ops.add(new Operation("read where the warehouse is", admin, Set.of(200), Map.of(),
                c -> api.get("/api/v1/warehouse", key(c))));
        ops.add(new Operation("stop and start landing", writers, Set.of(200), Map.of(),
                c -> api.request("POST", product + "/landing/start").token(key(c)).send()));
        // The first allowed caller queues a run; the next find it in progress (one run at a time per product).
        ops.add(new Operation("trigger a run", writers, Set.of(202, 409), Map.of(),
                c -> api.post(product + "/runs", key(c), Map.of())));
        ops.add(new Operation("list runs", writers, Set.of(200), Map.of(),
                c -> api.get(product + "/runs", key(c))));
        // Webhooks: the domain's owners and admins manage them and read their delivery logs (the URLs may carry
        // tokens, the logs tell about the domain's changes); members do not.
        String webhooks = "/api/v1/domains/" + own + "/webhooks";
        ops.add(new Operation("subscribe a webhook", owners, Set.of(201), Map.of(),
                c -> api.post(webhooks, key(c), webhookSpec())));
        ops.add(new Operation("list webhooks", owners, Set.of(200), Map.of(), c -> api.get(webhooks, key(c))));
        ops.add(new Operation("read a webhook", owners, Set.of(200), Map.of(),
                c -> api.get(webhooks + "/" + freshWebhookId(), key(c))));
        ops.add(new Operation("read a webhook's deliveries", owners, Set.of(200), Map.of(),
                c -> api.get(webhooks + "/" + freshWebhookId() + "/deliveries", key(c))));
        ops.add(new Operation("delete a webhook", owners, Set.of(204), Map.of(),
                c -> api.delete(webhooks + "/" + freshWebhookId(), key(c))));
        ops.add(new Operation("who am I", EVERYONE, Set.of(200), Map.of(), c -> api.get("/api/v1/me", key(c))));
        ops.add(new Operation("prometheus metrics", EnumSet.of(Caller.ADMIN, Caller.METRICS_READER), Set.of(200),
                Map.of(), c -> api.get("/actuator/prometheus", key(c))));
        // The other actuator endpoints behind a key are the admins'; health and info are open to all (not here).
        ops.add(new Operation("actuator index", admin, Set.of(200), Map.of(), c -> api.get("/actuator", key(c))));
        ops.add(new Operation("issue a metrics reader key", admin, Set.of(201), Map.of(),
                c -> api.post("/api/v1/api-keys", key(c), Map.of("name", "prometheus", "role", "METRICS_READER"))));
        return ops;
    }

    private JsonNode publishedContract() {
        return api.request("GET", versionPath(own, "published", "1.0.0") + "/contract").token(ADMIN_KEY)
                .header("Accept", "application/json").send().json();
    }

    private JsonNode publishedBundle() {
        return api.request("GET", versionPath(own, "published", "1.0.0") + "/bundle").token(ADMIN_KEY)
                .header("Accept", "application/json").send().json();
    }

    /** A webhook nothing is sent to: it wants SLO changes only, which the matrix's products never have. */
    private static Map<String, Object> webhookSpec() {
        return Map.of("url", "http://127.0.0.1:9/matrix", "events", List.of("dev.meshplatform.slo.state-changed"));
    }

    private String freshWebhookId() {
        Api.Response created = api.post("/api/v1/domains/" + own + "/webhooks", ADMIN_KEY, webhookSpec());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private String freshKeyId() {
        Api.Response issued = api.post("/api/v1/api-keys", ADMIN_KEY,
                Map.of("name", "victim", "role", "CONSUMER", "domain", own));
        return issued.json().path("key").path("id").asString();
    }

    /**
     * Behind the filter chain too, a scraper's principal is nothing: no named rule passes it, the current principal
     * is absent, and governance's read decision refuses it (it has no domain, so no grant lookup may decide).
     */
    @Test
    void aMetricsReaderIsNoPrincipalBehindTheFilterChain() {
        MeshPrincipal scraper = new MeshPrincipal("scraper", Role.METRICS_READER, null);
        SecurityContextHolder.getContext().setAuthentication(new MeshAuthentication(scraper));
        try {
            assertThat(CurrentPrincipal.find()).isEmpty();
            assertThatThrownBy(CurrentPrincipal::get).isInstanceOf(AccessDeniedException.class);
            assertThat(authz.requestAccess(own)).isFalse();
            assertThat(authz.readAudit(null)).isFalse();
            assertThat(authz.listKeys(null)).isFalse();
            assertThat(authz.issueKey(null, Role.METRICS_READER)).isFalse();
            assertThat(authz.managePolicy("default-slo")).isFalse();
        } finally {
            SecurityContextHolder.clearContext();
        }
        var decision = access.decideRead(scraper, products.getVersion(own, "published", "1.0.0"), List.of(),
                List.of());
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("metrics only");
    }

    @TestFactory
    Stream<DynamicTest> everyCallerGetsTheStatusTheTableSays() {
        return operations().stream().flatMap(op -> Stream.of(Caller.values()).map(caller -> {
            String expectation = expected(op, caller);
            return DynamicTest.dynamicTest(op.name() + " as " + caller + " → " + expectation, () -> {
                Api.Response response = op.call().apply(caller);
                assertThat(String.valueOf(response.status()))
                        .as("%s as %s: %s", op.name(), caller, response.body())
                        .matches(expectation);
                if (response.status() == 401 || response.status() == 403) {
                    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
                    assertThat(response.code()).isIn("unauthenticated", "forbidden");
                }
            });
        }));
    }

    private static String expected(Operation op, Caller caller) {
        if (caller == Caller.ANONYMOUS) {
            return "401";
        }
        if (op.special().containsKey(caller)) {
            return String.valueOf(op.special().get(caller));
        }
        if (!op.allowed().contains(caller)) {
            return "403";
        }
        return String.join("|", op.allowedStatus().stream().map(String::valueOf).sorted().toList());
    }
}
