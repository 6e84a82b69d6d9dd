package dev.meshplatform.app.governance;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Policies as stored and compiled, and the publish gate they form, over HTTP. */
class PublishGateIT extends PlatformIT {

    private static List<String> failing(JsonNode verdicts) {
        List<String> rules = new ArrayList<>();
        verdicts.forEach(v -> {
            if (!v.path("passed").asBoolean()) {
                rules.add(v.path("rule").asString());
            }
        });
        return rules;
    }

    @Test
    void theShippedDefaultsRefuseAnUndocumentedProductAndNameWhatIsMissing() {
        String domain = createDomain("gate");
        ObjectNode bare = Api.JSON.createObjectNode().put("title", "Bare");
        bare.putArray("schema").addObject().put("name", "id").put("type", "long").put("required", true);
        bare.withArray("schema").addObject().put("name", "email").put("type", "string")
                .put("description", "mail").put("classification", "PII");
        assertThat(api.put(versionPath(domain, "bare", "1.0.0"), ADMIN_KEY, bare).status()).isEqualTo(201);

        Api.Response refused = api.post(versionPath(domain, "bare", "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("policy-violation");
        assertThat(failing(refused.json().path("verdicts"))).containsExactlyInAnyOrder(
                "default-owner-and-description", "default-field-documentation", "default-pii-retention",
                "default-quality-rule", "default-slo");
        assertThat(refused.json().path("detail").asString())
                .contains("field id needs a description and a classification")
                .contains("an owner team is required");
        assertThat(api.get(versionPath(domain, "bare", "1.0.0"), ADMIN_KEY).json().path("status").asString())
                .isEqualTo("DRAFT");

        // The dry run and the evaluate endpoint give the same verdicts and change nothing.
        JsonNode dryRun = api.request("PUT", versionPath(domain, "bare", "1.0.0") + "?dryRun=true")
                .token(ADMIN_KEY).json(bare).send().json().path("verdicts");
        JsonNode evaluated = api.post("/api/v1/policies/evaluate", ADMIN_KEY,
                Map.of("domain", domain, "product", "bare", "version", "1.0.0")).json();
        assertThat(evaluated.path("publishable").asBoolean()).isFalse();
        assertThat(evaluated.path("verdicts")).isEqualTo(dryRun);

        // Documented, it passes; evaluate with the descriptor sent answers before anything is applied.
        ObjectNode documented = DescriptorJson.governed(bare.deepCopy());
        documented.putObject("retention").put("period", "P30D");
        JsonNode before = api.post("/api/v1/policies/evaluate", ADMIN_KEY, Map.of("domain", domain,
                "product", "bare", "version", "1.0.0", "descriptor", documented)).json();
        assertThat(before.path("publishable").asBoolean()).as(before.toString()).isTrue();
        assertThat(api.put(versionPath(domain, "bare", "1.0.0"), ADMIN_KEY, documented).status()).isEqualTo(200);
        assertThat(api.post(versionPath(domain, "bare", "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
    }

    @Test
    void breakingChangesWithinAMajorAreRefusedAndANewMajorMayBreak() {
        String domain = createDomain("compat");
        String owner = issueKey("DOMAIN_OWNER", domain);
        ObjectNode v1 = DescriptorJson.complete();
        publish(domain, "people", "1.0.0", v1, owner, 200);

        ObjectNode renamed = DescriptorJson.complete();
        ((ObjectNode) renamed.path("schema").get(4)).put("name", "score_value");
        Api.Response refused = publish(domain, "people", "1.1.0", renamed, owner, 422);
        assertThat(failing(refused.json().path("verdicts"))).containsExactly("default-no-breaking-changes");
        assertThat(refused.json().path("detail").asString()).contains("field score was removed or renamed");

        ObjectNode narrowed = DescriptorJson.complete();
        ((ObjectNode) narrowed.path("schema").get(0)).put("type", "int");
        ((ObjectNode) narrowed.path("schema").get(2)).put("required", true);
        ((ObjectNode) narrowed.path("schema").get(9).path("fields").get(0)).put("type", "long");
        Api.Response narrowing = publish(domain, "people", "1.2.0", narrowed, owner, 422);
        assertThat(narrowing.json().path("detail").asString())
                .contains("field id (long → int) changed its type")
                .contains("field age became required")
                .contains("field address.city (string → long) changed its type");

        // Widening is compatible; the same change under a new major is allowed.
        ObjectNode widened = DescriptorJson.complete();
        ((ObjectNode) widened.path("schema").get(2)).put("type", "long");
        ((ObjectNode) widened.path("schema").get(5)).put("type", "decimal(14,2)");
        publish(domain, "people", "1.3.0", widened, owner, 200);
        publish(domain, "people", "2.0.0", renamed, owner, 200);
    }

    private Api.Response publish(String domain, String product, String version, ObjectNode descriptor, String key,
                                 int expected) {
        Api.Response applied = api.put(versionPath(domain, product, version), key, descriptor);
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        Api.Response published = api.post(versionPath(domain, product, version) + "/transitions", key,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(expected);
        return published;
    }

    @Test
    void policiesThatDoNotCompileAreRefusedWithTheirErrors() {
        String domain = createDomain("cel");
        Api.Response misspelled = api.put("/api/v1/policies/" + unique("typo"), ADMIN_KEY, Map.of(
                "kind", "GATE", "domain", domain, "expression", "product.ownr != ''"));
        assertThat(misspelled.status()).isEqualTo(400);
        assertThat(misspelled.code()).isEqualTo("policy-invalid");
        assertThat(misspelled.json().path("issues").get(0).asString()).contains("ownr").contains("1:");

        Api.Response unknownFunction = api.put("/api/v1/policies/" + unique("fn"), ADMIN_KEY, Map.of(
                "kind", "ACCESS", "expression", "is_friend(principal.name)"));
        assertThat(unknownFunction.status()).isEqualTo(400);
        assertThat(unknownFunction.json().path("detail").asString()).contains("is_friend");

        Api.Response wrongType = api.put("/api/v1/policies/" + unique("type"), ADMIN_KEY, Map.of(
                "kind", "MASK", "mask", "HASH", "expression", "field.name"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("detail").asString()).contains("must answer a bool");

        Api.Response noMask = api.put("/api/v1/policies/" + unique("nomask"), ADMIN_KEY, Map.of(
                "kind", "MASK", "expression", "true"));
        assertThat(noMask.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/policies?domain=" + domain, ADMIN_KEY).json().path("items"))
                .noneMatch(p -> domain.equals(p.path("spec").path("domain").asString()));
    }

    @Test
    void domainPoliciesGovernTheirDomainWithHistoryAndWarnings() {
        String domain = createDomain("own-policy");
        String other = createDomain("other-policy");
        String owner = issueKey("DOMAIN_OWNER", domain);
        String id = unique("tagged");
        Map<String, Object> warn = Map.of("kind", "GATE", "domain", domain, "enforcement", "WARN",
                "expression", "'certified' in product.tags", "message", "certify the product");
        Api.Response created = api.put("/api/v1/policies/" + id, owner, warn);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        // Owners govern their own domain only; global policies are the admins'.
        assertThat(api.put("/api/v1/policies/" + unique("x"), owner, Map.of("kind", "GATE", "domain", other,
                "expression", "true")).status()).isEqualTo(403);
        assertThat(api.put("/api/v1/policies/" + unique("x"), owner, Map.of("kind", "GATE",
                "expression", "true")).status()).isEqualTo(403);

        ObjectNode descriptor = DescriptorJson.complete();
        Api.Response applied = api.put(versionPath(domain, "people", "1.0.0"), owner, descriptor);
        assertThat(applied.status()).isEqualTo(201);
        Api.Response published = api.post(versionPath(domain, "people", "1.0.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).isEqualTo(200);
        JsonNode warning = find(published.json().path("verdicts"), id);
        assertThat(warning.path("passed").asBoolean()).isFalse();
        assertThat(warning.path("blocking").asBoolean()).isFalse();
        assertThat(warning.path("message").asString()).isEqualTo("certify the product");

        // Made blocking (with If-Match), it refuses the next version; another domain is not governed by it.
        Map<String, Object> block = new java.util.HashMap<>(warn);
        block.put("enforcement", "BLOCK");
        assertThat(api.request("PUT", "/api/v1/policies/" + id).token(owner).header("If-Match", "\"7\"")
                .json(block).send().status()).isEqualTo(412);
        assertThat(api.request("PUT", "/api/v1/policies/" + id).token(owner).header("If-Match", "\"1\"")
                .json(block).send().status()).isEqualTo(200);
        publish(domain, "people", "1.1.0", DescriptorJson.complete(), owner, 422);
        publish(other, "people", "1.0.0", DescriptorJson.complete(), ADMIN_KEY, 200);

        JsonNode history = api.get("/api/v1/policies/" + id + "/history", owner).json().path("items");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).path("spec").path("enforcement").asString()).isEqualTo("BLOCK");
        assertThat(history.get(1).path("spec").path("enforcement").asString()).isEqualTo("WARN");
        assertThat(api.delete("/api/v1/policies/" + id, owner).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/policies/" + id, owner).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/policies/" + id + "/history", owner).json().path("items")).hasSize(3);
        publish(domain, "people", "1.2.0", DescriptorJson.complete(), owner, 200);

        JsonNode audit = api.get("/api/v1/audit?domain=" + domain + "&size=100", owner).json().path("items");
        assertThat(audit).anyMatch(e -> e.path("action").asString().equals("SAVE_POLICY"))
                .anyMatch(e -> e.path("action").asString().equals("DELETE_POLICY"))
                .anyMatch(e -> e.path("action").asString().equals("PUBLISH_GATE")
                        && e.path("outcome").asString().equals("DENIED") && e.path("subject").asString().equals("1.1.0"));
    }

    @Test
    void aDeletedDomainTakesItsPoliciesAlong() {
        String domain = createDomain("gone");
        String id = unique("gone-policy");
        assertThat(api.put("/api/v1/policies/" + id, ADMIN_KEY, Map.of("kind", "GATE", "domain", domain,
                "expression", "false")).status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/domains/" + domain, ADMIN_KEY).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/policies/" + id, ADMIN_KEY).status()).isEqualTo(404);
        JsonNode history = api.get("/api/v1/policies/" + id + "/history", ADMIN_KEY).json().path("items");
        assertThat(history.get(0).path("deleted").asBoolean()).isTrue();
        assertThat(history.get(0).path("changedBy").asString()).isEqualTo("platform");
    }

    @Test
    void anAdminCanRelaxAShippedDefaultAndPutItBack() {
        Api.Response current = api.get("/api/v1/policies/default-slo", ADMIN_KEY);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.json().path("shipped").asBoolean()).isTrue();
        ObjectNode spec = (ObjectNode) current.json().path("spec").deepCopy();
        String domain = createDomain("relaxed");
        ObjectNode noSlo = DescriptorJson.complete();
        noSlo.remove("slos");
        assertThat(api.put(versionPath(domain, "no-slo", "1.0.0"), ADMIN_KEY, noSlo).status()).isEqualTo(201);
        try {
            ObjectNode warnOnly = spec.deepCopy().put("enforcement", "WARN");
            assertThat(api.put("/api/v1/policies/default-slo", ADMIN_KEY, warnOnly).status()).isEqualTo(200);
            Api.Response published = api.post(versionPath(domain, "no-slo", "1.0.0") + "/transitions", ADMIN_KEY,
                    Map.of("to", "PUBLISHED"));
            assertThat(published.status()).as(published.body()).isEqualTo(200);
            assertThat(find(published.json().path("verdicts"), "default-slo").path("passed").asBoolean()).isFalse();
        } finally {
            assertThat(api.put("/api/v1/policies/default-slo", ADMIN_KEY, spec).status()).isEqualTo(200);
        }
        assertThat(api.get("/api/v1/policies/default-slo", ADMIN_KEY).json().path("revision").asLong())
                .isGreaterThanOrEqualTo(3);
    }

    private static JsonNode find(JsonNode verdicts, String rule) {
        for (JsonNode verdict : verdicts) {
            if (verdict.path("rule").asString().equals(rule)) {
                return verdict;
            }
        }
        throw new AssertionError("no verdict of " + rule + " in " + verdicts);
    }

}
