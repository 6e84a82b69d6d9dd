package dev.meshplatform.app.governance;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Filters on every filterable type, however the descriptor writes it ({@code LONG}, {@code DECIMAL(10,2)}). */
class TypedFiltersIT extends PlatformIT {

    @Test
    void filtersWorkOnEveryTypeAsDeclared() {
        String domain = createDomain("typed");
        ObjectNode d = Api.JSON.createObjectNode().put("title", "Typed numbers");
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "big").put("type", "LONG").put("required", true);
        schema.addObject().put("name", "amount").put("type", "DECIMAL(10,2)").put("required", true);
        schema.addObject().put("name", "small").put("type", "Int").put("required", true);
        schema.addObject().put("name", "ratio").put("type", "double").put("required", true);
        schema.addObject().put("name", "even").put("type", "boolean").put("required", true);
        schema.addObject().put("name", "day").put("type", "date").put("required", true);
        schema.addObject().put("name", "label").put("type", "string").put("required", true);
        d.putObject("transformation").put("sql", "SELECT id + 9007199254740000 AS big, "
                + "CAST(id * 1.25 AS DECIMAL(10,2)) AS amount, CAST(id AS INT) AS small, CAST(id AS DOUBLE) / 4 AS ratio, "
                + "id % 2 = 0 AS even, date_add(DATE'2026-01-01', CAST(id AS INT)) AS day, "
                + "concat('n', id) AS label FROM range(10)");
        String version = versionPath(domain, "numbers", "1.0.0");
        Api.Response applied = api.put(version, ADMIN_KEY, DescriptorJson.governed(d));
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        assertThat(api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        String product = "/api/v1/domains/" + domain + "/products/numbers";
        runToSuccess(product);

        assertThat(labels(product, "big:ge:9007199254740008")).containsExactlyInAnyOrder("n8", "n9");
        assertThat(labels(product, "amount:eq:2.5")).containsExactly("n2");
        assertThat(labels(product, "amount:in:1.25|3.75")).containsExactlyInAnyOrder("n1", "n3");
        assertThat(labels(product, "amount:gt:10")).containsExactlyInAnyOrder("n9");
        assertThat(labels(product, "small:lt:2")).containsExactlyInAnyOrder("n0", "n1");
        assertThat(labels(product, "ratio:eq:0.5")).containsExactly("n2");
        assertThat(labels(product, "even:eq:false")).hasSize(5);
        assertThat(labels(product, "day:eq:2026-01-04")).containsExactly("n3");
        assertThat(labels(product, "label:ne:n0")).hasSize(9);

        for (String refused : List.of("big:eq:1.5", "amount:eq:1.234", "amount:eq:123456789", "small:eq:x",
                "even:eq:yes", "day:eq:2026-02-30")) {
            Api.Response response = api.get(product + "/data?filter=" + encode(refused), ADMIN_KEY);
            assertThat(response.status()).as(refused).isEqualTo(400);
            assertThat(response.code()).as(refused).isEqualTo("invalid-filter");
        }
    }

    private List<String> labels(String product, String filter) {
        Api.Response response = api.get(product + "/data?limit=100&filter=" + encode(filter), ADMIN_KEY);
        assertThat(response.status()).as(filter + ": " + response.body()).isEqualTo(200);
        List<String> labels = new ArrayList<>();
        for (JsonNode row : response.json().path("rows")) {
            labels.add(row.path("label").asString());
        }
        return labels;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
