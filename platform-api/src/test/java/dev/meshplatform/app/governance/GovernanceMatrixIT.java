package dev.meshplatform.app.governance;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md's security table for governance, as a matrix of principals × products × operations: each operation
 * names the callers that suffice and the status they get; every other caller is a generated negative case (401
 * without a key, 403 with one). Two products of the owning domain, both with data: one granted to the partner
 * domain, one granted to nobody.
 */
class GovernanceMatrixIT extends PlatformIT {

    enum Caller {
        ANONYMOUS, ADMIN, OWNER, MEMBER, CONSUMER, PARTNER_OWNER, PARTNER_MEMBER, PARTNER_CONSUMER,
        OTHER_OWNER, OTHER_MEMBER, OTHER_CONSUMER, METRICS_READER
    }

    enum Product {
        SHARED, CLOSED
    }

    /** Everyone with a key but a Prometheus scraper's, which reads the metrics and is refused here throughout. */
    static final Set<Caller> EVERYONE = EnumSet.complementOf(EnumSet.of(Caller.ANONYMOUS, Caller.METRICS_READER));
    static final Set<Caller> OWNERS = EnumSet.of(Caller.ADMIN, Caller.OWNER);
    static final Set<Caller> OWN_DOMAIN = EnumSet.of(Caller.ADMIN, Caller.OWNER, Caller.MEMBER);
    static final Set<Caller> PARTNER = EnumSet.of(Caller.PARTNER_OWNER, Caller.PARTNER_MEMBER, Caller.PARTNER_CONSUMER);
    static final Set<Caller> OUTSIDERS = EnumSet.of(Caller.PARTNER_OWNER, Caller.PARTNER_MEMBER,
            Caller.PARTNER_CONSUMER, Caller.OTHER_OWNER, Caller.OTHER_MEMBER, Caller.OTHER_CONSUMER);

    record Operation(String name, Set<Caller> allowed, int status, Function<Caller, Api.Response> call) {
    }

    private static String own;
    private static String partner;
    private static String other;
    private static final Map<Caller, String> keys = new EnumMap<>(Caller.class);

    @BeforeEach
    void fixture() {
        if (own != null) {
            return;
        }
        own = createDomain("owning");
        partner = createDomain("partner");
        other = createDomain("stranger");
        keys.put(Caller.ADMIN, ADMIN_KEY);
        keys.put(Caller.OWNER, issueKey("DOMAIN_OWNER", own));
        keys.put(Caller.MEMBER, issueKey("DOMAIN_MEMBER", own));
        keys.put(Caller.CONSUMER, issueKey("CONSUMER", own));
        keys.put(Caller.PARTNER_OWNER, issueKey("DOMAIN_OWNER", partner));
        keys.put(Caller.PARTNER_MEMBER, issueKey("DOMAIN_MEMBER", partner));
        keys.put(Caller.PARTNER_CONSUMER, issueKey("CONSUMER", partner));
        keys.put(Caller.OTHER_OWNER, issueKey("DOMAIN_OWNER", other));
        keys.put(Caller.OTHER_MEMBER, issueKey("DOMAIN_MEMBER", other));
        keys.put(Caller.OTHER_CONSUMER, issueKey("CONSUMER", other));
        keys.put(Caller.METRICS_READER, issueKey("METRICS_READER", null));
        for (Product product : Product.values()) {
            GovernedProducts.publishAndRun(api, ADMIN_KEY, own, name(product), GovernedProducts.customers(20));
        }
        String request = requestAccess(Product.SHARED, Caller.PARTNER_CONSUMER);
        assertThat(api.post(requests(Product.SHARED) + "/" + request + "/approve", ADMIN_KEY, Map.of()).status())
                .isEqualTo(200);
    }

    private static String name(Product product) {
        return product.name().toLowerCase();
    }

    private static String products(Product product) {
        return "/api/v1/domains/" + own + "/products/" + name(product);
    }

    private static String requests(Product product) {
        return products(product) + "/access-requests";
    }

