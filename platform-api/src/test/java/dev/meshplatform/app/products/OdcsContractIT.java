package dev.meshplatform.app.products;

import com.networknt.schema.Schema;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.registry.testsupport.PublishedStandards;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A version's contract as an ODCS document over HTTP: exported in YAML and JSON, imported through the same apply as a
 * descriptor (dry run, gates, breaking-change check), round trips both ways, refusals naming the document's path.
 */
class OdcsContractIT extends PlatformIT {

    private static final String JSON = "application/json";
    private static final String YAML = "application/yaml";
    private static final YAMLMapper YAML_MAPPER = YAMLMapper.builder().build();

    @Test
    void anExportValidatesAgainstThePublishedSchema() {
        Schema schema = PublishedStandards.odcsSchema();
        String domain = createDomain("odcs");
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY, DescriptorJson.complete()).status())
                .isEqualTo(201);
        ObjectNode exported = export(domain, "people", "1.0.0", ADMIN_KEY);
        assertThat(schema.validate(exported)).as("%s", exported).isEmpty();
        ObjectNode broken = exported.deepCopy();
        broken.remove("status");
        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void anExportImportsIntoTheSameDescriptorAndExportsAgainUnchanged() {
        String domain = createDomain("odcs");
        String member = issueKey("DOMAIN_MEMBER", domain);
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), member, DescriptorJson.complete()).status())
                .isEqualTo(201);
        Api.Response yaml = api.request("GET", contractPath(domain, "people", "1.0.0")).token(member).send();
        assertThat(yaml.status()).as(yaml.body()).isEqualTo(200);
        assertThat(yaml.header("Content-Type")).startsWith(YAML);
        assertThat(yaml.header("ETag")).isNotBlank();
        ObjectNode exported = export(domain, "people", "1.0.0", member);
        assertThat(YAML_MAPPER.readTree(yaml.body())).isEqualTo(exported);
        assertThat(exported.path("apiVersion").asString()).isEqualTo("v3.1.0");
        assertThat(exported.path("status").asString()).isEqualTo("draft");

        // The YAML export into a new product: the same stored descriptor (quality rules come back grouped by the
        // column they check, so their order may differ), with the server's fields as warnings.
        Api.Response imported = api.request("PUT", contractPath(domain, "copy", "1.0.0")).token(member)
                .body(YAML, yaml.body()).send();
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(imported.json().path("result").asString()).isEqualTo("CREATED");
        assertThat(imported.header("ETag")).isNotBlank();
        // A draft's status agrees with what the import makes: only the other product's names disagree.
        assertThat(texts(imported.json().path("importWarnings"))).noneMatch(w -> w.startsWith("status:"))
                .anyMatch(w -> w.startsWith("servers:")).anyMatch(w -> w.startsWith("dataProduct: 'people'"));
        assertThat(descriptor(domain, "copy", "1.0.0")).isEqualTo(descriptor(domain, "people", "1.0.0"));
        assertThat(api.request("PUT", contractPath(domain, "people", "not-a-version")).token(member)
                .body(YAML, yaml.body()).send().code()).isEqualTo("validation-failed");

        // The JSON export as the next version of the same product: the same document, apart from its version.
        Api.Response again = api.request("PUT", contractPath(domain, "people", "1.0.1")).token(member)
                .json(exported).send();
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        ObjectNode first = exported.deepCopy();
        ObjectNode second = export(domain, "people", "1.0.1", member).deepCopy();
        assertThat(second.path("version").asString()).isEqualTo("1.0.1");
        first.remove("version");
        second.remove("version");
        assertThat(second).isEqualTo(first);

        // The same document again changes nothing.
        Api.Response unchanged = api.request("PUT", contractPath(domain, "people", "1.0.1")).token(member)
                .json(exported).send();
        assertThat(unchanged.status()).isEqualTo(200);
        assertThat(unchanged.json().path("result").asString()).isEqualTo("UNCHANGED");
    }

    @Test
    void aDocumentThePlatformCannotHonourIsRefusedWithItsPath() {
        String domain = createDomain("odcs");
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY, DescriptorJson.complete()).status())
                .isEqualTo(201);
        ObjectNode document = export(domain, "people", "1.0.0", ADMIN_KEY).deepCopy();
        ((ObjectNode) document.at("/schema/0/properties/1")).put("classification", "top-secret");
        document.put("apiVersion", "v2.2.0");

        Api.Response refused = api.request("PUT", contractPath(domain, "other", "1.0.0")).token(ADMIN_KEY)
                .body(YAML, YAML_MAPPER.writeValueAsString(document)).send();
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("validation-failed");
        List<String> fields = new ArrayList<>();
        refused.json().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).contains("apiVersion", "schema[0].properties[1].classification");
        assertThat(api.get(versionPath(domain, "other", "1.0.0"), ADMIN_KEY).status()).isEqualTo(404);

        // What the descriptor's own checks refuse is named at its place in the document too.
        ObjectNode badName = export(domain, "people", "1.0.0", ADMIN_KEY).deepCopy();
        ((ObjectNode) badName.at("/schema/0/properties/2")).put("name", "no spaces allowed");
        Api.Response named = api.request("PUT", contractPath(domain, "other", "1.0.0")).token(ADMIN_KEY)
                .json(badName).send();
        assertThat(named.status()).as(named.body()).isEqualTo(400);
        assertThat(named.json().at("/errors/0/field").asString()).isEqualTo("schema[0].properties[2].name");

        // A newer minor on request; an unknown version refused.
        Api.Response newer = api.request("GET", contractPath(domain, "people", "1.0.0") + "?odcsVersion=v3.2.0")
                .token(ADMIN_KEY).header("Accept", JSON).send();
        assertThat(newer.status()).as(newer.body()).isEqualTo(200);
        assertThat(newer.json().path("apiVersion").asString()).isEqualTo("v3.2.0");
        Api.Response unknown = api.request("GET", contractPath(domain, "people", "1.0.0") + "?odcsVersion=v2.2.0")
                .token(ADMIN_KEY).send();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/errors/0/field").asString()).isEqualTo("apiVersion");

        // Not a document at all: refused before any mapping.
        Api.Response list = api.request("PUT", contractPath(domain, "other", "1.0.0")).token(ADMIN_KEY)
                .json("[1, 2]").send();
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.code()).isEqualTo("validation-failed");
    }

    @Test
    void aBreakingOdcsChangeIsShownByTheDryRunAndRefusedAtPublish() {
        String domain = createDomain("odcs");
        String owner = issueKey("DOMAIN_OWNER", domain);
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), owner, DescriptorJson.complete()).status())
                .isEqualTo(201);
        Api.Response published = api.post(versionPath(domain, "people", "1.0.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        ObjectNode document = export(domain, "people", "1.0.0", owner).deepCopy();
        assertThat(document.path("status").asString()).isEqualTo("active");

        // A released version's contract is not replaced, whatever the format.
        assertThat(api.request("PUT", contractPath(domain, "people", "1.0.0")).token(owner).json(document).send()
                .status()).isEqualTo(409);

        // The CI gate: the file in git drops a column; the dry run says it breaks the major and stores nothing.
        ArrayNode properties = (ArrayNode) document.at("/schema/0/properties");
        int score = -1;
        for (int i = 0; i < properties.size(); i++) {
            if (properties.get(i).path("name").asString().equals("score")) {
                score = i;
            }
        }
        assertThat(score).isNotNegative();
        properties.remove(score);
        String yaml = YAML_MAPPER.writeValueAsString(document);
        Api.Response dryRun = api.request("PUT", contractPath(domain, "people", "1.1.0") + "?dryRun=true")
                .token(owner).body(YAML, yaml).send();
        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        assertThat(dryRun.json().path("dryRun").asBoolean()).isTrue();
        assertThat(failing(dryRun.json().path("verdicts"))).containsExactly("default-no-breaking-changes");
        assertThat(api.get(versionPath(domain, "people", "1.1.0"), owner).status()).isEqualTo(404);

        // Applied anyway, the draft cannot be published.
        assertThat(api.request("PUT", contractPath(domain, "people", "1.1.0")).token(owner).body(YAML, yaml).send()
                .status()).isEqualTo(201);
        Api.Response refused = api.post(versionPath(domain, "people", "1.1.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(failing(refused.json().path("verdicts"))).containsExactly("default-no-breaking-changes");
        assertThat(refused.json().path("detail").asString()).contains("field score was removed or renamed");
    }

    @Test
    void consumersCannotImportNorSeeADraftsContract() {
        String domain = createDomain("odcs");
        String consumer = issueKey("CONSUMER", domain);
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY, DescriptorJson.complete()).status())
                .isEqualTo(201);
        ObjectNode document = export(domain, "people", "1.0.0", ADMIN_KEY);

        assertThat(api.request("GET", contractPath(domain, "people", "1.0.0")).token(consumer).send().code())
                .isEqualTo("version-not-found");
        Api.Response imported = api.request("PUT", contractPath(domain, "people", "1.0.1")).token(consumer)
                .json(document).send();
        assertThat(imported.status()).isEqualTo(403);
        assertThat(api.get(versionPath(domain, "people", "1.0.1"), ADMIN_KEY).status()).isEqualTo(404);

        assertThat(api.post(versionPath(domain, "people", "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        Api.Response released = api.request("GET", contractPath(domain, "people", "1.0.0")).token(consumer)
                .header("Accept", JSON).send();
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().path("status").asString()).isEqualTo("active");
    }

    private ObjectNode export(String domain, String product, String version, String key) {
        Api.Response response = api.request("GET", contractPath(domain, product, version)).token(key)
                .header("Accept", JSON).send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith(JSON);
        return (ObjectNode) response.json();
    }

    /** The stored descriptor, its quality rules in the order of their names. */
    private JsonNode descriptor(String domain, String product, String version) {
        return storedDescriptor(api, ADMIN_KEY, domain, product, version);
    }

    /** The stored descriptor read with {@code key}, its quality rules in the order of their names. */
    static JsonNode storedDescriptor(Api api, String key, String domain, String product, String version) {
        Api.Response response = api.get(versionPath(domain, product, version) + "/descriptor", key);
        assertThat(response.status()).isEqualTo(200);
        ObjectNode descriptor = (ObjectNode) response.json();
        List<JsonNode> rules = new ArrayList<>();
        descriptor.path("quality").forEach(rules::add);
        rules.sort(java.util.Comparator.comparing(rule -> rule.path("name").asString()));
        descriptor.putArray("quality").addAll(rules);
        return descriptor;
    }

    private static String contractPath(String domain, String product, String version) {
        return versionPath(domain, product, version) + "/contract";
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asString()));
        return texts;
    }

    private static List<String> failing(JsonNode verdicts) {
        List<String> rules = new ArrayList<>();
        verdicts.forEach(v -> {
            if (!v.path("passed").asBoolean()) {
                rules.add(v.path("rule").asString());
            }
        });
        return rules;
    }
}
