package dev.meshplatform.app.openapi;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks every example of an OpenAPI 3.1 document against the schema it illustrates, as the standard OAS lint
 * rules do ({@code oas3-valid-media-example}, {@code oas3-valid-schema-example}): parameter examples, and request
 * and response examples of every media type (a YAML example is read as YAML first; CSV and NDJSON examples are
 * strings). Formats such as {@code date-time} and {@code uri} are asserted, not just annotated.
 */
final class ExampleConformance {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    private final JsonNode document;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                    .build()));
    private final JsonMapper json = JsonMapper.builder().build();
    private final YAMLMapper yaml = YAMLMapper.builder().build();
    private final List<String> mismatches = new ArrayList<>();
    private int checked;

    private ExampleConformance(JsonNode document) {
        this.document = document;
    }

    /** Checks the whole document. */
    static ExampleConformance of(JsonNode document) {
        ExampleConformance conformance = new ExampleConformance(document);
        conformance.checkAll();
        return conformance;
    }

    /** Each example that does not match its schema: where it is and why. */
    List<String> mismatches() {
        return mismatches;
    }

    /** How many examples were checked. */
    int checked() {
        return checked;
    }

    private void checkAll() {
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!METHODS.contains(method.getKey())) {
                    continue;
                }
                JsonNode operation = method.getValue();
                String id = operation.path("operationId").asString(method.getKey() + " " + path.getKey());
                for (JsonNode parameter : operation.path("parameters")) {
                    if (parameter.has("example")) {
                        check(id + " parameter " + parameter.path("name").asString(), parameter.path("schema"),
                                parameter.get("example"));
                    }
                }
                checkContent(id + " request", operation.path("requestBody").path("content"));
                for (Map.Entry<String, JsonNode> response : operation.path("responses").properties()) {
                    checkContent(id + " response " + response.getKey(), response.getValue().path("content"));
                }
            }
        }
    }

    private void checkContent(String where, JsonNode content) {
        for (Map.Entry<String, JsonNode> media : content.properties()) {
            JsonNode example = media.getValue().get("example");
            if (example == null || !media.getValue().has("schema")) {
                continue;
            }
            String type = media.getKey();
            if (type.contains("yaml") && example.isString()) {
                try {
                    example = yaml.readTree(example.asString());
                } catch (RuntimeException notYaml) {
                    mismatches.add(where + " " + type + ": the example is not YAML: " + notYaml.getMessage());
                    continue;
                }
            }
            check(where + " " + type, media.getValue().get("schema"), example);
        }
    }

    private void check(String where, JsonNode schema, JsonNode example) {
        checked++;
        // The schema is checked inside a document that carries the components its $refs point into.
        ObjectNode root = json.createObjectNode();
        root.set("components", document.path("components"));
        root.putArray("allOf").add(schema);
        Schema validator = registry.getSchema(root);
        for (Error error : validator.validate(example)) {
            mismatches.add(where + ": " + error.getInstanceLocation() + " " + error.getMessage());
        }
    }
}
