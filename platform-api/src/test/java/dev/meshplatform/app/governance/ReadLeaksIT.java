package dev.meshplatform.app.governance;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways a read once leaked what its reader may not see, each closed: an old version read with its old
 * classification, a snapshot a blocking rule refused, a forged cursor, a cursor replayed by another caller, and a
 * platform admin filtering on a masked column.
 */
class ReadLeaksIT extends PlatformIT {

    private static final int ROWS = 30;
    private static String domain;
    private static String owner;
    private static String reader;
    private static String otherReader;

    @BeforeEach
    void product() {
        if (domain != null) {
            return;
        }
        domain = createDomain("leaky");
        owner = issueKey("DOMAIN_OWNER", domain);
        String partners = createDomain("partners");
        reader = issueKey("CONSUMER", partners);
        otherReader = issueKey("CONSUMER", partners);
        GovernedProducts.publishAndRun(api, ADMIN_KEY, domain, "customers", GovernedProducts.customers(ROWS));
        Api.Response requested = api.post(path("access-requests"), reader,
                Map.of("purpose", "analysis", "duration", "P1D"));
        assertThat(requested.status()).as(requested.body()).isEqualTo(201);
        assertThat(api.post(path("access-requests/" + requested.json().path("id").asString() + "/approve"), owner,
                Map.of()).status()).isEqualTo(200);
    }

    private static String path(String rest) {
        return "/api/v1/domains/" + domain + "/products/customers/" + rest;
    }

    private Api.Response read(String key, String query) {
        return api.get(path("data?" + query), key);
    }

    @Test
    void anOldVersionIsMaskedByTheNewestClassification() {
        // 1.0.0 classifies note INTERNAL: served in clear to the partner.
        assertThat(read(reader, "version=1.0.0&columns=id,note&limit=1").json().path("rows").get(0).path("note")
                .asString()).startsWith("note ");
        ObjectNode stricter = GovernedProducts.customers(ROWS);
        stricter.path("schema").forEach(field -> {
            if (field.path("name").asString().equals("note")) {
                ((ObjectNode) field).put("classification", "CONFIDENTIAL");
            }
        });
        String minor = versionPath(domain, "customers", "1.1.0");
        assertThat(api.put(minor, owner, stricter).status()).isEqualTo(201);
        Api.Response published = api.post(minor + "/transitions", owner, Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);

        // Reading 1.0.0's snapshot now masks note as 1.1.0 classifies it.
        Api.Response old = read(reader, "version=1.0.0&columns=id,note&limit=1");
        assertThat(old.status()).as(old.body()).isEqualTo(200);
        assertThat(old.json().path("masked").path("note").asString()).isEqualTo("REDACT");
        assertThat(old.json().path("rows").get(0).path("note").asString()).isEqualTo("****");
    }

