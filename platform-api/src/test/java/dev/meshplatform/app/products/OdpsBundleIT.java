package dev.meshplatform.app.products;

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
 * A version as an ODPS document, and as the bundle of that document with its output port's ODCS contract, over HTTP:
 * exports that validate, a bundle that round trips both ways, refusals naming the document and its path, the CI gate
 * on a breaking change, and a deprecated version's documents telling their readers.
 */
class OdpsBundleIT extends PlatformIT {

    private static final String JSON = "application/json";
    private static final String YAML = "application/yaml";
    private static final YAMLMapper YAML_MAPPER = YAMLMapper.builder().build();

    @Test
    void theBundleExportsValidAndImportsIntoTheSameDescriptor() {
        String domain = createDomain("odps");
        String member = issueKey("DOMAIN_MEMBER", domain);
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), member, DescriptorJson.complete()).status())
                .isEqualTo(201);

        Api.Response product = api.request("GET", versionPath(domain, "people", "1.0.0") + "/data-product")
                .token(member).header("Accept", JSON).send();
        assertThat(product.status()).as(product.body()).isEqualTo(200);
        assertThat(PublishedStandards.odpsSchema().validate(product.json())).as(product.body()).isEmpty();
        assertThat(product.json().path("status").asString()).isEqualTo("draft");
        assertThat(product.json().at("/outputPorts/0/contractId").asString()).isEqualTo(domain + "/people/v1");

        Api.Response yaml = api.request("GET", bundlePath(domain, "people", "1.0.0")).token(member).send();
        assertThat(yaml.status()).as(yaml.body()).isEqualTo(200);
        assertThat(yaml.header("Content-Type")).startsWith(YAML);
        ArrayNode bundle = bundle(domain, "people", "1.0.0", member);
        assertThat(YAML_MAPPER.readTree(yaml.body())).isEqualTo(bundle);
        assertThat(bundle.get(0)).isEqualTo(product.json());
        assertThat(bundle.get(1).path("kind").asString()).isEqualTo("DataContract");

        // The YAML bundle into a new product: the same stored descriptor, the server's fields as warnings.
        Api.Response imported = api.request("PUT", bundlePath(domain, "copy", "1.0.0")).token(member)
                .body(YAML, yaml.body()).send();
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(OdcsContractIT.texts(imported.json().path("importWarnings")))
                .noneMatch(w -> w.contains("status:")).anyMatch(w -> w.startsWith("[1].servers:"))
                .anyMatch(w -> w.startsWith("[0].id: '" + domain + "/people'"));
        assertThat(descriptor(domain, "copy", "1.0.0")).isEqualTo(descriptor(domain, "people", "1.0.0"));

        // A product document that adds what the platform only keeps, as the next version: both documents come back
        // as they went in, and the same bundle again changes nothing.
        ObjectNode richer = (ObjectNode) bundle.get(0).deepCopy();
        richer.put("tenant", "acme");
        richer.putObject("description").put("purpose", "People, enriched").put("usage", "Reporting");
        richer.putArray("managementPorts").addObject().put("name", "status").put("content", "observability");
        ArrayNode next = bundle.deepCopy();
        next.set(0, richer);
        Api.Response applied = api.request("PUT", bundlePath(domain, "people", "1.0.1")).token(member).json(next)
                .send();
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        ArrayNode again = bundle(domain, "people", "1.0.1", member);
        assertThat(withoutVersion(again.get(0))).isEqualTo(withoutVersion(richer));
        assertThat(withoutVersion(again.get(1))).isEqualTo(withoutVersion(bundle.get(1)));
        Api.Response unchanged = api.request("PUT", bundlePath(domain, "people", "1.0.1")).token(member)
                .json(again).send();
        assertThat(unchanged.status()).as(unchanged.body()).isEqualTo(200);
        assertThat(unchanged.json().path("result").asString()).isEqualTo("UNCHANGED");
    }

    @Test
    void aBundleThePlatformCannotHonourIsRefusedWithTheDocumentAndItsPath() {
        String domain = createDomain("odps");
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY, DescriptorJson.complete()).status())
                .isEqualTo(201);
        ArrayNode bundle = bundle(domain, "people", "1.0.0", ADMIN_KEY);
        ((ObjectNode) bundle.get(0)).put("apiVersion", "v2.0.0");
        ((ObjectNode) bundle.at("/1/schema/0/properties/1")).put("logicalType", "uuid").remove("physicalType");

        Api.Response refused = api.request("PUT", bundlePath(domain, "other", "1.0.0")).token(ADMIN_KEY)
                .body(YAML, YAML_MAPPER.writeValueAsString(bundle)).send();
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("validation-failed");
        List<String> fields = new ArrayList<>();
        refused.json().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("[0].apiVersion", "[1].schema[0].properties[1].logicalType");
        assertThat(api.get(versionPath(domain, "other", "1.0.0"), ADMIN_KEY).status()).isEqualTo(404);

        // What the descriptor's own checks refuse is named in the document that said it.
        ArrayNode blankTitle = bundle(domain, "people", "1.0.0", ADMIN_KEY);
        ((ObjectNode) blankTitle.get(0)).put("name", " ");
        Api.Response titled = api.request("PUT", bundlePath(domain, "other", "1.0.0")).token(ADMIN_KEY)
                .json(blankTitle).send();
        assertThat(titled.status()).as(titled.body()).isEqualTo(400);
        assertThat(titled.json().at("/errors/0/field").asString()).isEqualTo("[0].name");

        // A contract alone is not a bundle.
        Api.Response alone = api.request("PUT", bundlePath(domain, "other", "1.0.0")).token(ADMIN_KEY)
                .json(bundle.get(1)).send();
        assertThat(alone.status()).isEqualTo(400);
        assertThat(alone.code()).isEqualTo("validation-failed");
    }

    @Test
    void theCiGateOnABundleAndADeprecatedVersionsDocuments() {
        String domain = createDomain("odps");
        String owner = issueKey("DOMAIN_OWNER", domain);
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), owner, DescriptorJson.complete()).status())
                .isEqualTo(201);
        assertThat(api.post(versionPath(domain, "people", "1.0.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        ArrayNode bundle = bundle(domain, "people", "1.0.0", owner);

        // The bundle in git drops a column: the dry run shows the breaking change and stores nothing.
        ArrayNode properties = (ArrayNode) bundle.at("/1/schema/0/properties");
        for (int i = properties.size() - 1; i >= 0; i--) {
            if (properties.get(i).path("name").asString().equals("score")) {
                properties.remove(i);
            }
        }
        Api.Response dryRun = api.request("PUT", bundlePath(domain, "people", "1.1.0") + "?dryRun=true")
                .token(owner).body(YAML, YAML_MAPPER.writeValueAsString(bundle)).send();
        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        List<String> failing = new ArrayList<>();
        dryRun.json().path("verdicts").forEach(v -> {
            if (!v.path("passed").asBoolean()) {
                failing.add(v.path("rule").asString());
            }
        });
        assertThat(failing).containsExactly("default-no-breaking-changes");
        assertThat(api.get(versionPath(domain, "people", "1.1.0"), owner).status()).isEqualTo(404);

        // The same gate in one call to the policies, with the bundle or the contract alone.
        for (String field : List.of("bundle", "contract")) {
            Api.Response evaluated = api.post("/api/v1/policies/evaluate", owner, Map.of("domain", domain,
                    "product", "people", "version", "1.1.0", field, field.equals("bundle") ? bundle : bundle.get(1)));
            assertThat(evaluated.status()).as(evaluated.body()).isEqualTo(200);
            assertThat(evaluated.json().path("publishable").asBoolean()).isFalse();
            assertThat(evaluated.json().path("previousPublished").asString()).isEqualTo("1.0.0");
            assertThat(evaluated.body()).contains("field score was removed or renamed");
            assertThat(OdcsContractIT.texts(evaluated.json().path("importWarnings"))).anyMatch(w -> w.contains("status:"));
        }
        ArrayNode broken = bundle.deepCopy();
        ((ObjectNode) broken.at("/1/schema/0/properties/0")).put("classification", "top-secret");
        Api.Response refusedGate = api.post("/api/v1/policies/evaluate", owner, Map.of("domain", domain,
                "product", "people", "version", "1.1.0", "bundle", broken));
        assertThat(refusedGate.status()).as(refusedGate.body()).isEqualTo(400);
        assertThat(refusedGate.json().at("/errors/0/field").asString())
                .isEqualTo("bundle[1].schema[0].properties[0].classification");
        ArrayNode badName = bundle.deepCopy();
        ((ObjectNode) badName.at("/1/schema/0/properties/1")).put("name", "no spaces allowed");
        Api.Response namedGate = api.post("/api/v1/policies/evaluate", owner, Map.of("domain", domain,
                "product", "people", "version", "1.1.0", "bundle", badName));
        assertThat(namedGate.status()).as(namedGate.body()).isEqualTo(400);
        assertThat(namedGate.json().at("/errors/0/field").asString())
                .isEqualTo("bundle[1].schema[0].properties[1].name");
        Api.Response both = api.post("/api/v1/policies/evaluate", owner, Map.of("domain", domain,
                "product", "people", "version", "1.1.0", "bundle", bundle, "contract", bundle.get(1)));
        assertThat(both.status()).isEqualTo(400);
        assertThat(api.get(versionPath(domain, "people", "1.1.0"), owner).status()).isEqualTo(404);

        // Deprecated with a sunset: every document of the version says so, as its data reads do.
        Api.Response deprecated = api.post(versionPath(domain, "people", "1.0.0") + "/transitions", owner,
                Map.of("to", "DEPRECATED", "sunset", "2099-06-30T00:00:00Z"));
        assertThat(deprecated.status()).as(deprecated.body()).isEqualTo(200);
        for (String document : List.of("", "/descriptor", "/contract", "/data-product", "/bundle")) {
            Api.Response read = api.request("GET", versionPath(domain, "people", "1.0.0") + document).token(owner)
                    .header("Accept", JSON).send();
            assertThat(read.status()).as(document).isEqualTo(200);
            assertThat(read.header("Deprecation")).as(document).matches("@\\d+");
            assertThat(read.header("Sunset")).as(document).isEqualTo("Tue, 30 Jun 2099 00:00:00 GMT");
        }
        assertThat(bundle(domain, "people", "1.0.0", owner).at("/0/status").asString()).isEqualTo("deprecated");
    }

    private ArrayNode bundle(String domain, String product, String version, String key) {
        Api.Response response = api.request("GET", bundlePath(domain, product, version)).token(key)
                .header("Accept", JSON).send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith(JSON);
        return (ArrayNode) response.json();
    }

    private JsonNode descriptor(String domain, String product, String version) {
        return OdcsContractIT.storedDescriptor(api, ADMIN_KEY, domain, product, version);
    }

    private static JsonNode withoutVersion(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        copy.remove("version");
        if (copy.at("/outputPorts/0") instanceof ObjectNode port) {
            port.remove("version");
        }
        if (copy.at("/inputPorts") instanceof ArrayNode ports) {
            ports.forEach(p -> ((ObjectNode) p).remove("version"));
        }
        return copy;
    }

    private static String bundlePath(String domain, String product, String version) {
        return versionPath(domain, product, version) + "/bundle";
    }
}
