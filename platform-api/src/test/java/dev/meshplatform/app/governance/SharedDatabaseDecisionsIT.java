package dev.meshplatform.app.governance;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.app.testsupport.ProcessTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two platform instances on one database. A grantee reads through the second while the first changes what the
 * read's decision rests on: the product's classification, the policies, the grant. The second instance keeps the
 * decisions it made and the versions it read, yet each change governs its very next read.
 */
class SharedDatabaseDecisionsIT extends ProcessTestBase {

    @Test
    void aChangeOnOneInstanceGovernsTheNextReadOnTheOther() {
        Path data = parts.dir();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String sales = "sales-" + suffix;
        String marketing = "marketing-" + suffix;
        try (PlatformProcess first = new PlatformProcess("first", data.resolve("first"),
                arguments(data.resolve("first"))).launch();
             PlatformProcess second = new PlatformProcess("second", data.resolve("second"),
                     arguments(data.resolve("second"))).launch()) {
            first.awaitUp(PlatformProcess.BUSY_MACHINE_START);
            second.awaitUp(PlatformProcess.BUSY_MACHINE_START);
            Api changes = first.api();
            Api reads = second.api();
            for (String domain : List.of(sales, marketing)) {
                Api.Response created = changes.post("/api/v1/domains", ADMIN,
                        Map.of("name", domain, "title", domain, "ownerTeam", "t"));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
            }
            String owner = key(changes, "DOMAIN_OWNER", sales);
            String analyst = key(changes, "CONSUMER", marketing);
            ObjectNode customers = GovernedProducts.customers(100);
            GovernedProducts.publishAndRun(changes, ADMIN, sales, "customers", customers);
            String grant = grant(changes, sales, owner, analyst);
            String row42 = "/api/v1/domains/" + sales + "/products/customers/data?filter=id:eq:42";

            // Twice: the second read is decided by what the first left held.
            for (int read = 0; read < 2; read++) {
                JsonNode page = ok(reads.get(row42, analyst));
                assertThat(masked(page)).contains("name", "email", "balance").doesNotContain("phone", "note");
                assertThat(page.path("rows").get(0).path("phone").asString()).isEqualTo("+31600000042");
            }

            // 1.1.0 classifies phone as PII: published on the first instance, masked at the next read on the second.
            ((ObjectNode) customers.path("schema").get(6)).put("classification", "PII");
            String minor = "/api/v1/domains/" + sales + "/products/customers/versions/1.1.0";
            Api.Response applied = changes.put(minor, owner, customers);
            assertThat(applied.status()).as(applied.body()).isEqualTo(201);
            Api.Response published = changes.post(minor + "/transitions", owner, Map.of("to", "PUBLISHED"));
            assertThat(published.status()).as(published.body()).isEqualTo(200);
            JsonNode reclassified = ok(reads.get(row42, analyst));
            assertThat(masked(reclassified)).contains("phone");
            assertThat(reclassified.path("rows").get(0).path("phone").asString()).isNotEqualTo("+31600000042");

            // A mask policy saved on the first instance masks at the next read on the second.
            String policy = "/api/v1/policies/note-hidden-" + suffix;
            Api.Response saved = changes.put(policy, owner, Map.of("kind", "MASK", "domain", sales, "mask", "NULL",
                    "expression", "field.name == 'note' && !request.own_domain"));
            assertThat(saved.status()).as(saved.body()).isEqualTo(201);
            JsonNode noted = ok(reads.get(row42, analyst));
            assertThat(masked(noted)).contains("note");
            assertThat(noted.path("rows").get(0).path("note").isNull()).isTrue();

            // The grant revoked on the first instance: the second refuses the very next read.
            Api.Response revoked = changes.post("/api/v1/grants/" + grant + "/revoke", owner,
                    Map.of("reason", "the analysis is over"));
            assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
            Api.Response refused = reads.get(row42, analyst);
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.json().path("code").asString()).isEqualTo("access-denied");

            // Every read, held decision or not, is in the audit log: 4 allowed, 1 denied.
            JsonNode audit = changes.get("/api/v1/audit?action=READ_DATA&domain=" + sales + "&size=50", ADMIN)
                    .json().path("items");
            List<String> outcomes = new ArrayList<>();
            audit.forEach(entry -> outcomes.add(entry.path("outcome").asString()));
            assertThat(outcomes).containsExactlyInAnyOrder("ALLOWED", "ALLOWED", "ALLOWED", "ALLOWED", "DENIED");
        }
    }

    private static String key(Api api, String role, String domain) {
        Api.Response issued = api.post("/api/v1/api-keys", ADMIN, Map.of("name", role.toLowerCase() + "-" + domain,
                "role", role, "domain", domain));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json().path("secret").asString();
    }

    private static String grant(Api api, String domain, String owner, String analyst) {
        String requests = "/api/v1/domains/" + domain + "/products/customers/access-requests";
        Api.Response requested = api.post(requests, analyst, Map.of("purpose", "analytics", "duration", "P1D"));
        assertThat(requested.status()).as(requested.body()).isEqualTo(201);
        Api.Response approved = api.post(requests + "/" + requested.json().path("id").asString() + "/approve", owner,
                Map.of("reason", "ok"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        return approved.json().path("grantId").asString();
    }

    private static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<String> masked(JsonNode page) {
        List<String> columns = new ArrayList<>();
        page.path("masked").properties().forEach(e -> columns.add(e.getKey()));
        return columns;
    }
}
