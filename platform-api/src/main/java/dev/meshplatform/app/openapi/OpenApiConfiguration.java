package dev.meshplatform.app.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The OpenAPI document's frame: description, licence and the bearer scheme behind Swagger UI's Authorize button. */
@Configuration
class OpenApiConfiguration {

    static final String BEARER = "bearer";

    @Bean
    OpenAPI meshOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Mesh Platform API").version("v1")
                        .description("Self-service data mesh platform: domains publish data products; the platform "
                                + "runs their Kafka ingestion, Spark processing and S3/Iceberg storage; federated "
                                + "governance decides what may be published and who may read what. Authorize with "
                                + "an API key (mesh_...) or, where configured, an OAuth2 JWT.")
                        .contact(new Contact().name("Mesh Platform maintainers").url("https://meshplatform.dev"))
                        .license(new License().name("Apache License 2.0")
                                .url("https://www.apache.org/licenses/LICENSE-2.0")))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("API key or JWT")
                        .description("Paste an API key such as mesh_abcd1234efgh_... (the bootstrap admin key is in "
                                + "./data/bootstrap-admin-key on the embedded default)")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .tags(TAGS.stream().map(tag -> new Tag().name(tag.get(0)).description(tag.get(1))).toList());
    }

    /** The groups in the order an admin works: set up domains and keys, then products, their data, governance. */
    static final List<List<String>> TAGS = List.of(
            List.of("Domains", "The teams that own data products"),
            List.of("API keys", "Credentials of callers; each key has one role and, unless admin, one domain"),
            List.of("Products", "Data products, their versions, descriptors and lifecycle"),
            List.of("Ingestion", "Events into a product's Kafka topic, and the landing job into its raw table"),
            List.of("Processing", "Runs of a product's transformation into its output port"),
            List.of("Governance", "Policies, the publish gate, access requests, grants and governed data"),
            List.of("Audit", "Who did what, and which decisions governance took"));

    /**
     * Orders the paths as the tags are ordered, then by path, so that the document reads (and Swagger UI lists)
     * the operations in the order an admin works.
     */
    @Bean
    OpenApiCustomizer operationsInWorkingOrder() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            List<String> order = TAGS.stream().map(tag -> tag.get(0)).toList();
            Comparator<Map.Entry<String, PathItem>> byTagThenPath = Comparator
                    .comparingInt((Map.Entry<String, PathItem> path) -> path.getValue().readOperations().stream()
                            .flatMap(op -> op.getTags() == null ? java.util.stream.Stream.<String>empty()
                                    : op.getTags().stream())
                            .mapToInt(tag -> order.indexOf(tag) < 0 ? order.size() : order.indexOf(tag))
                            .min().orElse(order.size()))
                    .thenComparing(Map.Entry::getKey);
            Paths sorted = new Paths();
            openApi.getPaths().entrySet().stream().sorted(byTagThenPath)
                    .forEach(path -> sorted.addPathItem(path.getKey(), path.getValue()));
            openApi.setPaths(sorted);
        };
    }

    /**
     * The API writes every field, null or not: a property a schema does not require may be null, and the schema says
     * so, so that clients generated from the document accept what the API sends.
     */
    @Bean
    OpenApiCustomizer optionalPropertiesMayBeNull() {
        return openApi -> {
            if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
                return;
            }
            for (Schema<?> schema : openApi.getComponents().getSchemas().values()) {
                if (schema.getProperties() == null) {
                    continue;
                }
                List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
                schema.getProperties().forEach((name, property) -> {
                    if (!required.contains(name) && property.get$ref() == null) {
                        mayBeNull(property);
                    }
                });
            }
        };
    }

    private static void mayBeNull(Schema<?> property) {
        Set<String> types = new LinkedHashSet<>();
        if (property.getTypes() != null) {
            types.addAll(property.getTypes());
        } else if (property.getType() != null) {
            types.add(property.getType());
        }
        if (!types.isEmpty()) {
            types.add("null");
            property.setTypes(types);
        }
    }

    /** Snapshot ids are 64-bit: the API writes them as strings of digits, and its schemas say so. */
    @Bean
    OpenApiCustomizer snapshotIdsAsStrings() {
        return openApi -> {
            if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
                return;
            }
            openApi.getComponents().getSchemas().values().stream()
                    .filter(schema -> schema.getProperties() != null && schema.getProperties().containsKey("snapshotId"))
                    .forEach(schema -> {
                        Schema<?> snapshotId = new StringSchema().pattern("^-?[0-9]{1,20}$")
                                .example("5738212934409917123")
                                .description("an Iceberg snapshot id: 64 bits, written as a string so that "
                                        + "JavaScript and jq keep every digit; null until there is one");
                        mayBeNull(snapshotId);
                        schema.getProperties().put("snapshotId", snapshotId);
                    });
        };
    }
}
