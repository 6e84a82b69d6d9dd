package dev.meshplatform.registry.standards;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.testsupport.Descriptors;
import dev.meshplatform.registry.testsupport.PublishedStandards;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.meshplatform.registry.standards.OdcsMappingTest.canonical;
import static dev.meshplatform.registry.standards.OdcsMappingTest.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The ODPS mapping and the ODPS + ODCS bundle both ways: generated descriptors survive the bundle unchanged, a bundle
 * using every section of both standards comes back as it went in, refusals name the document and its path, and every
 * product export validates against the published ODPS v1.0.0 JSON Schema when it is at hand.
 */
class OdpsMappingTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String KAFKA = "127.0.0.1:9092";

    private final OdcsMapping contracts = new OdcsMapping();
    private final OdpsMapping mapping = new OdpsMapping(contracts);

    @Test
    void descriptorsSurviveTheBundleUnchanged() {
        assertRoundTrip(Descriptors.complete());
        assertRoundTrip(Descriptors.minimal("People"));
        Random random = new Random(20261129L);
        for (int i = 0; i < 300; i++) {
            assertRoundTrip(new DescriptorGenerator(random).descriptor());
        }
    }

    @Test
    void everyProductExportValidatesAgainstThePublishedSchema() {
        Schema schema = PublishedStandards.odpsSchema();
        Random random = new Random(11L);
        List<ObjectNode> exports = new ArrayList<>();
        exports.add(mapping.export("sales", "people", "1.0.0", LifecycleStatus.PUBLISHED, Descriptors.complete()));
        exports.add(mapping.export("sales", "people", "0.1.0", LifecycleStatus.DRAFT, Descriptors.minimal("P")));
        for (int i = 0; i < 100; i++) {
            exports.add(mapping.export("sales", "p-" + i, "2.1.0", LifecycleStatus.values()[i % 4],
                    new DescriptorGenerator(random).descriptor()));
        }
        OdcsContracts.Imported fixture = mapping.readBundle(everySection(), "sales", "orders", "1.2.0");
        exports.add(mapping.export("sales", "orders", "1.2.0", LifecycleStatus.PUBLISHED, fixture.descriptor()));
        for (ObjectNode export : exports) {
            List<Error> errors = schema.validate(export);
            assertThat(errors).as("%s", export).isEmpty();
        }
        // The check can fail: a document without its id, with an unknown key on the output port, is refused.
        ObjectNode broken = exports.get(0).deepCopy();
        broken.remove("id");
        ((ObjectNode) broken.at("/outputPorts/0")).put("colour", "red");
        assertThat(schema.validate(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aBundleWithEverySectionComesBackAsItWentIn() {
        ArrayNode original = everySection();
        OdcsContracts.Imported imported = mapping.readBundle(original, "sales", "orders", "1.2.0");
        ProductDescriptor d = imported.descriptor();

        // The product document decides the product's own fields, the contract the rest.
        assertThat(d.title()).isEqualTo("Web shop orders");
        assertThat(d.description()).startsWith("Every order placed in the web shop, as the sales domain");
        assertThat(d.tags()).containsExactly("sales", "orders", "gold");
        assertThat(d.inputPorts()).extracting(InputPort::name, InputPort::type, InputPort::purpose).containsExactly(
                tuple("customers", InputPort.Type.PRODUCT, "order-enrichment"),
                tuple("events", InputPort.Type.KAFKA, null));
        assertThat(d.inputPorts().get(1).partitions()).isEqualTo(6);
        assertThat(d.outputPort().name()).isEqualTo("orders");
        assertThat(d.outputPort().description()).isEqualTo("one row per order, partitioned by day");
        assertThat(d.outputPort().partitioning()).containsExactly("day(placed_at)");
        assertThat(d.owner().contacts()).hasSize(2);
        assertThat(d.customProperties()).containsEntry("businessCriticality", "high")
                .containsKeys(OdcsContracts.KEPT, OdpsMapping.KEPT);
        assertThat(d.schema()).hasSize(7);
        assertThat(imported.warnings()).anyMatch(w -> w.startsWith("[0].status:"))
                .anyMatch(w -> w.startsWith("[1].status:"))
                .anyMatch(w -> w.startsWith("[0].managementPorts: kept as given"))
                .anyMatch(w -> w.startsWith("[0].outputPorts[0].contractId: 'sales-orders-contract' ignored"))
                .noneMatch(w -> w.startsWith("[0].kind") || w.startsWith("[1].kind"));

        ArrayNode exported = mapping.exportBundle("sales", "orders", "1.2.0", LifecycleStatus.PUBLISHED, d, KAFKA);
        assertThat(productWithoutServerOwned(exported.get(0)))
                .isEqualTo(productWithoutServerOwned(original.get(0)));
        // The contract's own title and description, which the product document overrode, come back too.
        assertThat(OdcsMappingTest.withoutServerOwned((ObjectNode) exported.get(1)))
                .isEqualTo(OdcsMappingTest.withoutServerOwned((ObjectNode) original.get(1)));
        assertThat(exported.get(0).get("status").asString()).isEqualTo("active");
        assertThat(exported.at("/0/outputPorts/0/contractId").asString())
                .isEqualTo(exported.at("/1/id").asString()).isEqualTo("sales/orders/v1");

        // A Kafka port's contract id and version are the product's own: another product's import keeps neither.
        ProductDescriptor elsewhere = mapping.readBundle(exported, "sales", "web-orders", "2.0.0").descriptor();
        assertThat(tree(elsewhere).at("/customProperties/odps/set").toString())
                .doesNotContain("/inputPorts/1/contractId", "/inputPorts/1/version");

        // And the stored descriptor is the same after one more trip, in either order of the documents.
        ArrayNode reversed = JsonNodeFactory.instance.arrayNode().add(exported.get(1)).add(exported.get(0));
        assertThat(tree(mapping.readBundle(exported, "sales", "orders", "1.2.0").descriptor())).isEqualTo(tree(d));
        assertThat(tree(mapping.readBundle(reversed, "sales", "orders", "1.2.0").descriptor())).isEqualTo(tree(d));
    }

    @Test
    void newerMinorsKeepTheirNewFieldsAsCustomPropertiesAndExportAsTheMappedVersions() {
        ArrayNode newer = everySection();
        ((ObjectNode) newer.get(0)).put("apiVersion", "v1.1.0").putObject("marketplace").put("listed", true);
        ((ObjectNode) newer.get(1)).put("apiVersion", "v3.2.0").put("contractOwner", "sales-lead");
        OdcsContracts.Imported imported = mapping.readBundle(newer, "sales", "orders", "1.2.0");
        assertThat(imported.warnings())
                .contains("[0].apiVersion: v1.1.0 is read as v1.0, the version exports declare",
                        "[0].marketplace: not in v1.0, kept as the custom property v1.1.0.marketplace",
                        "[1].contractOwner: not in v3.1, kept as the custom property v3.2.0.contractOwner");

        ArrayNode exported = mapping.exportBundle("sales", "orders", "1.2.0", LifecycleStatus.PUBLISHED,
                imported.descriptor(), KAFKA);
        assertThat(exported.at("/0/apiVersion").asString()).isEqualTo("v1.0.0");
        assertThat(exported.at("/1/apiVersion").asString()).isEqualTo("v3.1.0");
        assertThat(exported.get(0).get("customProperties").toString())
                .contains("{\"property\":\"v1.1.0.marketplace\",\"value\":{\"listed\":true}}");
        assertThat(exported.get(1).get("customProperties").toString())
                .contains("{\"property\":\"v3.2.0.contractOwner\",\"value\":\"sales-lead\"}");
        assertThat(tree(mapping.readBundle(exported, "sales", "orders", "1.2.0").descriptor()))
                .isEqualTo(tree(imported.descriptor()));
        assertThat(PublishedStandards.odpsSchema().validate(exported.get(0))).isEmpty();
        assertThat(PublishedStandards.odcsSchema().validate(exported.get(1))).isEmpty();
        // Asked for, the export is a document of the newer minor again, its new fields where they were.
        ObjectNode asNewer = mapping.asVersion((ObjectNode) exported.get(0), "v1.1.0");
        assertThat(asNewer.get("apiVersion").asString()).isEqualTo("v1.1.0");
        assertThat(asNewer.at("/marketplace/listed").asBoolean()).isTrue();
        assertThat(asNewer.get("customProperties").toString()).doesNotContain("marketplace");
        ObjectNode contractAsNewer = contracts.asVersion((ObjectNode) exported.get(1), "v3.2.0");
        assertThat(contractAsNewer.get("contractOwner").asString()).isEqualTo("sales-lead");
        assertThat(contracts.asVersion((ObjectNode) exported.get(1), "v3.1.0")).isEqualTo(exported.get(1));
        for (String refused : List.of("v2.0.0", "v3.0.2", "latest")) {
            assertThatThrownBy(() -> contracts.asVersion((ObjectNode) exported.get(1), refused))
                    .isInstanceOf(RegistryException.class);
        }

        // A contract alone of a newer minor too.
        OdcsContracts.Imported contract = contracts.read(newer.get(1), "sales", "orders", "1.2.0");
        assertThat(contracts.export("sales", "orders", "1.2.0", LifecycleStatus.PUBLISHED, contract.descriptor(),
                KAFKA).get("customProperties").toString()).contains("v3.2.0.contractOwner");
    }

    @Test
    void whatThePlatformCannotHonourIsRefusedWithTheDocumentAndItsPath() {
        JsonNode product = everySection().get(0);
        JsonNode contract = everySection().get(1);
        assertRefused(JsonNodeFactory.instance.objectNode(), "$");
        assertRefused(bundle(product), "$");
        assertRefused(bundle(contract), "$");
        assertRefused(bundle(product, contract, product), "[2].kind");
        assertRefused(bundle(product, JsonNodeFactory.instance.objectNode().put("kind", "Contract")), "[1].kind",
                "$");

        ObjectNode wrong = (ObjectNode) product.deepCopy();
        wrong.put("apiVersion", "v2.0.0");
        ((ObjectNode) wrong.at("/inputPorts/0")).put("contractId", "3fa85f64-5717-4562-b3fc-2c963f66afa6");
        ((ObjectNode) wrong.at("/inputPorts/1/customProperties/0/value")).put("partitions", "many");
        ((ArrayNode) wrong.get("outputPorts")).add(wrong.at("/outputPorts/0").deepCopy());
        wrong.put("name", 42);
        // The first input port's unknown contract is documentation (a warning), not a refusal.
        assertRefused(bundle(contract, wrong), "[1].apiVersion", "[1].inputPorts[1].customProperties",
                "[1].outputPorts", "[1].name");

        // The contract's refusals are placed in the bundle too.
        assertRefused(bundle(product, fixture("odcs/refused.yaml")),
                "[1].schema[0].properties[0].logicalType",
                "[1].schema[0].properties[1].classification",
                "[1].schema[0].properties[1].quality[0].type",
                "[1].schema[0].properties[2].quality[0].metric",
                "[1].schema[0].properties[2].quality[1].mustBeGreaterThan");
    }

    private void assertRefused(JsonNode bundle, String... paths) {
        assertThatThrownBy(() -> mapping.readBundle(bundle, "sales", "orders", "1.2.0"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo("validation-failed");
                    assertThat(e.fieldProblems()).extracting(RegistryException.FieldProblem::field)
                            .containsExactlyInAnyOrder(paths);
                });
    }

    @Test
    void aDraftsBundleSentBackSaysNothing() {
        ArrayNode bundle = mapping.exportBundle("sales", "people", "1.0.0", LifecycleStatus.DRAFT,
                Descriptors.complete(), KAFKA);
        assertThat(mapping.readBundle(bundle, "sales", "people", "1.0.0").warnings()).isEmpty();
    }

    private void assertRoundTrip(ProductDescriptor descriptor) {
        ArrayNode exported = mapping.exportBundle("sales", "people", "1.4.2", LifecycleStatus.PUBLISHED, descriptor,
                KAFKA);
        // Through text, as a client would hold it.
        JsonNode reread = JSON.readTree(JSON.writeValueAsString(exported));
        OdcsContracts.Imported imported = mapping.readBundle(reread, "sales", "people", "1.4.2");
        assertThat(canonical(imported.descriptor())).as("%s", exported).isEqualTo(canonical(descriptor));
        assertThat(imported.descriptor().customProperties()).doesNotContainKeys(OdcsContracts.KEPT, OdpsMapping.KEPT);
    }

    private static ArrayNode bundle(JsonNode... documents) {
        ArrayNode bundle = JsonNodeFactory.instance.arrayNode();
        for (JsonNode document : documents) {
            bundle.add(document.deepCopy());
        }
        return bundle;
    }

    private static ArrayNode everySection() {
        return bundle(fixture("odps/every-section.yaml"), fixture("odcs/every-section.yaml"));
    }

    private static JsonNode productWithoutServerOwned(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        for (String key : List.of("apiVersion", "kind", "id", "version", "status", "domain")) {
            copy.remove(key);
        }
        for (String key : List.of("type", "version", "contractId", "inputContracts")) {
            ((ObjectNode) copy.at("/outputPorts/0")).remove(key);
        }
        return JSON.readTree(JSON.writeValueAsString(copy));
    }

    private static JsonNode fixture(String name) {
        try (InputStream in = OdpsMappingTest.class.getResourceAsStream("/" + name)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
