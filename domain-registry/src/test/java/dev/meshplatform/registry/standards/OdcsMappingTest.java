package dev.meshplatform.registry.standards;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.meshplatform.registry.api.Contact;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.OutputPort;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.Transformation;
import dev.meshplatform.registry.testsupport.Descriptors;
import dev.meshplatform.registry.testsupport.PublishedStandards;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ODCS mapping both ways: generated descriptors survive export and import unchanged, an ODCS document using every
 * section comes back as it went in, refusals name the document's path, and every export validates against the
 * published ODCS v3.1.0 JSON Schema when it is at hand.
 */
class OdcsMappingTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String KAFKA = "127.0.0.1:9092";

    private final OdcsMapping mapping = new OdcsMapping();

    @Test
    void theCompleteDescriptorSurvivesExportAndImport() {
        assertRoundTrip(Descriptors.complete());
    }

    @Test
    void generatedDescriptorsSurviveExportAndImport() {
        Random random = new Random(20260612L);
        for (int i = 0; i < 300; i++) {
            assertRoundTrip(new DescriptorGenerator(random).descriptor());
        }
    }

    @Test
    void everyExportValidatesAgainstThePublishedSchema() {
        Schema schema = PublishedStandards.odcsSchema();
        Random random = new Random(7L);
        List<ObjectNode> exports = new ArrayList<>();
        exports.add(mapping.export("sales", "people", "1.0.0", LifecycleStatus.PUBLISHED, Descriptors.complete(),
                KAFKA));
        exports.add(mapping.export("sales", "people", "0.1.0", LifecycleStatus.DRAFT, Descriptors.minimal("P"),
                KAFKA));
        for (int i = 0; i < 100; i++) {
            exports.add(mapping.export("sales", "p-" + i, "2.1.0", LifecycleStatus.values()[i % 4],
                    new DescriptorGenerator(random).descriptor(), KAFKA));
        }
        OdcsContracts.Imported fixture = mapping.read(fixture("every-section.yaml"), "sales", "orders", "1.2.0");
        exports.add(mapping.export("sales", "orders", "1.2.0", LifecycleStatus.PUBLISHED, fixture.descriptor(),
                KAFKA));
        for (ObjectNode export : exports) {
            List<Error> errors = schema.validate(export);
            assertThat(errors).as("%s", export).isEmpty();
        }
        // The check can fail: a document without its status, with an unknown key on a property, is refused.
        ObjectNode broken = exports.get(0).deepCopy();
        broken.remove("status");
        ((ObjectNode) broken.at("/schema/0/properties/0")).put("colour", "red");
        assertThat(schema.validate(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aDocumentWithEverySectionComesBackAsItWentIn() {
        JsonNode original = fixture("every-section.yaml");
        OdcsContracts.Imported imported = mapping.read(original, "sales", "orders", "1.2.0");

        assertThat(imported.descriptor().title()).isEqualTo("Orders");
        assertThat(imported.descriptor().schema()).extracting(SchemaField::type).containsExactly(
                "long", "timestamp", "decimal(12,2)", "string", "struct", "list", "boolean");
        assertThat(imported.descriptor().outputPort().partitioning()).containsExactly("day(placed_at)");
        assertThat(imported.descriptor().quality()).extracting(QualityRule::type).containsExactlyInAnyOrder(
                QualityRule.Type.NOT_NULL, QualityRule.Type.UNIQUE, QualityRule.Type.RANGE,
                QualityRule.Type.ACCEPTED_VALUES, QualityRule.Type.ROW_COUNT, QualityRule.Type.SQL);
        assertThat(imported.descriptor().slos().freshness()).isEqualTo("PT4H");
        assertThat(imported.descriptor().retention().period()).isEqualTo("P3Y");
        assertThat(imported.descriptor().transformation().schedule()).isEqualTo("0 * * * *");
        assertThat(imported.warnings()).anyMatch(w -> w.startsWith("status:"))
                .anyMatch(w -> w.contains("text check"));

        ObjectNode exported = mapping.export("sales", "orders", "1.2.0", LifecycleStatus.PUBLISHED,
                imported.descriptor(), KAFKA);
        assertThat(withoutServerOwned(exported)).isEqualTo(withoutServerOwned((ObjectNode) original));
        assertThat(exported.get("status").asString()).isEqualTo("active");
        assertThat(exported.get("id").asString()).isEqualTo("sales/orders/v1");

        // And the stored descriptor is the same after one more trip.
        OdcsContracts.Imported again = mapping.read(exported, "sales", "orders", "1.2.0");
        assertThat(tree(again.descriptor())).isEqualTo(tree(imported.descriptor()));
    }

    @Test
    void keptPartsWrittenByHandIntoADescriptorNeverBreakTheExports() {
        // A domain may write the kept parts itself (PUT …/versions/{v} with customProperties.odcs): a corpus of
        // hostile ones still exports, in both standards.
        List<String> pointers = new ArrayList<>(List.of("/", "//", "/~", "/~2", "/a~", "/-", "/0", "/schema/-",
                "/schema/99/name", "/schema/0/properties/x", "/status/deeper", "/name/0", "/team/members/-1",
                "/customProperties/0/value/a/b", "/servers/0/host", "/" + "a/".repeat(5000) + "b"));
        List<Object> values = List.of("x", 1, List.of(1, 2), Map.of("k", "v"), true);
        OdpsMapping products = new OdpsMapping(mapping);
        for (int i = 0; i < pointers.size(); i++) {
            Map<String, Object> kept = Map.of("set", Map.of(pointers.get(i), values.get(i % values.size())),
                    "remove", List.of(pointers.get((i + 1) % pointers.size())));
            ProductDescriptor base = Descriptors.complete();
            Map<String, Object> custom = new LinkedHashMap<>(base.customProperties());
            custom.put(OdcsContracts.KEPT, kept);
            custom.put(dev.meshplatform.registry.api.OdpsProducts.KEPT, i % 2 == 0 ? kept : "not a delta");
            ProductDescriptor hostile = new ProductDescriptor(base.title(), base.description(), base.owner(),
                    base.support(), base.tags(), base.inputPorts(), base.outputPort(), base.schema(), base.slos(),
                    base.quality(), base.transformation(), base.retention(), custom);
            assertThat(products.exportBundle("sales", "people", "1.0.0", LifecycleStatus.PUBLISHED, hostile, KAFKA))
                    .as(pointers.get(i)).hasSize(2);
        }
    }

    @Test
    void unnamedChecksAndDecimalsWithoutScaleReadAsTheirStandardSays() {
        ObjectNode document = mapping.export("sales", "people", "1.0.0", LifecycleStatus.DRAFT,
                Descriptors.minimal("P"), KAFKA);
        ObjectNode table = (ObjectNode) document.at("/schema/0");
        ArrayNode checks = table.putArray("quality");
        checks.addObject().put("type", "sql").put("query", "SELECT count(*) FROM ${object}")
                .put("mustBeGreaterOrEqualTo", 1);
        checks.addObject().put("type", "sql").put("query", "SELECT count(*) FROM ${object} WHERE id IS NULL")
                .put("mustBe", 0);
        ((ArrayNode) table.get("properties")).addObject().put("name", "amount").put("logicalType", "number")
                .put("physicalType", "DECIMAL(38)");
        OdcsContracts.Imported imported = mapping.read(document, "sales", "people", "1.0.0");
        assertThat(imported.descriptor().quality()).extracting(QualityRule::name).containsExactly("sql", "sql-2");
        assertThat(imported.descriptor().schema().get(imported.descriptor().schema().size() - 1).type())
                .isEqualTo("decimal(38,0)");
        ObjectNode exported = mapping.export("sales", "people", "1.0.0", LifecycleStatus.DRAFT,
                imported.descriptor(), KAFKA);
        assertThat(withoutServerOwned(exported)).isEqualTo(withoutServerOwned(document));

        // A check on a property names it with the standard's placeholders; on the table they name nothing.
        ObjectNode onProperty = (ObjectNode) table.get("properties").get(0);
        onProperty.putArray("quality").addObject().put("type", "sql")
                .put("query", "SELECT count(*) FROM ${table} WHERE ${column} IS NULL").put("mustBe", 0);
        OdcsContracts.Imported placeholders = mapping.read(document, "sales", "people", "1.0.0");
        String column = onProperty.get("name").asString();
        assertThat(placeholders.descriptor().quality()).extracting(QualityRule::query)
                .contains("SELECT count(*) FROM output WHERE " + column + " IS NULL");
        onProperty.remove("quality");
        ((ObjectNode) checks.get(0)).put("query", "SELECT count(*) FROM ${object} WHERE ${property} > 1");
        assertThatThrownBy(() -> mapping.read(document, "sales", "people", "1.0.0"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.fieldProblems())
                        .extracting(RegistryException.FieldProblem::field).containsExactly("schema[0].quality[0].query"));
        ((ObjectNode) checks.get(0)).put("query", "SELECT count(*) FROM ${object}");

        ((ObjectNode) table.get("properties").get(table.get("properties").size() - 1)).put("physicalType", "numeric");
        assertThatThrownBy(() -> mapping.read(document, "sales", "people", "1.0.0"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.fieldProblems())
                        .extracting(RegistryException.FieldProblem::field).contains(
                                "schema[0].properties[" + (table.get("properties").size() - 1) + "].physicalType"));
    }

    @Test
    void keptPartsFollowTheirColumnAndGiveWayToTheDescriptorsChanges() {
        ObjectNode document = mapping.export("sales", "orders", "1.0.0", LifecycleStatus.DRAFT,
                Descriptors.minimal("Orders"), KAFKA);
        ArrayNode properties = (ArrayNode) document.at("/schema/0/properties");
        properties.removeAll();
        properties.addObject().put("name", "id").put("logicalType", "integer").put("physicalType", "bigint");
        properties.addObject().put("name", "code").put("logicalType", "string").put("physicalType", "VARCHAR(10)")
                .put("businessName", "Code");
        properties.addObject().put("name", "amount").put("logicalType", "integer").put("physicalType", "bigint");
        ProductDescriptor imported = mapping.read(document, "sales", "orders", "1.0.0").descriptor();

        // A year later the team drops id and makes amount a decimal, carrying the kept parts along.
        List<SchemaField> schema = new ArrayList<>(imported.schema());
        schema.remove(0);
        SchemaField amount = schema.get(1);
        schema.set(1, new SchemaField(amount.name(), "decimal(12,2)", amount.required(), amount.description(),
                amount.classification(), amount.tags(), amount.fields(), amount.items()));
        ProductDescriptor edited = new ProductDescriptor(imported.title(), imported.description(), imported.owner(),
                imported.support(), imported.tags(), imported.inputPorts(), imported.outputPort(), schema,
                imported.slos(), imported.quality(), imported.transformation(), imported.retention(),
                imported.customProperties());
        ObjectNode exported = mapping.export("sales", "orders", "1.1.0", LifecycleStatus.DRAFT, edited, KAFKA);

        // code keeps what was kept for it, at its new place; amount shows the descriptor's type, nothing of code's.
        assertThat(exported.at("/schema/0/properties/0/name").asString()).isEqualTo("code");
        assertThat(exported.at("/schema/0/properties/0/physicalType").asString()).isEqualTo("VARCHAR(10)");
        assertThat(exported.at("/schema/0/properties/0/businessName").asString()).isEqualTo("Code");
        assertThat(exported.at("/schema/0/properties/1/physicalType").asString()).isEqualTo("decimal(12,2)");
        assertThat(exported.at("/schema/0/properties/1").has("businessName")).isFalse();
        assertThat(mapping.read(exported, "sales", "orders", "1.1.0").descriptor().schema())
                .extracting(SchemaField::type).containsExactly("string", "decimal(12,2)");

        // A kept physical type whose column the descriptor has retyped since gives way.
        SchemaField code = schema.get(0);
        schema.set(0, new SchemaField(code.name(), "long", code.required(), code.description(),
                code.classification(), code.tags(), code.fields(), code.items()));
        ObjectNode retyped = mapping.export("sales", "orders", "1.2.0", LifecycleStatus.DRAFT, new ProductDescriptor(
                edited.title(), edited.description(), edited.owner(), edited.support(), edited.tags(),
                edited.inputPorts(), edited.outputPort(), schema, edited.slos(), edited.quality(),
                edited.transformation(), edited.retention(), edited.customProperties()), KAFKA);
        assertThat(retyped.at("/schema/0/properties/0/physicalType").asString()).isEqualTo("bigint");
        assertThat(retyped.at("/schema/0/properties/0/businessName").asString()).isEqualTo("Code");
    }

    @Test
    void serverOwnedFieldsWarnOnlyWhenTheyDisagree() {
        ObjectNode draft = mapping.export("sales", "people", "1.0.0", LifecycleStatus.DRAFT, Descriptors.complete(),
                KAFKA);
        assertThat(mapping.read(draft, "sales", "people", "1.0.0").warnings()).isEmpty();
        ObjectNode published = mapping.export("sales", "people", "1.0.0", LifecycleStatus.PUBLISHED,
                Descriptors.complete(), KAFKA);
        assertThat(mapping.read(published, "sales", "copy", "1.0.1").warnings()).containsExactlyInAnyOrder(
                "id: 'sales/people/v1' ignored, the server's is 'sales/copy/v1'",
                "dataProduct: 'people' ignored, the server's is 'copy'",
                "version: '1.0.0' ignored, the server's is '1.0.1'",
                "schema[0].name: 'people_v1' ignored, the server's is 'copy_v1'",
                "schema[0].physicalName: 'sales.people_v1' ignored, the server's is 'sales.copy_v1'",
                "servers: ignored, the platform names the topic and table",
                "status: 'active' ignored, the server keeps the lifecycle status: an applied version is a draft "
                        + "until a transition publishes it");
    }

    @Test
    void runResultsAnExportCarriesAreTheServersAndIgnoredOnImport() {
        ObjectNode exported = mapping.export("sales", "people", "1.0.0", LifecycleStatus.PUBLISHED,
                Descriptors.complete(), KAFKA);
        ObjectNode withResults = exported.deepCopy();
        ((tools.jackson.databind.node.ArrayNode) withResults.withArray("customProperties")).addObject()
                .put("property", OdcsContracts.LAST_RUN).putObject("value").put("state", "SUCCEEDED");
        OdcsContracts.Imported imported = mapping.read(withResults, "sales", "people", "1.0.0");
        assertThat(tree(imported.descriptor())).isEqualTo(tree(mapping.read(exported, "sales", "people", "1.0.0")
                .descriptor()));
        assertThat(imported.warnings()).anyMatch(w -> w.contains(OdcsContracts.LAST_RUN + " ignored"));
    }

    @Test
    void whatThePlatformCannotHonourIsRefusedWithTheDocumentsPath() {
        assertThatThrownBy(() -> mapping.read(fixture("refused.yaml"), "sales", "refused", "1.0.0"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo("validation-failed");
                    assertThat(e.fieldProblems()).extracting(RegistryException.FieldProblem::field)
                            .containsExactlyInAnyOrder(
                                    "schema[0].properties[0].logicalType",
                                    "schema[0].properties[1].classification",
                                    "schema[0].properties[1].quality[0].type",
                                    "schema[0].properties[2].quality[0].metric",
                                    "schema[0].properties[2].quality[1].mustBeGreaterThan");
                });
    }

    @Test
    void serversNameTheProductsTopicAndTable() {
        ObjectNode export = mapping.export("sales", "web-orders", "3.0.1", LifecycleStatus.DEPRECATED,
                Descriptors.complete(), KAFKA);
        assertThat(export.get("status").asString()).isEqualTo("deprecated");
        assertThat(export.at("/servers/0/host").asString()).isEqualTo(KAFKA);
        assertThat(export.at("/servers/0/customProperties/0/value").asString()).isEqualTo("sales.web-orders.v3");
        assertThat(export.at("/servers/1/customProperties/0/value").asString()).isEqualTo("sales.web_orders_v3");
        assertThat(export.at("/schema/0/name").asString()).isEqualTo("web_orders_v3");
    }

    private void assertRoundTrip(ProductDescriptor descriptor) {
        ObjectNode exported = mapping.export("sales", "people", "1.4.2", LifecycleStatus.PUBLISHED, descriptor,
                KAFKA);
        // Through text, as a client would hold it.
        JsonNode reread = JSON.readTree(JSON.writeValueAsString(exported));
        OdcsContracts.Imported imported = mapping.read(reread, "sales", "people", "1.4.2");
        assertThat(canonical(imported.descriptor())).as("%s", exported).isEqualTo(canonical(descriptor));
    }

    /** The descriptor as a tree, its quality rules in a fixed order: ODCS groups rules by the column they check. */
    static JsonNode canonical(ProductDescriptor descriptor) {
        ObjectNode tree = (ObjectNode) tree(descriptor);
        if (tree.has("quality")) {
            List<JsonNode> rules = new ArrayList<>();
            tree.get("quality").forEach(rules::add);
            rules.sort(Comparator.comparing(JsonNode::toString));
            tree.putArray("quality").addAll(rules);
        }
        return tree;
    }

    static JsonNode tree(ProductDescriptor descriptor) {
        return JSON.readTree(JSON.writeValueAsString(descriptor));
    }

    static JsonNode withoutServerOwned(ObjectNode document) {
        ObjectNode copy = document.deepCopy();
        for (String key : List.of("apiVersion", "kind", "id", "version", "status", "domain", "dataProduct",
                "servers")) {
            copy.remove(key);
        }
        for (String key : List.of("name", "physicalName", "logicalType", "physicalType")) {
            ((ObjectNode) copy.at("/schema/0")).remove(key);
        }
        // Numbers compared as written: an int and a long 4 are the same document.
        return JSON.readTree(JSON.writeValueAsString(copy));
    }

    private static JsonNode fixture(String name) {
        try (InputStream in = OdcsMappingTest.class.getResourceAsStream("/odcs/" + name)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
