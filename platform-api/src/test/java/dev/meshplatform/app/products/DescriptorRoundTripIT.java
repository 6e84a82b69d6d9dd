package dev.meshplatform.app.products;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What is accepted as JSON or YAML comes back in either without loss, and applies again as unchanged. */
class DescriptorRoundTripIT extends PlatformIT {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @Test
    void jsonToYamlToJsonLosesNothing() {
        String domain = createDomain("trip");
        JsonNode original = DescriptorJson.complete();
        assertThat(api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY, original).status()).isEqualTo(201);

        Api.Response asYaml = api.request("GET", versionPath(domain, "people", "1.0.0") + "/descriptor")
                .token(ADMIN_KEY).header("Accept", "application/yaml").send();
        assertThat(asYaml.status()).isEqualTo(200);
        assertThat(asYaml.header("Content-Type")).startsWith("application/yaml");
        assertThat(YAML.readTree(asYaml.body())).isEqualTo(Api.JSON.readTree(original.toString()));

        Api.Response yamlApplied = api.request("PUT", versionPath(domain, "people", "2.0.0")).token(ADMIN_KEY)
                .body("application/yaml", asYaml.body()).send();
        assertThat(yamlApplied.status()).as(yamlApplied.body()).isEqualTo(201);
        Api.Response sameAgain = api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/yaml", asYaml.body()).send();
        assertThat(sameAgain.json().path("result").asString()).isEqualTo("UNCHANGED");

        Api.Response asJson = api.get(versionPath(domain, "people", "2.0.0") + "/descriptor", ADMIN_KEY);
        assertThat(asJson.json()).isEqualTo(Api.JSON.readTree(original.toString()));
        assertThat(asJson.json().path("customProperties").path("nested").path("level").asInt()).isEqualTo(2);
        assertThat(asJson.json().path("slos").path("completeness").decimalValue()).isEqualByComparingTo("99.5");
        assertThat(api.get(versionPath(domain, "people", "1.0.0"), ADMIN_KEY).json().path("descriptorHash"))
                .isEqualTo(api.get(versionPath(domain, "people", "2.0.0"), ADMIN_KEY).json().path("descriptorHash"));
    }
}
