package dev.meshplatform.app.openapi;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ExampleConformanceTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0",
             "paths": {"/things/{id}": {"get": {"operationId": "getThing",
               "parameters": [
                 {"name": "id", "in": "path", "schema": {"type": "string"}, "example": "t1"},
                 {"name": "limit", "in": "query", "schema": {"type": "integer"}, "example": %s}],
               "responses": {
                 "200": {"content": {
                   "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}, "example": %s},
                   "application/yaml": {"schema": {"$ref": "#/components/schemas/Thing"}, "example": "%s"}}}}}}},
             "components": {"schemas": {"Thing": {"type": "object", "required": ["name"],
               "properties": {"name": {"type": "string"}, "at": {"type": "string", "format": "date-time"}}}}}}
            """;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void examplesThatMatchTheirSchemasPass() {
        ExampleConformance conformance = ExampleConformance.of(json.readTree(DOCUMENT.formatted(
                "10", "{\"name\": \"a\", \"at\": \"2026-11-29T08:00:00Z\"}", "name: a\\nat: 2026-11-29T08:00:00Z")));
        assertThat(conformance.mismatches()).isEmpty();
        assertThat(conformance.checked()).isEqualTo(4);
    }

    @Test
    void eachMismatchIsNamedWithWhereItIs() {
        ExampleConformance conformance = ExampleConformance.of(json.readTree(DOCUMENT.formatted(
                "\"ten\"", "{\"at\": \"yesterday\"}", "name: [1, 2]")));
        assertThat(conformance.mismatches())
                .anySatisfy(m -> assertThat(m).startsWith("getThing parameter limit"))
                .anySatisfy(m -> assertThat(m).startsWith("getThing response 200 application/json").contains("name"))
                .anySatisfy(m -> assertThat(m).startsWith("getThing response 200 application/json").contains("at"))
                .anySatisfy(m -> assertThat(m).startsWith("getThing response 200 application/yaml"));
    }
}
