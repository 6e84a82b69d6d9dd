package dev.meshplatform.app.products;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The OpenAPI schemas of the open standards' documents (an ODCS contract, an ODPS product, and a bundle of the two):
 * their identifying keys, everything else open. The standards' own JSON Schemas are the reference for the rest; the
 * platform checks what it reads field by field and names the path it refuses.
 */
@Component
public class StandardDocumentSchemas implements OpenApiCustomizer {

    public static final String ODCS = "OdcsContract";
    public static final String ODCS_REF = "#/components/schemas/" + ODCS;
    public static final String ODPS = "OdpsDataProduct";
    public static final String ODPS_REF = "#/components/schemas/" + ODPS;
    public static final String BUNDLE = "StandardsBundle";
    public static final String BUNDLE_REF = "#/components/schemas/" + BUNDLE;

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Schema<Object> contract = new ObjectSchema()
                .description("An Open Data Contract Standard (ODCS) v3.x document (https://bitol-io.github.io/"
                        + "open-data-contract-standard/). Exports are v3.1.0 and validate against its published "
                        + "JSON Schema; see the platform's standards documentation for the mapping.")
                .addProperty("apiVersion", new StringSchema().pattern("^v3\\.").example("v3.1.0"))
                .addProperty("kind", new StringSchema()._enum(List.of("DataContract")))
                .addProperty("id", new StringSchema().example("sales/customers/v1"))
                .addProperty("version", new StringSchema().example("1.0.0"))
                .addProperty("status", new StringSchema().example("active"))
                .required(List.of("apiVersion", "kind", "id", "version", "status"));
        contract.setAdditionalProperties(Boolean.TRUE);
        Schema<Object> product = new ObjectSchema()
                .description("An Open Data Product Standard (ODPS) v1.0.0 document (https://bitol-io.github.io/"
                        + "open-data-product-standard/). Exports validate against its published JSON Schema; see "
                        + "the platform's standards documentation for the mapping.")
                .addProperty("apiVersion", new StringSchema().example("v1.0.0"))
                .addProperty("kind", new StringSchema()._enum(List.of("DataProduct")))
                .addProperty("id", new StringSchema().example("sales/customers"))
                .addProperty("status", new StringSchema().example("active"))
                .required(List.of("apiVersion", "kind", "id", "status"));
        product.setAdditionalProperties(Boolean.TRUE);
        ComposedSchema document = new ComposedSchema();
        document.oneOf(List.of(new Schema<>().$ref(ODPS_REF), new Schema<>().$ref(ODCS_REF)));
        Schema<?> bundle = new ArraySchema().items(document).minItems(2).maxItems(2)
                .description("A product's ODPS document and the ODCS contract of its output port, in any order "
                        + "(exports put the product first).");
        openApi.getComponents().addSchemas(ODCS, contract).addSchemas(ODPS, product).addSchemas(BUNDLE, bundle);
    }
}
