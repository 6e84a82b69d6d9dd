package dev.meshplatform.app.lineage;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lineage with the real parts: column lineage computed in the analysis sandbox when a derived product over two
 * inputs is applied, product lineage up and down with consumers, classification following lineage at publication,
 * input-port fields under the documentation and retention gates, and the impact of a breaking change and of a
 * deprecation before they are made.
 */
class LineageIT extends PlatformIT {

    private static final String REVENUE_SQL = """
            SELECT c.name AS customer,
                   sum(o.amount) AS revenue,
                   CASE WHEN c.country IN ('DE', 'AT') THEN 'dach' ELSE 'other' END AS region,
                   count(o.order_id) AS orders
            FROM %1$s__orders_v1 o JOIN %1$s__customers_v1 c ON o.customer_id = c.customer_id
            WHERE o.status = 'paid'
            GROUP BY c.name, c.country""";

    private static String shop;
    private static String finance;
    private static String owner;
    private static String financeConsumer;
    private static String financeGrant;

    @BeforeEach
    void products() {
        if (shop != null) {
            return;
        }
        shop = createDomain("shop");
        finance = createDomain("finance");
        owner = issueKey("DOMAIN_OWNER", shop);
        financeConsumer = issueKey("CONSUMER", finance);
        ObjectNode customers = source("Customers", field("customer_id", "long", "INTERNAL"),
                field("email", "string", "PII"), field("name", "string", "CONFIDENTIAL"),
                field("country", "string", "PUBLIC"));
        customers.putObject("retention").put("period", "P30D");
        publish("customers", "1.0.0", customers);
        publish("orders", "1.0.0", orders(true));
        publish("customer-revenue", "1.0.0", derived(List.of("orders", "customers"), REVENUE_SQL.formatted(view()),
                field("customer", "string", "CONFIDENTIAL"),
                field("revenue", "decimal(20,2)", "INTERNAL"), field("region", "string", "PUBLIC"),
                field("orders", "long", "INTERNAL")));
        Api.Response requested = api.post(product("orders") + "/access-requests", financeConsumer,
                Map.of("purpose", "reporting", "columns", List.of("order_id", "amount"), "duration", "P30D"));
        assertThat(requested.status()).as(requested.body()).isEqualTo(201);
        Api.Response approved = api.post(product("orders") + "/access-requests/" + requested.json().path("id")
                .asString() + "/approve", owner, Map.of("reason", "ok"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        financeGrant = approved.json().path("grantId").asString();
    }

    @Test
    void aDerivedProductOverTwoInputsHasItsColumnLineage() {
        JsonNode lineage = api.get(versionPath(shop, "customer-revenue", "1.0.0") + "/lineage", owner).json()
                .path("lineage");
        assertThat(lineage.path("status").asString()).as(lineage.toString()).isEqualTo("COMPUTED");
        assertThat(sources(lineage, "customer")).containsExactly(shop + "/customers/v1.name DIRECT");
        assertThat(sources(lineage, "revenue")).containsExactly(shop + "/orders/v1.amount AGGREGATED");
        assertThat(sources(lineage, "region")).containsExactly(shop + "/customers/v1.country TRANSFORMED");
        assertThat(sources(lineage, "orders")).containsExactly(shop + "/orders/v1.order_id COUNTED");
        List<String> read = new ArrayList<>();
        lineage.path("referenced").forEach(c -> read.add(c.path("input").asString() + "." + c.path("column")
                .asString()));
        assertThat(read).contains(shop + "/orders/v1.status", shop + "/orders/v1.customer_id",
                shop + "/customers/v1.customer_id").doesNotContain(shop + "/customers/v1.email");
    }

    @Test
    void productLineageGoesUpAndDownWithConsumersAndReadersForTheOwnersOnly() {
        JsonNode derived = api.get(product("customer-revenue") + "/lineage?depth=2", financeConsumer).json();
        assertThat(keys(derived.path("upstream"))).containsExactly(shop + "/customers/v1", shop + "/orders/v1");
        assertThat(derived.path("upstream").get(0).path("topic").asString()).isEqualTo(shop + ".customers.v1");
        assertThat(derived.path("columns").path("status").asString()).isEqualTo("COMPUTED");
        JsonNode orders = api.get(product("orders") + "/lineage", financeConsumer).json();
        assertThat(keys(orders.path("downstream"))).containsExactly(shop + "/customer-revenue/v1");
        assertThat(orders.path("edges").get(0).path("to").asString()).isEqualTo(shop + "/customer-revenue/v1");
        assertThat(orders.path("consumers").findValuesAsString("domain")).containsExactly(finance);
        // Who read the data is the audit's: the owning domain and admins only.
        assertThat(orders.path("readers").isArray()).isFalse();
        assertThat(api.get(product("orders") + "/lineage", owner).json().path("readers").isArray()).isTrue();
        JsonNode domain = api.get("/api/v1/domains/" + shop + "/lineage", owner).json();
        assertThat(keys(domain.path("products"))).contains(shop + "/customers/v1", shop + "/orders/v1",
                shop + "/customer-revenue/v1");
        assertThat(domain.path("consumers").path("orders").findValuesAsString("grantId")).containsExactly(financeGrant);
        assertThat(api.get(product("orders") + "/lineage?depth=11", owner).status()).isEqualTo(400);
    }

    @Test
    void copyingAPiiColumnIntoAnInternalOneIsRefusedAndTheDryRunShowsIt() {
        ObjectNode contacts = derived(List.of("customers"),
                "SELECT customer_id AS id, upper(email) AS contact FROM " + view() + "__customers_v1",
                field("id", "long", "INTERNAL"), field("contact", "string", "INTERNAL"));
        Api.Response dryRun = api.put(versionPath(shop, "contacts", "1.0.0") + "?dryRun=true", owner, contacts);
        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        JsonNode verdict = verdict(dryRun.json(), "default-classification-follows-lineage");
        assertThat(verdict.path("passed").asBoolean()).isFalse();
        assertThat(verdict.path("message").asString())
                .contains(shop + "/customers/v1.email (PII) → contact (INTERNAL)");
        assertThat(api.put(versionPath(shop, "contacts", "1.0.0"), owner, contacts).status()).isEqualTo(201);
        Api.Response refused = api.post(versionPath(shop, "contacts", "1.0.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("email (PII) → contact (INTERNAL)");
        // Classified as strictly as its source (with the retention PII asks for), it publishes.
        ((ObjectNode) contacts.path("schema").get(1)).put("classification", "PII");
        contacts.putObject("retention").put("period", "P30D");
        assertThat(api.put(versionPath(shop, "contacts", "1.0.0"), owner, contacts).status()).isEqualTo(200);
        Api.Response published = api.post(versionPath(shop, "contacts", "1.0.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    @Test
    void inputPortFieldsAreUnderTheDocumentationAndRetentionGates() {
        ObjectNode leads = source("Leads", field("lead_id", "long", "INTERNAL"));
        ArrayNode events = ((ObjectNode) leads.path("inputPorts").get(0)).putArray("schema");
        events.addObject().put("name", "lead_id").put("type", "long").put("description", "the lead")
                .put("classification", "INTERNAL");
        events.addObject().put("name", "phone").put("type", "string").put("classification", "PII");
        Api.Response dryRun = api.put(versionPath(shop, "leads", "1.0.0") + "?dryRun=true", owner, leads);
        assertThat(verdict(dryRun.json(), "default-field-documentation").path("message").asString())
                .contains("field inputPorts.events.phone needs a description and a classification");
        assertThat(verdict(dryRun.json(), "default-pii-retention").path("passed").asBoolean()).isFalse();
    }

    @Test
    void aBreakingChangeListsTheDownstreamProductAndGranteeItAffects() {
        ObjectNode next = orders(false);
        Api.Response dryRun = api.put(versionPath(shop, "orders", "1.1.0") + "?dryRun=true", owner, next);
        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        JsonNode amount = change(dryRun.json().path("impact"), "amount");
        assertThat(amount.path("change").asString()).contains("amount was removed");
        assertThat(amount.path("downstream").get(0).path("product").asString()).isEqualTo("customer-revenue");
        assertThat(amount.path("downstream").get(0).path("via").asString()).isEqualTo("column-lineage");
        assertThat(amount.path("downstream").get(0).path("outputs").get(0).asString()).isEqualTo("revenue");
        assertThat(amount.path("grantees").findValuesAsString("grantId")).containsExactly(financeGrant);
        // The status column feeds the derived product's filter but no grant: the product is affected, not finance.
        JsonNode status = change(dryRun.json().path("impact"), "status");
        assertThat(status.path("downstream").get(0).path("product").asString()).isEqualTo("customer-revenue");
        assertThat(status.path("grantees").isEmpty()).isTrue();

        Api.Response evaluated = api.post("/api/v1/policies/evaluate", owner, Map.of("domain", shop,
                "product", "orders", "version", "1.1.0", "descriptor", next));
        assertThat(evaluated.status()).as(evaluated.body()).isEqualTo(200);
        assertThat(change(evaluated.json().path("impact"), "amount").path("grantees").findValuesAsString("domain"))
                .containsExactly(finance);

        Api.Response deprecation = api.post(versionPath(shop, "orders", "1.0.0") + "/transitions?dryRun=true",
                owner, Map.of("to", "DEPRECATED"));
        assertThat(deprecation.status()).as(deprecation.body()).isEqualTo(200);
        JsonNode affected = deprecation.json().path("impact").path("changes").get(0);
        assertThat(affected.path("change").asString()).isEqualTo("deprecation of 1.0.0");
        assertThat(affected.path("downstream").findValuesAsString("product")).containsExactly("customer-revenue");
        assertThat(affected.path("grantees").findValuesAsString("domain")).containsExactly(finance);
        assertThat(api.get(versionPath(shop, "orders", "1.0.0"), owner).json().path("status").asString())
                .isEqualTo("PUBLISHED");
    }

    private ObjectNode orders(boolean withAmountAndStatus) {
        List<ObjectNode> fields = new ArrayList<>(List.of(field("order_id", "long", "INTERNAL"),
                field("customer_id", "long", "INTERNAL")));
        if (withAmountAndStatus) {
            fields.add(field("amount", "decimal(10,2)", "INTERNAL"));
            fields.add(field("status", "string", "INTERNAL"));
        }
        return source("Orders", fields.toArray(ObjectNode[]::new));
    }

    private static ObjectNode source(String title, ObjectNode... fields) {
        ObjectNode descriptor = Api.JSON.createObjectNode().put("title", title);
        descriptor.putArray("inputPorts").addObject().put("name", "events").put("type", "kafka");
        ArrayNode schema = descriptor.putArray("schema");
        for (ObjectNode field : fields) {
            schema.add(field);
        }
        return DescriptorJson.governed(descriptor);
    }

    private ObjectNode derived(List<String> reads, String sql, ObjectNode... fields) {
        ObjectNode descriptor = Api.JSON.createObjectNode().put("title", "Derived");
        ArrayNode inputs = descriptor.putArray("inputPorts");
        for (String input : reads) {
            inputs.addObject().put("name", input).put("type", "product").put("domain", shop).put("product", input)
                    .put("majorVersion", 1);
        }
        ArrayNode schema = descriptor.putArray("schema");
        for (ObjectNode field : fields) {
            schema.add(field);
        }
        descriptor.putObject("transformation").put("sql", sql);
        return DescriptorJson.governed(descriptor);
    }

    private void publish(String product, String version, ObjectNode descriptor) {
        Api.Response applied = api.put(versionPath(shop, product, version), owner, descriptor);
        assertThat(applied.status()).as(applied.body()).isIn(200, 201);
        Api.Response published = api.post(versionPath(shop, product, version) + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    private static ObjectNode field(String name, String type, String classification) {
        return Api.JSON.createObjectNode().put("name", name).put("type", type).put("description", "the " + name)
                .put("classification", classification);
    }

    /** The domain as Spark SQL names its products' views. */
    private static String view() {
        return shop.replace('-', '_');
    }

    private static String product(String name) {
        return "/api/v1/domains/" + shop + "/products/" + name;
    }

    private static List<String> sources(JsonNode lineage, String column) {
        for (JsonNode output : lineage.path("columns")) {
            if (output.path("name").asString().equals(column)) {
                List<String> sources = new ArrayList<>();
                output.path("from").forEach(s -> sources.add(s.path("input").asString() + "." + s.path("column")
                        .asString() + " " + s.path("how").asString()));
                return sources;
            }
        }
        throw new AssertionError("no output column " + column + " in " + lineage);
    }

    private static List<String> keys(JsonNode nodes) {
        List<String> keys = new ArrayList<>();
        nodes.forEach(n -> keys.add(n.path("key").asString()));
        return keys;
    }

    private static JsonNode verdict(JsonNode outcome, String rule) {
        for (JsonNode verdict : outcome.path("verdicts")) {
            if (verdict.path("rule").asString().equals(rule)) {
                return verdict;
            }
        }
        throw new AssertionError("no verdict " + rule + " in " + outcome);
    }

    private static JsonNode change(JsonNode impact, String column) {
        for (JsonNode change : impact.path("changes")) {
            if (column.equals(change.path("column").asString(null))) {
                return change;
            }
        }
        throw new AssertionError("no change of " + column + " in " + impact);
    }
}
