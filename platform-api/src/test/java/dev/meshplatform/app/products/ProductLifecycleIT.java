package dev.meshplatform.app.products;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Apply, dry run, ETags and the lifecycle over HTTP, as a CI pipeline and a domain team use them. */
class ProductLifecycleIT extends PlatformIT {

    private String domain;
    private String owner;

    @BeforeEach
    void domain() {
        domain = createDomain("life");
        owner = issueKey("DOMAIN_OWNER", domain);
    }

    @Test
    void applyIsIdempotentWithETagsAndDryRuns() {
        String path = versionPath(domain, "orders", "1.0.0");
        Api.Response dry = api.request("PUT", path + "?dryRun=true").token(owner)
                .json(DescriptorJson.titled("Orders")).send();
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.json().path("result").asString()).isEqualTo("CREATED");
        assertThat(dry.json().path("dryRun").asBoolean()).isTrue();
        assertThat(api.get(path, owner).status()).isEqualTo(404);

        Api.Response created = api.put(path, owner, DescriptorJson.titled("Orders"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat(created.json().path("version").path("status").asString()).isEqualTo("DRAFT");

        Api.Response same = api.put(path, owner, DescriptorJson.titled("Orders"));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().path("result").asString()).isEqualTo("UNCHANGED");
        assertThat(same.header("ETag")).isEqualTo("\"0\"");

        Api.Response dryChange = api.request("PUT", path + "?dryRun=true").token(owner)
                .json(DescriptorJson.titled("All orders")).send();
        assertThat(dryChange.json().path("result").asString()).isEqualTo("UPDATED");
        assertThat(dryChange.json().path("changes").get(0).path("path").asString()).isEqualTo("/title");
        assertThat(dryChange.json().path("changes").get(0).path("before").asString()).isEqualTo("Orders");
        assertThat(api.get(path, owner).json().path("descriptor").path("title").asString()).isEqualTo("Orders");

        Api.Response stale = api.request("PUT", path).token(owner).header("If-Match", "\"7\"")
                .json(DescriptorJson.titled("All orders")).send();
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.code()).isEqualTo("precondition-failed");

