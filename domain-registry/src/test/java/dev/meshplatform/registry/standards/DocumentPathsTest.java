package dev.meshplatform.registry.standards;

import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.testsupport.Descriptors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks after an import name descriptor paths; whoever sent documents reads them at their place in the
 * documents, and that place exists in what the descriptor exports.
 */
class DocumentPathsTest {

    private final OdcsMapping contracts = new OdcsMapping();
    private final OdpsMapping products = new OdpsMapping(contracts);
    private final ProductDescriptor complete = Descriptors.complete();

    @Test
    void descriptorPathsNameTheirPlaceInTheContract() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("title", "name"),
                Map.entry("description", "description.purpose"),
                Map.entry("tags[1]", "tags[1]"),
                Map.entry("support[0].url", "support[0].url"),
                Map.entry("owner.team", "team.name"),
                Map.entry("owner.contacts[0].email", "team.members[0].username"),
                Map.entry("schema[1].name", "schema[0].properties[1].name"),
                Map.entry("schema[2].type", "schema[0].properties[2].physicalType"),
                Map.entry("schema[9].fields[1].name", "schema[0].properties[9].properties[1].name"),
                Map.entry("schema[10].items.type", "schema[0].properties[10].items.physicalType"),
                Map.entry("schema[10].items.fields[0].name", "schema[0].properties[10].items.properties[0].name"),
                Map.entry("quality[1].column", "schema[0].properties[0].quality[1]"),
                Map.entry("quality[4].min", "schema[0].quality[0]"),
                Map.entry("quality[5].query", "schema[0].quality[1].query"),
                Map.entry("slos.freshness", "slaProperties"),
                Map.entry("transformation.sql", "customProperties"),
                Map.entry("outputPort.description", "schema[0].description"),
                Map.entry("outputPort.partitioning[0]", "schema[0].properties"));
        ObjectNode exported = contracts.export("sales", "people", "1.0.0", LifecycleStatus.DRAFT, complete, "k:1");
        expected.forEach((descriptorPath, documentPath) -> {
            assertThat(DocumentPaths.inContract(complete, descriptorPath)).as(descriptorPath).isEqualTo(documentPath);
            // The complete descriptor's list holds text, not structs: that one place is checked by name only.
            if (!descriptorPath.contains("items.fields")) {
                assertThat(exported.at(pointer(documentPath)).isMissingNode()).as(documentPath).isFalse();
            }
        });
        assertThat(exported.at(pointer("schema[0].quality[1].query")).asString()).contains("balance");
    }

    @Test
    void inABundleTheProductsFieldsAreInTheProductDocument() {
        ArrayNode bundle = products.exportBundle("sales", "people", "1.0.0", LifecycleStatus.DRAFT, complete, "k:1");
        ArrayNode reversed = bundle.arrayNode().add(bundle.get(1)).add(bundle.get(0));
        var imported = products.readBundle(reversed, "sales", "people", "1.0.0");
        assertThat(imported.documentPath().apply("title")).isEqualTo("[1].name");
        assertThat(imported.documentPath().apply("owner.contacts[0].name")).isEqualTo("[1].team.members[0].name");
        assertThat(imported.documentPath().apply("inputPorts[0].partitions")).isEqualTo("[1].inputPorts[0]");
        assertThat(imported.documentPath().apply("outputPort.name")).isEqualTo("[1].outputPorts[0].name");
        assertThat(imported.documentPath().apply("schema[1].name")).isEqualTo("[0].schema[0].properties[1].name");
        for (String path : List.of("[1].name", "[1].team.members[0].name", "[1].inputPorts[0]",
                "[1].outputPorts[0].name", "[0].schema[0].properties[1].name")) {
            assertThat(reversed.at(pointer(path)).isMissingNode()).as(path).isFalse();
        }
        // A product document without tags leaves them to the contract.
        ObjectNode noTags = ((ObjectNode) bundle.get(0)).deepCopy();
        noTags.remove("tags");
        var fromContract = products.readBundle(bundle.arrayNode().add(noTags).add(bundle.get(1)), "sales", "people",
                "1.0.0");
        assertThat(fromContract.documentPath().apply("tags[0]")).isEqualTo("[1].tags[0]");
    }

    private static String pointer(String path) {
        return "/" + path.replace("[", ".").replace("]", "").replace('.', '/').replaceAll("^/", "");
    }
}
