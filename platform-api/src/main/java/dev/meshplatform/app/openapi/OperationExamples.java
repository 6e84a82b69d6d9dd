package dev.meshplatform.app.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts an example on every operation of the OpenAPI document: its parameters, its request body (JSON, and YAML
 * where it accepts YAML, the same document) and its responses, from {@code openapi/examples.json}, so that Swagger
 * UI's "Try it out" starts from a body that works.
 */
@Component
class OperationExamples implements OpenApiCustomizer {

    private final JsonNode parameters;
    private final JsonNode shared;
    private final JsonNode operations;
    private final JsonMapper json = JsonMapper.builder().build();

    OperationExamples() {
        try (InputStream in = new ClassPathResource("openapi/examples.json").getInputStream()) {
            JsonNode root = json.readTree(in);
            this.parameters = root.get("parameters");
            this.shared = root.get("shared");
            this.operations = root.get("operations");
        } catch (IOException e) {
            throw new UncheckedIOException("openapi/examples.json is part of the application", e);
        }
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(this::decorate));
    }

    private void decorate(Operation operation) {
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if ("If-Match".equalsIgnoreCase(parameter.getName())) {
                    // No example: Swagger UI would send it, and a made-up revision fails as 412.
                    parameter.setDescription("the ETag of your last read of this resource, such as \"3\"; "
                            + "empty to skip the check");
                    continue;
                }
                JsonNode example = parameters.get(parameter.getName());
                if (example != null && parameter.getExample() == null) {
                    parameter.setExample(plain(example));
                }
            }
        }
        JsonNode examples = operations.get(operation.getOperationId());
        if (examples == null) {
            return;
        }
        if (examples.has("request") && operation.getRequestBody() != null) {
            setExamples(operation.getRequestBody().getContent(), resolve(examples.get("request")));
        }
        if (operation.getResponses() == null) {
            return;
        }
        JsonNode responses = examples.get("responses");
        for (Map.Entry<String, ApiResponse> response : operation.getResponses().entrySet()) {
            JsonNode example = responses == null ? null : responses.get(response.getKey());
            if (example != null) {
                setExamples(response.getValue().getContent(), resolve(example));
            }
        }
    }

    private void setExamples(Content content, JsonNode example) {
        if (content == null) {
            return;
        }
        for (Map.Entry<String, MediaType> media : content.entrySet()) {
            // springdoc may share one MediaType between several media types: each gets its own example.
            MediaType shared = media.getValue();
            media.setValue(new MediaType().schema(shared.getSchema()).encoding(shared.getEncoding())
                    .extensions(shared.getExtensions()));
            // A YAML body's example is the document itself, as OAS asks; JSON text is YAML too, so Swagger UI's
            // "Try it out" sends it as it shows it.
            if (media.getKey().contains("csv") && example.has("columns") && example.has("rows")) {
                media.getValue().setExample(csv(example));
            } else if (media.getKey().contains("ndjson") && example.isArray()) {
                StringBuilder lines = new StringBuilder();
                example.forEach(e -> lines.append(e.toString()).append('\n'));
                media.getValue().setExample(lines.toString());
            } else {
                media.getValue().setExample(plain(example));
            }
        }
    }

    /** A page of rows ({@code columns}, {@code rows}) as the CSV the data endpoint streams. */
    private static String csv(JsonNode page) {
        StringBuilder text = new StringBuilder();
        List<String> columns = new ArrayList<>();
        page.get("columns").forEach(c -> columns.add(c.asString()));
        text.append(String.join(",", columns)).append("\r\n");
        page.get("rows").forEach(row -> text.append(String.join(",",
                columns.stream().map(c -> row.path(c).isNull() ? "" : row.path(c).asString()).toList())).append("\r\n"));
        return text.toString();
    }

    private Object plain(JsonNode node) {
        return json.convertValue(node, Object.class);
    }

    // "$name" strings stand for the shared example of that name.
    private JsonNode resolve(JsonNode node) {
        if (node.isString() && node.asString().startsWith("$")) {
            return resolve(shared.get(node.asString().substring(1)));
        }
        if (node.isObject()) {
            ObjectNode copy = json.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), resolve(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = json.createArrayNode();
            node.forEach(e -> copy.add(resolve(e)));
            return copy;
        }
        return node;
    }
}
