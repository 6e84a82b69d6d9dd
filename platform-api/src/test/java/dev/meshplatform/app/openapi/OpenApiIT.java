package dev.meshplatform.app.openapi;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every operation is in the OpenAPI document with an example, and Swagger UI is served with an Authorize scheme. */
class OpenApiIT extends PlatformIT {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    void everyOperationHasExamplesAndTheBearerScheme() {
        Api.Response docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        JsonNode root = docs.json();
        assertThat(root.path("components").path("securitySchemes").path("bearer").path("scheme").asString())
                .isEqualTo("bearer");

        List<String> operations = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        root.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (!METHODS.contains(op.getKey())) {
                return;
            }
            String id = op.getValue().path("operationId").asString();
            operations.add(id);
            JsonNode operation = op.getValue();
            boolean hasRequest = operation.has("requestBody");
            if (hasRequest && !allContentHasExample(operation.path("requestBody").path("content"))) {
                missing.add(id + " request");
            }
            operation.path("responses").properties().forEach(response -> {
                JsonNode content = response.getValue().path("content");
                if (!content.isMissingNode() && !allContentHasExample(content)) {
                    missing.add(id + " response " + response.getKey());
                }
            });
            operation.path("parameters").forEach(p -> {
                if (!p.has("example") && !p.path("name").asString().equals("If-Match")) {
                    missing.add(id + " parameter " + p.path("name").asString());
                }
            });
        }));
        assertThat(operations).contains("createDomain", "applyVersion", "transitionVersion", "issueApiKey",
                "revokeApiKey", "searchProducts", "getDescriptor", "deleteDraftVersion", "whoAmI");
        assertThat(missing).isEmpty();

        JsonNode apply = root.path("paths").path("/api/v1/domains/{domain}/products/{product}/versions/{version}")
                .path("put").path("requestBody").path("content");
        assertThat(apply.has("application/json")).isTrue();
        assertThat(apply.has("application/yaml")).isTrue();
        assertThat(apply.path("application/yaml").path("example").path("title").asString()).isEqualTo("Customers");

        // Snapshot ids are 64-bit: strings in the API, and in its schemas.
        JsonNode schemas = root.path("components").path("schemas");
        // The roles a key may have, the scraper's included; never RUN, which is the platform's own.
        List<String> keyRoles = new ArrayList<>();
        schemas.path("IssueKeyRequest").path("properties").path("role").path("enum")
                .forEach(role -> keyRoles.add(role.asString()));
        assertThat(keyRoles).containsExactlyInAnyOrder("PLATFORM_ADMIN", "DOMAIN_OWNER", "DOMAIN_MEMBER", "CONSUMER",
                "METRICS_READER");
        for (String schema : List.of("RunView", "SnapshotView", "DataPage")) {
            assertThat(schemas.path(schema).path("properties").path("snapshotId").path("type").values())
                    .as(schema + ".snapshotId").extracting(JsonNode::asString).contains("string")
                    .doesNotContain("integer");
        }
    }

    @Test
    void everyExampleMatchesItsSchema() {
        ExampleConformance conformance = ExampleConformance.of(api.get("/v3/api-docs", null).json());
        System.out.printf("OpenAPI examples checked against their schemas: %d, mismatches: %d%n",
                conformance.checked(), conformance.mismatches().size());
        assertThat(conformance.mismatches()).isEmpty();
        assertThat(conformance.checked()).as("examples checked").isGreaterThan(300);
    }

    @Test
    void everyOperationDocumentsItsProblemsAndMediaTypes() {
        JsonNode root = api.get("/v3/api-docs", null).json();
        List<String> tags = new ArrayList<>();
        root.path("tags").forEach(tag -> tags.add(tag.path("name").asString()));
        assertThat(tags).containsExactly("Domains", "API keys", "Products", "Ingestion", "Processing", "Governance",
                "Audit");
        List<String> wrong = new ArrayList<>();
        int operations = 0;
        for (var path : root.path("paths").properties()) {
            for (var op : path.getValue().properties()) {
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                operations++;
                String id = op.getValue().path("operationId").asString();
                JsonNode responses = op.getValue().path("responses");
                for (String status : List.of("400", "401", "403")) {
                    JsonNode problem = responses.path(status).path("content").path("application/problem+json");
                    if (!problem.path("schema").path("$ref").asString().endsWith("/Problem")) {
                        wrong.add(id + " documents no " + status + " problem");
                    }
                }
                responses.properties().forEach(r -> r.getValue().path("content").properties().forEach(media -> {
                    if (media.getKey().contains("*")) {
                        wrong.add(id + " " + r.getKey() + " answers " + media.getKey());
                    }
                }));
            }
        }
        assertThat(operations).isGreaterThan(40);
        assertThat(wrong).isEmpty();
        JsonNode events = root.path("paths").path("/api/v1/domains/{domain}/products/{product}/events").path("post")
                .path("requestBody").path("content");
        assertThat(events.path("application/json").path("schema").path("type").asString()).isEqualTo("array");
        assertThat(events.path("application/x-ndjson").path("schema").path("type").asString()).isEqualTo("string");
    }

    @Test
    void everyListHasTheOneListShape() {
        JsonNode root = api.get("/v3/api-docs", null).json();
        List<String> bareArrays = new ArrayList<>();
        int lists = 0;
        for (var path : root.path("paths").properties()) {
            JsonNode ok = path.getValue().path("get").path("responses").path("200").path("content");
            for (var media : ok.properties()) {
                JsonNode schema = media.getValue().path("schema");
                if (schema.path("type").asString().equals("array")) {
                    bareArrays.add(path.getKey() + " " + media.getKey());
                }
                String ref = schema.path("$ref").asString();
                if (ref.contains("PageResponse")) {
                    lists++;
                }
            }
        }
        assertThat(bareArrays).as("lists answer {items, page, size, total}, never a bare array").isEmpty();
        assertThat(lists).as("the page-shaped lists found").isGreaterThanOrEqualTo(10);
    }

    private static boolean allContentHasExample(JsonNode content) {
        if (content.isMissingNode() || content.isEmpty()) {
            return true;
        }
        for (JsonNode media : content) {
            if (!media.has("example") && !media.has("examples")) {
                return false;
            }
        }
        return true;
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response redirect = api.get("/swagger-ui.html", null);
        assertThat(redirect.status()).isIn(200, 302);
        Api.Response page = api.get("/swagger-ui/index.html", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
        assertThat(api.get("/actuator/health", null).json().path("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/info", null).json().path("app").path("name").asString())
                .isEqualTo("Mesh Platform");
        assertThat(api.get("/actuator/prometheus", ADMIN_KEY).body()).contains("jvm_memory_used_bytes");
    }
}