    @Test
    void aSnapshotARuleRefusedIsReadableByNobodyAndListedOnlyForItsDomain() {
        ObjectNode strict = GovernedProducts.customers(ROWS);
        strict.putArray("quality").addObject().put("name", "never").put("type", "row_count").put("max", 0);
        String product = "strict";
        String version = versionPath(domain, product, "1.0.0");
        assertThat(api.put(version, owner, strict).status()).isEqualTo(201);
        assertThat(api.post(version + "/transitions", owner, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        JsonNode run = GovernedProducts.runToEnd(api, owner, domain, product);
        assertThat(run.path("state").asString()).isEqualTo("FAILED");
        long refused = run.path("snapshotId").asLong();
        assertThat(refused).isNotZero();

        String data = "/api/v1/domains/" + domain + "/products/" + product + "/data?snapshot=" + refused;
        Api.Response byOwner = api.get(data, owner);
        assertThat(byOwner.status()).isEqualTo(404);
        assertThat(byOwner.code()).isEqualTo("snapshot-not-found");
        assertThat(api.get(data, ADMIN_KEY).code()).isEqualTo("snapshot-not-found");

        String snapshots = "/api/v1/domains/" + domain + "/products/" + product + "/snapshots";
        JsonNode ownList = api.get(snapshots, owner).json().path("items");
        assertThat(ownList.valueStream().filter(s -> s.path("snapshotId").asLong() == refused)
                .map(s -> s.path("published").asBoolean()).toList()).containsExactly(false);
        JsonNode adminList = api.get(snapshots, ADMIN_KEY).json().path("items");
        assertThat(adminList.valueStream().map(s -> s.path("snapshotId").asLong())).doesNotContain(refused);
        assertThat(adminList.valueStream().map(s -> s.path("published").asBoolean())).containsOnly(true);
    }

    @Test
    void aForgedOrAlteredCursorIsRefused() {
        JsonNode page = read(reader, "limit=5&columns=id,country").json();
        String cursor = page.path("nextCursor").asString();
        assertThat(read(reader, "limit=5&columns=id,country&cursor=" + cursor).status()).isEqualTo(200);
        assertThat(page.path("snapshotId").isString()).as("a 64-bit id is a string").isTrue();

        // Another position (row, row group, file) under the same signature.
        String[] parts = cursor.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String[] fields = payload.split("\n", -1);
        assertThat(fields[0]).isEqualTo("c2");
        assertThat(payload).as("a cursor shows the reader no storage path").doesNotContain("s3:", ".parquet",
                "warehouse");
        List<String> altered = new java.util.ArrayList<>();
        for (int field : new int[]{5, 6, 7}) {
            String[] changed = fields.clone();
            changed[field] = field == 5 ? new StringBuilder(fields[5]).reverse().toString() : "0".equals(fields[field])
                    ? "1" : "0";
            altered.add(Base64.getUrlEncoder().withoutPadding().encodeToString(String.join("\n", changed)
                    .getBytes(StandardCharsets.UTF_8)) + "." + parts[1]);
        }
        List<String> forgeries = new java.util.ArrayList<>(altered);
        forgeries.addAll(List.of(parts[0], "garbage", unsigned(page.path("snapshotId").asLong()),
                cursor.substring(0, cursor.length() - 2)));
        for (String forged : forgeries) {
            Api.Response response = read(reader, "limit=5&columns=id,country&cursor="
                    + URLEncoder.encode(forged, StandardCharsets.UTF_8));
            assertThat(response.status()).as(forged).isEqualTo(400);
            assertThat(response.code()).isEqualTo("invalid-cursor");
        }
    }

    /** A cursor as this API once gave them out: base64 of snapshot:offset:query, unsigned. */
    private static String unsigned(long snapshot) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((snapshot + ":0:1")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCursorWorksOnlyForTheCallerItWasGivenTo() {
        String cursor = read(reader, "limit=5").json().path("nextCursor").asString();
        for (String key : List.of(otherReader, owner, ADMIN_KEY)) {
            Api.Response replayed = read(key, "limit=5&cursor=" + cursor);
            assertThat(replayed.status()).isEqualTo(400);
            assertThat(replayed.code()).isEqualTo("invalid-cursor");
            assertThat(replayed.json().path("detail").asString()).contains("another caller");
        }
        // Nor for another product, nor with another snapshot pinned.
        Api.Response pinned = read(reader, "limit=5&snapshot=1&cursor=" + cursor);
        assertThat(pinned.code()).isEqualTo("invalid-cursor");
    }

    @Test
    void nobodyOutsideTheDomainFiltersOnAMaskedColumnAdminsIncluded() {
        String filter = "filter=" + URLEncoder.encode("email:eq:p1@example.com", StandardCharsets.UTF_8);
        Api.Response admin = read(ADMIN_KEY, filter);
        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.code()).isEqualTo("access-denied");
        assertThat(read(reader, filter).status()).isEqualTo(403);
        // The owning domain filters on its own data as it likes.
        JsonNode own = read(owner, filter).json();
        assertThat(own.path("rows")).hasSize(1);
        // Unmasked columns stay filterable for everyone who reads them.
        assertThat(read(ADMIN_KEY, "filter=" + URLEncoder.encode("country:eq:NL", StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
    }
}
