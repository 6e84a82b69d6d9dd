package dev.meshplatform.processing.runs;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A version published under an older allowlist whose SQL this build refuses: flagged in the catalog at startup with
 * the construct and its position, its runs fail with the same words, and a new minor version is the fix.
 */
class PublishedSqlRecheckIT extends PlatformIT {

    @Autowired
    PublishedSqlRecheck recheck;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aPublishedVersionTheAllowlistRefusesNowIsFlaggedAndItsRunsFailNamingTheConstruct() {
        String domain = createDomain("legacy");
        ObjectNode d = Api.JSON.createObjectNode().put("title", "Legacy");
        d.putArray("schema").addObject().put("name", "n").put("type", "long");
        d.putObject("transformation").put("sql", "SELECT count(*) AS n FROM range(3)");
        String version = versionPath(domain, "legacy", "1.0.0");
        assertThat(api.put(version, ADMIN_KEY, DescriptorJson.governed(d)).status()).isEqualTo(201);
        assertThat(api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        // What an older allowlist let through, stored as it was published then.
        int changed = jdbc.update("update registry_product_version set descriptor = replace(descriptor, "
                + "'SELECT count(*) AS n FROM range(3)', 'SELECT count(*) AS n FROM range(3) WHERE "
                + "java_method(''java.lang.System'', ''exit'', 7) IS NULL') where version = '1.0.0' and product_id = "
                + "(select p.id from registry_product p join registry_domain d on p.domain_id = d.id "
                + "where d.name = ? and p.name = 'legacy')", domain);
        assertThat(changed).isEqualTo(1);

        assertThat(recheck.recheck()).isGreaterThanOrEqualTo(1);
        JsonNode flagged = api.get(version, ADMIN_KEY).json();
        assertThat(flagged.path("flags").get(0).path("code").asString()).isEqualTo("sql-refused");
        assertThat(flagged.path("flags").get(0).path("message").asString())
                .contains("transformation.sql", "the function 'java_method' at line 1, column 42");
        JsonNode summary = api.get("/api/v1/domains/" + domain + "/products/legacy", ADMIN_KEY).json();
        assertThat(summary.path("versions").get(0).path("flags").get(0).asString()).isEqualTo("sql-refused");

        JsonNode run = GovernedProducts.runToEnd(api, ADMIN_KEY, domain, "legacy");
        assertThat(run.path("state").asString()).isEqualTo("FAILED");
        assertThat(run.path("error").asString()).contains("the function 'java_method' at line 1, column 42");

        // The fix is a new minor version; the flagged one keeps its flag until it passes again.
        String fixed = versionPath(domain, "legacy", "1.1.0");
        assertThat(api.put(fixed, ADMIN_KEY, DescriptorJson.governed(d)).status()).isEqualTo(201);
        assertThat(api.post(fixed + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        assertThat(GovernedProducts.runToEnd(api, ADMIN_KEY, domain, "legacy").path("state").asString())
                .isEqualTo("SUCCEEDED");
        recheck.recheck();
        assertThat(api.get(fixed, ADMIN_KEY).json().path("flags")).isEmpty();
    }
}
