package dev.meshplatform.registry.standards;

import com.networknt.schema.Schema;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.testsupport.PublishedStandards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;

import static dev.meshplatform.registry.standards.OdcsMappingTest.tree;
import static dev.meshplatform.registry.standards.OdcsMappingTest.withoutServerOwned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The standards' own published examples (test resources {@code published-examples/}, copied from Bitol's
 * repositories): each one the platform can store imports, exports as a valid document of the mapped version and
 * comes back as it went in; each other one is refused for the reason the documentation gives.
 */
class PublishedExamplesTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KAFKA = "127.0.0.1:9092";

    private final OdcsMapping contracts = new OdcsMapping();
    private final OdpsMapping products = new OdpsMapping(contracts);

    @ParameterizedTest
    @ValueSource(strings = {"column-accuracy", "column-completeness", "kafka-schema", "table-column",
            "table-column-description", "table-columns-with-partition"})
    void contractsThePlatformCanStoreRoundTrip(String name) {
        JsonNode original = example(name + ".odcs.yaml");
        OdcsContracts.Imported imported = contracts.read(original, "sales", "example", "1.0.0");
        ObjectNode exported = contracts.export("sales", "example", "1.0.0", LifecycleStatus.PUBLISHED,
                imported.descriptor(), KAFKA);

        assertThat(withoutServerOwned(exported)).isEqualTo(withoutServerOwned((ObjectNode) original));
        OdcsContracts.Imported again = contracts.read(JSON.readTree(JSON.writeValueAsString(exported)), "sales",
                "example", "1.0.0");
        assertThat(tree(again.descriptor())).isEqualTo(tree(imported.descriptor()));
        Schema schema = PublishedStandards.odcsSchema();
        assertThat(schema.validate(exported)).as("%s", exported).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "all-data-types | schema[0].properties[4].physicalType | no type in the platform's tables",
            "column-custom | schema[0].properties[0].quality[0].type | vendor-specific checks",
            "column-validity | schema[0].properties[0].quality[0].unit | the platform counts rows",
            "all-schema-types | schema | one schema object is needed",
            "full-example | schema | one schema object is needed",
            "postgresql-adventureworks-contract | schema | one schema object is needed",
            "basic-four-dpo | schema | one schema object is needed",
            "database-table-sla | schema | one schema object is needed",
            "service-and-operational-roles | schema | one schema object is needed",
            "azure-server | schema | one schema object is needed",
            "kafka-server | schema[0].properties | the table's columns are needed",
            "kafka-schemaregistry | schema[0].properties | the table's columns are needed"})
    void contractsThePlatformCannotStoreAreRefusedWithTheirReason(String name, String path, String reason) {
        assertThatThrownBy(() -> contracts.read(example(name + ".odcs.yaml"), "sales", "example", "1.0.0"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.fieldProblems())
                        .anySatisfy(problem -> {
                            assertThat(problem.field()).isEqualTo(path);
                            assertThat(problem.message()).contains(reason);
                        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple-data-product"})
    void productsThePlatformCanStoreRoundTripWithAContract(String name) {
        JsonNode original = example(name + ".odps.yaml");
        ArrayNode bundle = JsonNodeFactory.instance.arrayNode().add(original)
                .add(fixture("odcs/every-section.yaml"));
        OdcsContracts.Imported imported = products.readBundle(bundle, "sales", "example", "1.0.0");
        // Its input ports name contracts of no product here: kept as given, with a warning, not read by runs.
        assertThat(imported.descriptor().inputPorts()).isEmpty();
        assertThat(imported.warnings()).anyMatch(w -> w.startsWith("[0].inputPorts[0]: contract '"));

        ArrayNode exported = products.exportBundle("sales", "example", "1.0.0", LifecycleStatus.PUBLISHED,
                imported.descriptor(), KAFKA);
        assertThat(withoutServerOwnedProduct(exported.get(0))).isEqualTo(withoutServerOwnedProduct(original));
        assertThat(tree(products.readBundle(JSON.readTree(JSON.writeValueAsString(exported)), "sales", "example",
                "1.0.0").descriptor())).isEqualTo(tree(imported.descriptor()));
        assertThat(PublishedStandards.odpsSchema().validate(exported.get(0))).as("%s", exported.get(0)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer-data-product"})
    void productsWithSeveralOutputPortsAreRefused(String name) {
        ArrayNode bundle = JsonNodeFactory.instance.arrayNode().add(example(name + ".odps.yaml"))
                .add(fixture("odcs/every-section.yaml"));
        assertThatThrownBy(() -> products.readBundle(bundle, "sales", "example", "1.0.0"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.fieldProblems())
                        .extracting(RegistryException.FieldProblem::field).containsExactly("[0].outputPorts"));
    }

    private static JsonNode withoutServerOwnedProduct(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        for (String key : new String[]{"apiVersion", "kind", "id", "version", "status", "domain"}) {
            copy.remove(key);
        }
        if (copy.at("/outputPorts/0") instanceof ObjectNode port) {
            for (String key : new String[]{"type", "version", "contractId", "inputContracts"}) {
                port.remove(key);
            }
        }
        return JSON.readTree(JSON.writeValueAsString(copy));
    }

    private static JsonNode example(String name) {
        return fixture("published-examples/" + name);
    }

    private static JsonNode fixture(String path) {
        try (InputStream in = PublishedExamplesTest.class.getResourceAsStream("/" + path)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