    private String requestAccess(Product product, Caller caller) {
        Api.Response created = api.post(requests(product), keys.get(caller),
                Map.of("purpose", "matrix", "duration", "P1D"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private String freshGrant(Product product) {
        String request = requestAccess(product, Caller.OTHER_CONSUMER);
        return api.post(requests(product) + "/" + request + "/approve", ADMIN_KEY, Map.of()).json().path("grantId")
                .asString();
    }

    private String freshPolicy() {
        String id = unique("matrix");
        assertThat(api.put("/api/v1/policies/" + id, ADMIN_KEY, Map.of("kind", "ACCESS", "domain", own,
                "expression", "true")).status()).isEqualTo(201);
        return id;
    }

    private List<Operation> operations(Product product) {
        List<Operation> ops = new ArrayList<>();
        Set<Caller> readers = EnumSet.copyOf(OWN_DOMAIN);
        if (product == Product.SHARED) {
            readers.addAll(PARTNER);
        }
        ops.add(new Operation("read data", readers, 200, c -> api.get(products(product) + "/data?limit=5", key(c))));
        ops.add(new Operation("read data as CSV", readers, 200, c -> api.request("GET", products(product)
                + "/data?limit=5").token(key(c)).header("Accept", "text/csv").send()));
        ops.add(new Operation("request access", OUTSIDERS, 201, c -> api.post(requests(product), key(c),
                Map.of("purpose", "matrix", "duration", "P1D"))));
        ops.add(new Operation("list access requests", EVERYONE, 200, c -> api.get(requests(product), key(c))));
        ops.add(new Operation("approve access", OWNERS, 200, c -> api.post(requests(product) + "/"
                + requestAccess(product, Caller.OTHER_MEMBER) + "/approve", key(c), Map.of())));
        ops.add(new Operation("reject access", OWNERS, 200, c -> api.post(requests(product) + "/"
                + requestAccess(product, Caller.OTHER_MEMBER) + "/reject", key(c), Map.of("reason", "no"))));
        ops.add(new Operation("revoke a grant", OWNERS, 200, c -> api.post("/api/v1/grants/" + freshGrant(product)
                + "/revoke", key(c), Map.of())));
        ops.add(new Operation("evaluate the publish gate", OWN_DOMAIN, 200, c -> api.post("/api/v1/policies/evaluate",
                key(c), Map.of("domain", own, "product", name(product), "version", "1.0.0"))));
        return ops;
    }

    private List<Operation> globalOperations() {
        List<Operation> ops = new ArrayList<>();
        ops.add(new Operation("list policies", EVERYONE, 200, c -> api.get("/api/v1/policies", key(c))));
        ops.add(new Operation("read a policy", EVERYONE, 200, c -> api.get("/api/v1/policies/default-slo", key(c))));
        ops.add(new Operation("save a global policy", EnumSet.of(Caller.ADMIN), 201, c -> api.put("/api/v1/policies/"
                + unique("global"), key(c), Map.of("kind", "ACCESS", "expression", "true"))));
        ops.add(new Operation("save a domain policy", OWNERS, 201, c -> api.put("/api/v1/policies/"
                + unique("domain"), key(c), Map.of("kind", "ACCESS", "domain", own, "expression", "true"))));
        ops.add(new Operation("delete a domain policy", OWNERS, 204, c -> api.delete("/api/v1/policies/"
                + freshPolicy(), key(c))));
        ops.add(new Operation("list grants", EVERYONE, 200, c -> api.get("/api/v1/grants", key(c))));
        ops.add(new Operation("read the domain's audit", OWNERS, 200, c -> api.get("/api/v1/audit?domain=" + own,
                key(c))));
        ops.add(new Operation("read the whole audit", EnumSet.of(Caller.ADMIN), 200, c -> api.get("/api/v1/audit",
                key(c))));
        return ops;
    }

    private static String key(Caller caller) {
        return keys.get(caller);
    }

    @TestFactory
    Stream<DynamicTest> everyCallerGetsTheStatusTheTableSays() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Product product : Product.values()) {
            for (Operation op : operations(product)) {
                for (Caller caller : Caller.values()) {
                    tests.add(cell(op.name() + " of " + name(product), op, caller));
                }
            }
        }
        for (Operation op : globalOperations()) {
            for (Caller caller : Caller.values()) {
                tests.add(cell(op.name(), op, caller));
            }
        }
        return tests.stream();
    }

    private static DynamicTest cell(String name, Operation op, Caller caller) {
        int expected = caller == Caller.ANONYMOUS ? 401 : op.allowed().contains(caller) ? op.status() : 403;
        return DynamicTest.dynamicTest(name + " as " + caller + " → " + expected, () -> {
            Api.Response response = op.call().apply(caller);
            assertThat(response.status()).as("%s as %s: %s", name, caller, response.body()).isEqualTo(expected);
            if (expected == 403 || expected == 401) {
                assertThat(response.header("Content-Type")).startsWith("application/problem+json");
                assertThat(response.code()).isIn("unauthenticated", "forbidden", "access-denied");
            }
        });
    }
}
