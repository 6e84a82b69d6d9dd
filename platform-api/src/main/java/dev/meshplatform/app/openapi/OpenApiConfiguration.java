package dev.meshplatform.app.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
                        .license(new License().name("Apache License 2.0")
                                .url("https://www.apache.org/licenses/LICENSE-2.0")))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("API key or JWT")
                        .description("Paste an API key such as mesh_abcd1234efgh_... (the bootstrap admin key is in "
                                + "./data/bootstrap-admin-key on the embedded default)")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
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
                    .forEach(schema -> schema.getProperties().put("snapshotId", new StringSchema()
                            .pattern("^-?[0-9]{1,20}$").example("5738212934409917123")
                            .description("an Iceberg snapshot id: 64 bits, written as a string so that JavaScript "
                                    + "and jq keep every digit")));
        };
    }
}
