package dev.meshplatform.app.governance;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.registry.api.ProductMajor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Access requests, grants and the governed read on real data: a product's output port written by a real run into
 * a real Iceberg table, read back through the access decision, the grant's row filters and the masks.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class GovernedDataIT extends PlatformIT {

    private static final int ROWS = 100;
    private static String sales;
    private static String marketing;
    private static String owner;
    private static String member;
    private static String analyst;
    private static String marketingOwner;
    /** Every read of sales' data these tests made, by outcome: the audit log must hold each. */
    private static final AtomicInteger allowedReads = new AtomicInteger();
    private static final AtomicInteger deniedReads = new AtomicInteger();

    @BeforeEach
    void products() {
        if (sales != null) {
            return;
        }
        sales = createDomain("sales");
        marketing = createDomain("marketing");
        owner = issueKey("DOMAIN_OWNER", sales);
        member = issueKey("DOMAIN_MEMBER", sales);
        analyst = issueKey("CONSUMER", marketing);
        marketingOwner = issueKey("DOMAIN_OWNER", marketing);
        GovernedProducts.publishAndRun(api, ADMIN_KEY, sales, "customers", GovernedProducts.customers(ROWS));
    }

    private String data(String query) {
        return "/api/v1/domains/" + sales + "/products/customers/data" + (query.isEmpty() ? "" : "?" + query);
    }

    private Api.Response read(String key, String query) {
        Api.Response response = api.get(data(query), key);
        count(response);
        return response;
    }

    private static void count(Api.Response response) {
        if (response.status() == 200) {
            allowedReads.incrementAndGet();
        } else if (response.status() == 403) {
            deniedReads.incrementAndGet();
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private String grant(String purpose, List<String> columns, String duration, List<String> rowFilters) {
        return grant("customers", purpose, columns, duration, rowFilters);
    }

    private String grant(String product, String purpose, List<String> columns, String duration,
                         List<String> rowFilters) {
        Api.Response requested = api.post("/api/v1/domains/" + sales + "/products/" + product + "/access-requests",
                analyst, Map.of("purpose", purpose, "columns", columns, "duration", duration));
        assertThat(requested.status()).as(requested.body()).isEqualTo(201);
        assertThat(requested.json().path("status").asString()).isEqualTo("PENDING");
        String id = requested.json().path("id").asString();
        Api.Response approved = api.post("/api/v1/domains/" + sales + "/products/" + product + "/access-requests/" + id
                + "/approve", owner, Map.of("rowFilters", rowFilters, "reason", "ok"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        return approved.json().path("grantId").asString();
    }

    @org.springframework.beans.factory.annotation.Autowired
    dev.meshplatform.governance.api.ServingKeys keys;

    /** A cursor payload signed with the platform's cursor key, as the API signs the cursors it gives out. */
    private String signedCursor(String payload) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(keys.cursorSigningKey(), "HmacSHA256"));
            java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
            return base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                    + base64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void revoke(String grantId) {
        assertThat(api.post("/api/v1/grants/" + grantId + "/revoke", owner, Map.of("reason", "test over")).status())
                .isEqualTo(200);
    }

    @Test
    void theOwningDomainReadsEverythingUnmaskedAndPagesThroughWithACursor() {
        Api.Response first = read(member, "limit=30");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode page = first.json();
        assertThat(page.path("masked").isEmpty()).isTrue();
        assertThat(page.path("rows")).hasSize(30);
        JsonNode row = page.path("rows").get(0);
        long id = row.path("id").asLong();
        assertThat(row.path("name").asString()).isEqualTo("person " + id);
        assertThat(row.path("email").asString()).isEqualTo("p" + id + "@example.com");
        assertThat(row.path("balance").decimalValue()).isEqualByComparingTo(java.math.BigDecimal.valueOf(id * 1.5));
        assertThat(row.path("joined_at").asString()).isEqualTo("2026-01-02T03:04:05Z");

        List<Long> ids = new ArrayList<>();
        page.path("rows").forEach(r -> ids.add(r.path("id").asLong()));
        String cursor = page.path("nextCursor").asString();
        int pages = 1;
        while (cursor != null && !cursor.isEmpty()) {
            JsonNode next = read(member, "limit=30&cursor=" + cursor).json();
            next.path("rows").forEach(r -> ids.add(r.path("id").asLong()));
            cursor = next.path("nextCursor").isNull() ? null : next.path("nextCursor").asString();
            pages++;
        }
        assertThat(pages).isEqualTo(4);
        // Every row once, in the order of one page of them all.
        List<Long> all = new ArrayList<>();
        read(member, "limit=1000").json().path("rows").forEach(r -> all.add(r.path("id").asLong()));
        assertThat(all).hasSize(ROWS).doesNotHaveDuplicates();
        assertThat(ids).isEqualTo(all);

        // A cursor of the earlier format (rows served so far, not a position) still reads on from there.
        String[] signed = page.path("nextCursor").asString().split("\\.");
        String[] fields = new String(java.util.Base64.getUrlDecoder().decode(signed[0]), StandardCharsets.UTF_8)
                .split("\n", -1);
        String earlier = String.join("\n", "c1", fields[1], fields[2], fields[3], fields[4], "30", fields[8]);
        JsonNode fromEarlier = read(member, "limit=30&cursor=" + signedCursor(earlier)).json();
        List<Long> earlierIds = new ArrayList<>();
        fromEarlier.path("rows").forEach(r -> earlierIds.add(r.path("id").asLong()));
        assertThat(earlierIds).isEqualTo(all.subList(30, 60));
        assertThat(fromEarlier.path("nextCursor").asString()).as("the next cursor is of the new format")
                .isNotBlank();

        // A version reads the snapshot it published (tag v1.0.0); a snapshot id reads that snapshot.
        assertThat(read(member, "version=1.0.0&limit=1000").json().path("rows")).hasSize(ROWS);
        String snapshotId = first.header("Mesh-Snapshot-Id");
        assertThat(read(member, "snapshot=" + snapshotId + "&limit=1000").json().path("rows")).hasSize(ROWS);
        assertThat(read(member, "snapshot=42").code()).isEqualTo("snapshot-not-found");
        allowedReads.incrementAndGet(); // access was allowed (and audited); the snapshot then was not there
        assertThat(read(member, "version=9.9.9").status()).isEqualTo(404);

        // The cursor belongs to its query.
        Api.Response mismatched = read(member, "limit=30&columns=id&cursor=" + page.path("nextCursor").asString());
        assertThat(mismatched.status()).isEqualTo(400);
        assertThat(mismatched.code()).isEqualTo("invalid-cursor");
        assertThat(read(member, "cursor=garbage").code()).isEqualTo("invalid-cursor");
    }

    @Test
    void csvIsStreamedWithItsHeaderFiltersAndProjection() {
        Api.Response csv = api.request("GET", data("columns=id,country,note&filter=" + encode("country:eq:NL")
                + "&filter=" + encode("id:le:30") + "&limit=1000")).token(owner).header("Accept", "text/csv").send();
        count(csv);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("id,country,note");
        assertThat(lines).hasSize(1 + 10);
        assertThat(csv.header("Mesh-Next-Cursor")).as("the last page has no next page").isNull();
        assertThat(csv.header("Mesh-Snapshot-Id")).isNotBlank();

        // A page with more behind it names where the next one starts, and that page is the rest.
        Api.Response first = api.request("GET", data("columns=id&filter=" + encode("country:eq:NL")
                + "&filter=" + encode("id:le:30") + "&limit=6")).token(owner).header("Accept", "text/csv").send();
        count(first);
        assertThat(first.body().split("\r\n")).hasSize(1 + 6);
        String next = first.header("Mesh-Next-Cursor");
        assertThat(next).isNotBlank();
        Api.Response rest = api.request("GET", data("columns=id&filter=" + encode("country:eq:NL")
                + "&filter=" + encode("id:le:30") + "&limit=6&cursor=" + next)).token(owner)
                .header("Accept", "text/csv").send();
        count(rest);
        assertThat(rest.body().split("\r\n")).as(rest.body()).hasSize(1 + 4);
        assertThat(rest.header("Mesh-Next-Cursor")).isNull();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            assertThat(Long.parseLong(cells[0]) % 3).isZero();
            assertThat(cells[1]).isEqualTo("NL");
            assertThat(cells[2]).isEqualTo("note " + cells[0]);
        }
        assertThat(read(owner, "filter=" + encode("id:between:3")).code()).isEqualTo("invalid-filter");
        assertThat(read(owner, "filter=" + encode("id:eq:three")).code()).isEqualTo("invalid-filter");
        assertThat(read(owner, "filter=" + encode("joined_at:ge:yesterday")).code()).isEqualTo("invalid-filter");
        assertThat(read(owner, "filter=" + encode("joined_at:lt:2026-01-02T03:04:05Z")).json().path("rows")).isEmpty();
        assertThat(read(owner, "filter=" + encode("birthday:lt:1980-01-05") + "&limit=1000").json().path("rows"))
                .hasSize(3);
        assertThat(read(owner, "columns=shoe_size").code()).isEqualTo("column-not-found");
        assertThat(read(owner, "limit=0").status()).isEqualTo(400);
    }

    @Test
    void withoutAGrantOutsidersAreRefusedAndAGrantServesItsRowsMasked() {
        Api.Response refused = read(analyst, "");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("access-denied");
        assertThat(refused.json().path("detail").asString()).contains("no active grant");
        // The owning domain's consumers read by grant too (DESIGN.md's table).
        assertThat(read(issueKey("CONSUMER", sales), "").status()).isEqualTo(403);

        String grant = grant("analytics", List.of("id", "name", "email", "country", "balance"), "P30D",
                List.of("country:in:NL|DE"));
        try {
            Api.Response served = read(analyst, "limit=1000");
            assertThat(served.status()).as(served.body()).isEqualTo(200);
            JsonNode body = served.json();
            assertThat(body.path("columns")).hasSize(5);
            assertThat(body.path("masked").path("name").asString()).isEqualTo("HASH");
            assertThat(body.path("masked").path("email").asString()).isEqualTo("HASH");
            assertThat(body.path("masked").path("balance").asString()).isEqualTo("REDACT");
            assertThat(body.path("masked").has("country")).isFalse();
            assertThat(served.header("Mesh-Masked-Columns")).contains("email");
            int expected = (int) java.util.stream.LongStream.rangeClosed(1, ROWS).filter(i -> i % 3 != 2).count();
            assertThat(body.path("rows")).hasSize(expected);
            Map<String, String> hashes = new java.util.HashMap<>();
            for (JsonNode row : body.path("rows")) {
                assertThat(row.path("country").asString()).isIn("NL", "DE");
                assertThat(row.path("email").asString()).matches("[0-9a-f]{64}")
                        .isNotEqualTo("p" + row.path("id").asLong() + "@example.com");
                assertThat(row.path("balance").asString()).isEqualTo("****");
                hashes.put(row.path("email").asString(), row.path("id").asString());
            }
            assertThat(hashes).hasSize(expected);
            // Columns outside the grant, and filters on masked columns, are refused.
            assertThat(read(analyst, "columns=id,phone").code()).isEqualTo("access-denied");
            assertThat(read(analyst, "filter=" + encode("email:eq:p3@example.com")).status()).isEqualTo(403);
            // A reader's own filter narrows within the grant's rows, never beyond them.
            JsonNode fr = read(analyst, "filter=" + encode("country:eq:FR")).json();
            assertThat(fr.path("rows")).isEmpty();
        } finally {
            revoke(grant);
        }
        assertThat(read(analyst, "").status()).isEqualTo(403);
    }

    @Test
    void aGrantWhosePurposeTheFieldAllowsSeesItUnmasked() {
        String grant = grant("support", List.of("id", "name", "email"), "P7D", List.of());
        try {
            JsonNode body = read(analyst, "filter=" + encode("id:eq:7")).json();
            assertThat(body.path("masked").has("name")).isFalse();
            assertThat(body.path("masked").path("email").asString()).isEqualTo("HASH");
            assertThat(body.path("rows").get(0).path("name").asString()).isEqualTo("person 7");
        } finally {
            revoke(grant);
        }
    }

    @Test
    void domainMaskPoliciesApplyEveryKindOfMask() {
        List<String> ids = new ArrayList<>();
        Map<String, String> masks = Map.of("phone", "LAST4", "birthday", "YEAR", "note", "NULL",
                "joined_at", "YEAR");
        masks.forEach((column, mask) -> {
            String id = unique("mask-" + column.replace('_', '-'));
            Api.Response saved = api.put("/api/v1/policies/" + id, owner, Map.of("kind", "MASK", "domain", sales,
                    "mask", mask, "expression", "field.name == '" + column + "' && !request.own_domain"));
            assertThat(saved.status()).as(saved.body()).isEqualTo(201);
            ids.add(id);
        });
        String grant = grant("analytics", List.of(), "P1D", List.of());
        try {
            JsonNode body = read(analyst, "filter=" + encode("id:eq:42")).json();
            JsonNode row = body.path("rows").get(0);
            assertThat(row.path("phone").asString()).isEqualTo("********0042");
            assertThat(row.path("birthday").asInt()).isEqualTo(1980);
            assertThat(row.path("joined_at").asInt()).isEqualTo(2026);
            assertThat(row.path("note").isNull()).isTrue();
            assertThat(row.path("country").asString()).isEqualTo("NL");
            // The owning domain is never masked.
            JsonNode own = read(owner, "filter=" + encode("id:eq:42")).json().path("rows").get(0);
            assertThat(own.path("phone").asString()).isEqualTo("+31600000042");
            assertThat(own.path("note").asString()).isEqualTo("note 42");
        } finally {
            revoke(grant);
            ids.forEach(id -> assertThat(api.delete("/api/v1/policies/" + id, owner).status()).isEqualTo(204));
        }
    }

    @Test
    void grantsExpireAndRevokedOnesStayRevoked() {
        String grant = grant("short-look", List.of("id", "country"), "PT2S", List.of());
        assertThat(read(analyst, "columns=id,country").status()).isIn(200, 403);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/api/v1/grants/" + grant, analyst).json().path("status").asString()
                        .equals("EXPIRED"));
        Api.Response expired = read(analyst, "columns=id,country");
        assertThat(expired.status()).isEqualTo(403);

        String second = grant("long-look", List.of("id"), "P1D", List.of());
        assertThat(read(analyst, "columns=id").status()).isEqualTo(200);
        revoke(second);
        assertThat(api.post("/api/v1/grants/" + second + "/revoke", owner, Map.of()).status()).isEqualTo(409);
        assertThat(api.get("/api/v1/grants/" + second, marketingOwner).json().path("status").asString())
                .isEqualTo("REVOKED");
        assertThat(read(analyst, "columns=id").status()).isEqualTo(403);
        // Members may not decide on access; owners of the grantee domain may not revoke it.
        assertThat(api.post("/api/v1/grants/" + second + "/revoke", member, Map.of()).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/grants/" + second + "/revoke", marketingOwner, Map.of()).status())
                .isEqualTo(403);
    }

    @Test
    void requestsAreValidatedAndDecidedOnce() {
        String path = "/api/v1/domains/" + sales + "/products/customers/access-requests";
        assertThat(api.post(path, analyst, Map.of("purpose", "x", "duration", "forever")).code())
                .isEqualTo("invalid-duration");
        assertThat(api.post(path, analyst, Map.of("purpose", "x", "duration", "P9999D")).code())
                .isEqualTo("invalid-duration");
        assertThat(api.post(path, analyst, Map.of("purpose", "x", "duration", "P1D", "columns", List.of("shoe")))
                .code()).isEqualTo("column-not-found");
        assertThat(api.post(path, analyst, Map.of("purpose", "Not Kebab", "duration", "P1D")).status())
                .isEqualTo(400);
        assertThat(api.post(path, owner, Map.of("purpose", "x", "duration", "P1D")).status()).isEqualTo(403);

        String id = api.post(path, analyst, Map.of("purpose", "x", "duration", "P1D")).json().path("id").asString();
        assertThat(api.post(path + "/" + id + "/approve", owner, Map.of("rowFilters", List.of("nope:eq:1")))
                .code()).isEqualTo("column-not-found");
        assertThat(api.post(path + "/" + id + "/reject", owner, Map.of("reason", "no")).json().path("status")
                .asString()).isEqualTo("REJECTED");
        assertThat(api.post(path + "/" + id + "/approve", owner, Map.of()).code()).isEqualTo("access-request-decided");
        // The asking domain sees its own requests; the owning domain sees all.
        assertThat(api.get(path + "/" + id, analyst).json().path("decisionReason").asString()).isEqualTo("no");
        assertThat(api.get(path, owner).json().path("items")).anyMatch(r -> r.path("id").asString().equals(id));
        String thirdDomain = createDomain("third");
        assertThat(api.get(path, issueKey("CONSUMER", thirdDomain)).json().path("items")).isEmpty();
    }

    @Test
    void piiNestedInStructsAndListsIsMaskedWhereItIs() {
        ObjectNode d = Api.JSON.createObjectNode().put("title", "Contacts");
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "id").put("type", "long").put("description", "id")
                .put("classification", "INTERNAL");
        ObjectNode contact = schema.addObject().put("name", "contact").put("type", "struct")
                .put("description", "how to reach them").put("classification", "INTERNAL");
        contact.putArray("fields").add(leaf("email", "string", "PII")).add(leaf("city", "string", "PUBLIC"));
        ObjectNode payments = schema.addObject().put("name", "payments").put("type", "list")
                .put("description", "payments made").put("classification", "INTERNAL");
        payments.putObject("items").put("type", "struct").putArray("fields")
                .add(leaf("card", "string", "CONFIDENTIAL")).add(leaf("amount", "long", "PUBLIC"));
        ObjectNode phones = schema.addObject().put("name", "phones").put("type", "list")
                .put("description", "phone numbers").put("classification", "INTERNAL");
        phones.putObject("items").put("type", "string").put("classification", "PII");
        ObjectNode home = schema.addObject().put("name", "home").put("type", "struct")
                .put("description", "home address").put("classification", "PII");
        home.putArray("fields").add(leaf("street", "string", "PII"));
        d.putObject("retention").put("period", "P365D");
        d.putObject("transformation").put("sql", "SELECT id, "
                + "named_struct('email', concat('p', id, '@example.com'), 'city', 'Utrecht') AS contact, "
                + "array(named_struct('card', concat('41111111', lpad(CAST(id AS STRING), 8, '0')), 'amount', id)) "
                + "AS payments, array(concat('+316', lpad(CAST(id AS STRING), 8, '0'))) AS phones, "
                + "named_struct('street', concat('Main Street ', id)) AS home FROM range(1, 4)");
        DescriptorJson.governed(d);
        GovernedProducts.publishAndRun(api, ADMIN_KEY, sales, "contacts", d);
        String path = "/api/v1/domains/" + sales + "/products/contacts/data?limit=10";

        JsonNode own = api.get(path, member).json().path("rows").get(0);
        long id = own.path("id").asLong();
        assertThat(own.path("contact").path("email").asString()).isEqualTo("p" + id + "@example.com");
        assertThat(own.path("payments").get(0).path("card").asString()).endsWith(String.valueOf(id));
        assertThat(own.path("home").path("street").asString()).isEqualTo("Main Street " + id);

        String grant = grant("contacts", "reach-reporting", List.of(), "P1D", List.of());
        try {
            JsonNode page = api.get(path, analyst).json();
            assertThat(page.path("masked").propertyNames()).containsExactlyInAnyOrder("contact.email",
                    "payments[].card", "phones[]", "home");
            JsonNode row = page.path("rows").get(0);
            assertThat(row.path("contact").path("email").asString()).matches("[0-9a-f]{64}");
            assertThat(row.path("contact").path("city").asString()).isEqualTo("Utrecht");
            assertThat(row.path("payments").get(0).path("card").asString()).isEqualTo("****");
            assertThat(row.path("payments").get(0).path("amount").asLong()).isEqualTo(row.path("id").asLong());
            assertThat(row.path("phones").get(0).asString()).matches("[0-9a-f]{64}");
            // The PII struct is masked whole (a hash of a composite value is redacted: it would change with the
            // struct's schema); its PII field inside is not masked a second time.
            assertThat(row.path("home").asString()).isEqualTo("****");
            // Filtering on a column with a masked field inside would reveal that field.
            Api.Response filtered = api.get(path + "&filter=" + encode("contact:not_null"), analyst);
            assertThat(filtered.status()).isEqualTo(403);
        } finally {
            revoke(grant);
        }
        // Each of the three reads is a decision in the audit log, the masks named by path.
        JsonNode decisions = api.get("/api/v1/audit?domain=" + sales + "&product=contacts&action=READ_DATA", owner)
                .json().path("items");
        assertThat(decisions).extracting(e -> e.path("outcome").asString())
                .containsExactly("DENIED", "ALLOWED", "ALLOWED");
        assertThat(decisions.get(1).path("masks").path("payments[].card").asString()).isEqualTo("REDACT");
        assertThat(decisions.get(1).path("masks").path("contact.email").asString()).isEqualTo("HASH");
        assertThat(decisions.get(2).path("masks").isEmpty()).isTrue();
    }

    private static ObjectNode leaf(String name, String type, String classification) {
        return Api.JSON.createObjectNode().put("name", name).put("type", type).put("description", "the " + name)
                .put("classification", classification);
    }

    @Test
    void aProductReadsAnotherDomainsProductOnlyWhileItHoldsAGrant() {
        ObjectNode derived = Api.JSON.createObjectNode().put("title", "Reach by country");
        derived.putArray("inputPorts").addObject().put("name", "customers").put("type", "product")
                .put("domain", sales).put("product", "customers").put("majorVersion", 1)
                .put("purpose", "reach-reporting");
        ArrayNode schema = derived.putArray("schema");
        schema.addObject().put("name", "country").put("type", "string").put("description", "country")
                .put("classification", "PUBLIC");
        schema.addObject().put("name", "customers").put("type", "long").put("description", "how many")
                .put("classification", "PUBLIC");
        derived.putObject("transformation").put("sql", "SELECT country, count(*) AS customers FROM "
                + new ProductMajor(sales, "customers", 1).inputView() + " GROUP BY country");
        DescriptorJson.governed(derived);
        String version = versionPath(marketing, "reach", "1.0.0");
        assertThat(api.put(version, marketingOwner, derived).status()).isEqualTo(201);
        Api.Response refused = api.post(version + "/transitions", marketingOwner, Map.of("to", "PUBLISHED"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("detail").asString()).contains("no active grant on input product(s) ["
                + sales + "/customers]");
        String grant = grant("reach-reporting", List.of("id", "country"), "P30D", List.of());
        try {
            assertThat(api.post(version + "/transitions", marketingOwner, Map.of("to", "PUBLISHED")).status())
                    .isEqualTo(200);
            JsonNode granted = GovernedProducts.runToEnd(api, marketingOwner, marketing, "reach");
            assertThat(granted.path("state").asString()).as(granted.toString()).isEqualTo("SUCCEEDED");
            assertThat(granted.path("rowsWritten").asLong()).isEqualTo(3);
        } finally {
            revoke(grant);
        }
        // Consent is checked at every run, not only at publication: after the revocation the run reads nothing.
        JsonNode revoked = GovernedProducts.runToEnd(api, marketingOwner, marketing, "reach");
        assertThat(revoked.path("state").asString()).isEqualTo("FAILED");
        assertThat(revoked.path("error").asString()).startsWith("input access refused: ")
                .contains("no active grant on " + sales + "/customers for the purpose reach-reporting");
        assertThat(revoked.path("rowsRead").isNumber()).as("nothing read").isFalse();
        // The owning domain sees in its audit log which runs read its product, and which were refused.
        List<JsonNode> reads = api.get("/api/v1/audit?domain=" + sales + "&product=customers&action=READ_INPUT",
                owner).json().path("items").valueStream()
                .filter(e -> e.path("subject").asString().equals(marketing + "/reach 1.0.0")).toList();
        assertThat(reads).extracting(e -> e.path("outcome").asString()).containsExactly("DENIED", "ALLOWED");
        assertThat(reads).allSatisfy(e -> {
            assertThat(e.path("actor").asString()).startsWith("run ");
            assertThat(e.path("actorDomain").asString()).isEqualTo(marketing);
            assertThat(e.path("subject").asString()).isEqualTo(marketing + "/reach 1.0.0");
        });
        assertThat(reads.get(1).path("reason").asString()).contains("grant " + grant);
    }

    @Test
    void aDerivedProductSeesExactlyTheGrantedColumnsAndRowsMaskedAsServingMasksThem() {
        List<String> columns = List.of("id", "name", "email", "balance", "birthday", "joined_at", "country");
        String grant = grant("mirror-check", columns, "P30D", List.of("country:eq:NL"));
        try {
            ObjectNode mirror = Api.JSON.createObjectNode().put("title", "Customers as marketing may see them");
            mirror.putArray("inputPorts").addObject().put("name", "customers").put("type", "product")
                    .put("domain", sales).put("product", "customers").put("majorVersion", 1)
                    .put("purpose", "mirror-check");
            ArrayNode schema = mirror.putArray("schema");
            schema.add(leaf("id", "long", "INTERNAL"));
            schema.add(leaf("name", "string", "PII"));
            schema.add(leaf("email", "string", "PII"));
            schema.add(leaf("balance", "string", "CONFIDENTIAL"));
            schema.add(leaf("birthday", "date", "INTERNAL"));
            schema.add(leaf("joined_at", "timestamp", "INTERNAL"));
            schema.add(leaf("country", "string", "PUBLIC"));
            mirror.putObject("transformation").put("sql", "SELECT * FROM " + new ProductMajor(sales, "customers", 1).inputView());
            mirror.putObject("retention").put("period", "P30D");
            GovernedProducts.publishAndRun(api, marketingOwner, marketing, "mirror", DescriptorJson.governed(mirror));

            // What the run read, as its own domain reads its output unmasked ...
            JsonNode derived = api.get("/api/v1/domains/" + marketing + "/products/mirror/data?limit=1000",
                    marketingOwner).json();
            assertThat(derived.path("columns")).extracting(JsonNode::asString).containsExactlyElementsOf(columns);
            // ... is what serving hands marketing under the same grant: the granted rows, masked the same way.
            Api.Response served = read(analyst, "limit=1000&columns=" + String.join(",", columns));
            assertThat(served.status()).as(served.body()).isEqualTo(200);
            assertThat(served.json().path("masked").propertyNames()).containsExactlyInAnyOrder("name", "email",
                    "balance");
            assertThat(rowsById(derived.path("rows"))).isEqualTo(rowsById(served.json().path("rows")));
            assertThat(derived.path("rows")).hasSize(ROWS / 3).allSatisfy(row -> {
                assertThat(row.path("country").asString()).isEqualTo("NL");
                assertThat(row.path("email").asString()).matches("[0-9a-f]{64}");
                assertThat(row.path("balance").asString()).isEqualTo("****");
            });
            JsonNode audited = api.get("/api/v1/audit?domain=" + sales + "&product=customers&action=READ_INPUT",
                    owner).json().path("items").get(0);
            assertThat(audited.path("outcome").asString()).isEqualTo("ALLOWED");
            assertThat(audited.path("subject").asString()).isEqualTo(marketing + "/mirror 1.0.0");
            assertThat(audited.path("reason").asString()).contains("grant " + grant, "columns " + columns,
                    "rows where [country:eq:NL]");
            assertThat(audited.path("masks").path("email").asString()).isEqualTo("HASH");
            assertThat(audited.path("masks").path("balance").asString()).isEqualTo("REDACT");
        } finally {
            revoke(grant);
        }
        JsonNode refused = GovernedProducts.runToEnd(api, marketingOwner, marketing, "mirror");
        assertThat(refused.path("state").asString()).isEqualTo("FAILED");
        assertThat(refused.path("error").asString()).startsWith("input access refused: ");
        assertThat(refused.path("rowsRead").isNumber()).as("nothing read").isFalse();
    }

    private static Map<Long, JsonNode> rowsById(JsonNode rows) {
        Map<Long, JsonNode> byId = new java.util.TreeMap<>();
        rows.forEach(row -> byId.put(row.path("id").asLong(), row));
        return byId;
    }

    @Test
    void zzTheAuditLogHoldsEveryDecisionAndCannotBeChanged() {
        int allowed = total("READ_DATA", "ALLOWED");
        int denied = total("READ_DATA", "DENIED");
        assertThat(allowed).isEqualTo(allowedReads.get());
        assertThat(denied).isEqualTo(deniedReads.get());
        JsonNode entries = api.get("/api/v1/audit?domain=" + sales + "&action=READ_DATA&outcome=DENIED&size=500",
                owner).json().path("items");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.path("actor").asString()).isNotBlank();
            assertThat(e.path("reason").asString()).isNotBlank();
            assertThat(e.path("at").asString()).isNotBlank();
        });
        JsonNode masked = api.get("/api/v1/audit?domain=" + sales + "&action=READ_DATA&outcome=ALLOWED&size=500",
                ADMIN_KEY).json().path("items");
        assertThat(masked).anyMatch(e -> e.path("masks").path("email").asString().equals("HASH")
                && e.path("policies").toString().contains("default-mask-pii"));
        for (String action : List.of("REQUEST_ACCESS", "APPROVE_REQUEST", "REJECT_REQUEST", "REVOKE_GRANT")) {
            assertThat(total(action, null)).as(action).isPositive();
        }
        // Read only: no method changes it; members and other domains' owners do not read it.
        assertThat(api.delete("/api/v1/audit", ADMIN_KEY).status()).isEqualTo(405);
        assertThat(api.put("/api/v1/audit", ADMIN_KEY, Map.of()).status()).isEqualTo(405);
        assertThat(api.get("/api/v1/audit?domain=" + sales, member).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/audit?domain=" + sales, marketingOwner).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/audit", owner).status()).isEqualTo(403);
        // Operators see the decisions and the rows served in the metrics.
        String metrics = api.get("/actuator/prometheus", ADMIN_KEY).body();
        assertThat(metrics).contains("mesh_governance_read_decisions_total{domain=\"" + sales
                + "\",outcome=\"DENIED\",product=\"customers\"}");
        assertThat(metrics).contains("mesh_governance_rows_served_total{domain=\"" + sales
                + "\",masked=\"true\",product=\"customers\"}");
        assertThat(metrics).contains("# HELP mesh_governance_read_decisions_total data reads decided",
                "# HELP mesh_governance_rows_served_total rows served");
    }

    private int total(String action, String outcome) {
        return api.get("/api/v1/audit?domain=" + sales + "&product=customers&action=" + action
                + (outcome == null ? "" : "&outcome=" + outcome) + "&size=1", ADMIN_KEY).json().path("total").asInt();
    }
}