        Api.Response updated = api.request("PUT", path).token(owner).header("If-Match", created.header("ETag"))
                .json(DescriptorJson.titled("All orders")).send();
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("result").asString()).isEqualTo("UPDATED");
        assertThat(updated.header("ETag")).isEqualTo("\"1\"");
        assertThat(api.get(path, owner).header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void theLifecycleIsTheServersAndPublishedVersionsAreImmutable() {
        String path = versionPath(domain, "orders", "1.0.0");
        api.put(path, owner, DescriptorJson.titled("Orders"));

        Api.Response skip = api.post(path + "/transitions", owner, Map.of("to", "RETIRED"));
        assertThat(skip.status()).isEqualTo(409);
        assertThat(skip.code()).isEqualTo("invalid-transition");

        Api.Response published = api.post(path + "/transitions", owner, Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(published.json().path("version").path("status").asString()).isEqualTo("PUBLISHED");

        Api.Response again = api.put(path, owner, DescriptorJson.titled("Orders"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("result").asString()).isEqualTo("UNCHANGED");
        Api.Response change = api.put(path, owner, DescriptorJson.titled("Orders v2"));
        assertThat(change.status()).isEqualTo(409);
        assertThat(change.code()).isEqualTo("version-immutable");
        Api.Response delete = api.delete(path, owner);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.code()).isEqualTo("version-not-draft");

        Api.Response statusInBody = api.put(versionPath(domain, "orders", "1.1.0"), owner,
                DescriptorJson.titled("Orders").put("status", "PUBLISHED"));
        assertThat(statusInBody.status()).isEqualTo(400);
        assertThat(statusInBody.code()).isEqualTo("unknown-field");

        assertThat(api.post(path + "/transitions", owner, Map.of("to", "DEPRECATED")).status()).isEqualTo(200);
        assertThat(api.post(path + "/transitions", owner, Map.of("to", "RETIRED")).status()).isEqualTo(200);
        assertThat(api.post(path + "/transitions", owner, Map.of("to", "PUBLISHED")).status()).isEqualTo(409);
        assertThat(api.post(path + "/transitions", owner, Map.of("to", "DEPRECATED")).status()).isEqualTo(409);
    }

    @Test
    void draftsAreDeletedAndTheCatalogFiltersAndHidesDrafts() {
        api.put(versionPath(domain, "alpha", "1.0.0"), owner, DescriptorJson.titled("Alpha customers"));
        api.post(versionPath(domain, "alpha", "1.0.0") + "/transitions", owner, Map.of("to", "PUBLISHED"));
        api.put(versionPath(domain, "alpha", "1.1.0"), owner, DescriptorJson.titled("Alpha customers next"));
        api.put(versionPath(domain, "beta", "0.1.0"), owner,
                DescriptorJson.titled("Beta").set("tags", Api.JSON.valueToTree(List.of("experimental"))));

        assertThat(names(api.get("/api/v1/products?domain=" + domain, owner))).containsExactly("alpha", "beta");
        assertThat(names(api.get("/api/v1/products?domain=" + domain + "&tag=experimental", owner)))
                .containsExactly("beta");
        assertThat(names(api.get("/api/v1/products?domain=" + domain + "&status=PUBLISHED", owner)))
                .containsExactly("alpha");
        assertThat(names(api.get("/api/v1/products?q=CUSTOMERS&domain=" + domain, owner))).containsExactly("alpha");
        Api.Response paged = api.get("/api/v1/domains/" + domain + "/products?page=1&size=1", owner);
        assertThat(paged.json().path("total").asLong()).isEqualTo(2);
        assertThat(names(paged)).containsExactly("beta");

        String consumer = issueKey("CONSUMER", createDomain("reader"));
        Api.Response seen = api.get("/api/v1/products?domain=" + domain, consumer);
        assertThat(names(seen)).containsExactly("alpha");
        assertThat(seen.json().path("items").get(0).path("latestVersion").asString()).isEqualTo("1.0.0");
        assertThat(api.get("/api/v1/domains/" + domain + "/products/beta", consumer).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/domains/" + domain + "/products/alpha/versions", consumer).json().path("items").size())
                .isEqualTo(1);
        assertThat(api.get("/api/v1/domains/" + domain + "/products/alpha/versions", owner).json().path("items").size())
                .isEqualTo(2);

        assertThat(api.delete(versionPath(domain, "beta", "0.1.0"), owner).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/domains/" + domain + "/products/beta", owner).status()).isEqualTo(404);
        Api.Response notEmpty = api.delete("/api/v1/domains/" + domain, ADMIN_KEY);
        assertThat(notEmpty.status()).isEqualTo(409);
        assertThat(notEmpty.code()).isEqualTo("domain-not-empty");
    }

    private static List<String> names(Api.Response response) {
        List<String> names = new ArrayList<>();
        response.json().path("items").forEach(i -> names.add(i.path("name").asString()));
        return names;
    }

    @Test
    void keysAreIssuedListedAndRevokedAndRevokedKeysStopWorking() {
        Api.Response issued = api.post("/api/v1/api-keys", owner,
                Map.of("name", "pipeline", "role", "DOMAIN_MEMBER", "domain", domain));
        assertThat(issued.status()).isEqualTo(201);
        String secret = issued.json().path("secret").asString();
        String id = issued.json().path("key").path("id").asString();
        assertThat(api.get("/api/v1/me", secret).json().path("role").asString()).isEqualTo("DOMAIN_MEMBER");

        Api.Response listed = api.get("/api/v1/api-keys?domain=" + domain, owner);
        assertThat(listed.body()).contains(id).doesNotContain(secret.substring(18));

        assertThat(api.delete("/api/v1/api-keys/" + id, owner).json().path("revokedAt").isNull()).isFalse();
        Api.Response refused = api.get("/api/v1/me", secret);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("invalid-api-key");

        Api.Response past = api.post("/api/v1/api-keys", owner, Map.of("name", "old", "role", "CONSUMER",
                "domain", domain, "expiresAt", "2020-01-01T00:00:00Z"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.code()).isEqualTo("validation-failed");
        Api.Response foreign = api.post("/api/v1/api-keys", owner, Map.of("name", "x", "role", "CONSUMER",
                "domain", createDomain("foreign")));
        assertThat(foreign.status()).isEqualTo(403);
    }
}
