package dev.meshplatform.app.products;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The OpenAPI schema of an ODCS document: its identifying keys, everything else open. The standard's own JSON Schema
 * is the reference for the rest; the platform checks what it reads field by field and names the path it refuses.
 */
@Component
class OdcsContractSchema implements OpenApiCustomizer {

    static final String NAME = "OdcsContract";
    static final String REF = "#/components/schemas/" + NAME;

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Schema<Object> schema = new ObjectSchema()
                .description("An Open Data Contract Standard (ODCS) v3.x document (https://bitol-io.github.io/"
                        + "open-data-contract-standard/). Exports are v3.1.0 and validate against its published "
                        + "JSON Schema; see the platform's standards documentation for the mapping.")
                .addProperty("apiVersion", new StringSchema().pattern("^v3\\.").example("v3.1.0"))
                .addProperty("kind", new StringSchema()._enum(List.of("DataContract")))
                .addProperty("id", new StringSchema().example("sales/customers/v1"))
                .addProperty("version", new StringSchema().example("1.0.0"))
                .addProperty("status", new StringSchema().example("active"))
                .required(List.of("apiVersion", "kind", "id", "version", "status"));
        schema.setAdditionalProperties(Boolean.TRUE);
        openApi.getComponents().addSchemas(NAME, schema);
    }
}
