package dev.meshplatform.processing.runs;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.processing.api.CompactionResult;
import dev.meshplatform.registry.api.ProductMajor;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Names that used to collide: product {@code orders-raw}'s output table was product {@code orders}'s raw table. Both
 * now land, run, serve and compact apart; a raw table under the old name is renamed by its landing job.
 */
class ProductNamesIT extends PlatformIT {

    @Autowired
    Catalog catalog;
    @Autowired
    TableMaintenance maintenance;

    @Test
    void ordersAndOrdersRawLandRunServeAndCompactApart() {
        String domain = createDomain("names");
        publish(domain, "orders", "1.0.0", false, true);
        publish(domain, "orders-raw", "1.0.0", false, true);
        String orders = "/api/v1/domains/" + domain + "/products/orders";
        String ordersRaw = "/api/v1/domains/" + domain + "/products/orders-raw";
        for (int batch = 0; batch < 2; batch++) {
            // Two batches each: two landing commits, so that each raw table has files to compact.
            assertThat(api.post(orders + "/events", ADMIN_KEY, "[{\"item\":\"book\"},{\"item\":\"pen\"}]").status())
                    .isEqualTo(200);
            assertThat(api.post(ordersRaw + "/events", ADMIN_KEY, "[{\"item\":\"raw-" + batch + "\"}]").status())
                    .isEqualTo(200);
            int expectedOrders = 2 * (batch + 1);
            int expectedRaw = batch + 1;
            await().atMost(Duration.ofSeconds(60)).until(() -> landed(orders) == expectedOrders
                    && landed(ordersRaw) == expectedRaw);
        }
        runToSuccess(orders);
        runToSuccess(ordersRaw);

        ProductMajor ordersV1 = new ProductMajor(domain, "orders", 1);
        ProductMajor ordersRawV1 = new ProductMajor(domain, "orders-raw", 1);
        List<TableIdentifier> tables = List.of(RawTables.rawTable(ordersV1), output(ordersV1),
                RawTables.rawTable(ordersRawV1), output(ordersRawV1));
        assertThat(tables).doesNotHaveDuplicates().allMatch(catalog::tableExists);
        assertThat(catalog.listTables(tables.get(0).namespace())).containsExactlyInAnyOrderElementsOf(tables);
        assertThat(items(orders)).containsExactlyInAnyOrder("book", "pen", "book", "pen");
        assertThat(items(ordersRaw)).containsExactlyInAnyOrder("raw-0", "raw-1");

        List<CompactionResult> compacted = maintenance.compactAll().stream()
                .filter(r -> r.table().startsWith(ordersV1.namespace() + ".")).toList();
        assertThat(compacted).extracting(CompactionResult::table).containsExactlyInAnyOrderElementsOf(
                tables.stream().map(TableIdentifier::toString).toList());
        assertThat(compacted).filteredOn(r -> r.table().endsWith("__raw"))
                .allSatisfy(r -> assertThat(r.rewrittenFiles()).as(r.toString()).isGreaterThanOrEqualTo(2));
        assertThat(items(orders)).containsExactlyInAnyOrder("book", "pen", "book", "pen");
        assertThat(items(ordersRaw)).containsExactlyInAnyOrder("raw-0", "raw-1");
        runToSuccess(ordersRaw);
        assertThat(items(ordersRaw)).containsExactlyInAnyOrder("raw-0", "raw-1");
    }

    @Test
    void aRawTableUnderItsOldNameIsRenamedByItsLandingJobAndEvolvedWhereItIs() {
        String domain = createDomain("legacy");
        publish(domain, "orders", "1.0.0", false, false);
        ProductMajor major = new ProductMajor(domain, "orders", 1);
        TableIdentifier current = RawTables.rawTable(major);
        TableIdentifier legacy = TableIdentifier.of(current.namespace(), major.legacyRawTable());
        // What an installation from before the rename has: the raw table under its old name.
        catalog.renameTable(current, legacy);
        String orders = "/api/v1/domains/" + domain + "/products/orders";
        assertThat(api.post(orders + "/events", ADMIN_KEY, "[{\"item\":\"old\"}]").status()).isEqualTo(200);

        // A minor version evolves the table where it is; it creates no second raw table.
        publish(domain, "orders", "1.1.0", true, false);
        assertThat(catalog.tableExists(current)).isFalse();
        assertThat(catalog.loadTable(legacy).schema().findField("note")).isNotNull();
        // A run before the landing job started reads it under the old name.
        runToSuccess(orders);

        assertThat(api.post(orders + "/landing/start", ADMIN_KEY, Map.of()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> landed(orders) == 1);
        assertThat(catalog.tableExists(legacy)).isFalse();
        Table renamed = catalog.loadTable(current);
        assertThat(renamed.schema().findField("note")).isNotNull();
        assertThat(renamed.properties()).containsKey("mesh.landing.offsets");
        assertThat(api.post(orders + "/events", ADMIN_KEY, "[{\"item\":\"new\",\"note\":\"n\"}]").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> landed(orders) == 2);
        runToSuccess(orders);
        assertThat(items(orders)).containsExactlyInAnyOrder("old", "new");
    }

    private void publish(String domain, String product, String version, boolean withNote, boolean startLanding) {
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("title", "Items of " + product);
        ObjectNode port = d.putArray("inputPorts").addObject().put("name", "events").put("type", "kafka")
                .put("partitions", 1).put("startLanding", startLanding);
        ArrayNode events = port.putArray("schema");
        events.addObject().put("name", "item").put("type", "string").put("required", true);
        if (withNote) {
            events.addObject().put("name", "note").put("type", "string");
        }
        d.putArray("schema").addObject().put("name", "item").put("type", "string").put("required", true);
        d.putObject("transformation").put("sql", "SELECT item FROM raw");
        String path = versionPath(domain, product, version);
        assertThat(api.put(path, ADMIN_KEY, DescriptorJson.governed(d)).status()).isEqualTo(201);
        assertThat(api.post(path + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
    }

    private long landed(String product) {
        JsonNode jobs = api.get(product + "/landing", ADMIN_KEY).json().path("items");
        return jobs.size() == 0 ? 0 : jobs.get(0).path("recordsLanded").asLong();
    }

    private List<String> items(String product) {
        List<String> items = new ArrayList<>();
        api.get(product + "/data?limit=100", ADMIN_KEY).json().path("rows")
                .forEach(row -> items.add(row.path("item").asString()));
        return items;
    }

    private static TableIdentifier output(ProductMajor major) {
        return TableIdentifier.of(major.namespace(), major.outputTable());
    }
}
