package dev.meshplatform.app.testsupport;

import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.testsupport.Descriptors;
import tools.jackson.databind.node.ObjectNode;

/** Descriptors of the registry's test fixtures as JSON bodies. */
public final class DescriptorJson {

    private DescriptorJson() {
    }

    /**
     * The registry's complete descriptor without its transformation's schedule: the test platform is shared, and a
     * published product on a schedule would start a run JVM every time it fires for the rest of the suite. Tests of
     * schedules set their own.
     */
    public static ObjectNode complete() {
        ObjectNode descriptor = Api.JSON.valueToTree(Descriptors.complete());
        ((ObjectNode) descriptor.path("transformation")).remove("schedule");
        return descriptor;
    }

    public static ObjectNode titled(String title) {
        ObjectNode node = complete();
        node.put("title", title);
        return node;
    }

    /**
     * Fills in what the shipped publish gates ask for (an owner, a description, a documented and classified field,
     * an SLO, a quality rule) where a test about something else leaves it out; changes the node and returns it.
     */
    public static ObjectNode governed(ObjectNode descriptor) {
        if (!descriptor.hasNonNull("description")) {
            descriptor.put("description", "a product of the tests");
        }
        if (!descriptor.hasNonNull("owner")) {
            descriptor.putObject("owner").put("team", "test-team");
        }
        descriptor.path("schema").forEach(DescriptorJson::documented);
        // An input port's own schema is under the same gates as the output's.
        descriptor.path("inputPorts").forEach(port -> port.path("schema").forEach(DescriptorJson::documented));
        if (!descriptor.hasNonNull("slos")) {
            descriptor.putObject("slos").put("freshness", "PT1H");
        }
        if (descriptor.path("quality").isEmpty()) {
            descriptor.putArray("quality").addObject().put("name", "any-rows").put("type", "row_count")
                    .put("min", 0).put("severity", "warn");
        }
        return descriptor;
    }

    private static void documented(tools.jackson.databind.JsonNode field) {
        ObjectNode node = (ObjectNode) field;
        if (!node.hasNonNull("description")) {
            node.put("description", "the " + node.path("name").asString());
        }
        if (!node.hasNonNull("classification")) {
            node.put("classification", "INTERNAL");
        }
        node.path("fields").forEach(DescriptorJson::documented);
        if (node.path("items").isObject()) {
            documentedItems((ObjectNode) node.path("items"));
        }
    }

    /** A list's items have no name to describe; their fields do. */
    private static void documentedItems(ObjectNode items) {
        items.path("fields").forEach(DescriptorJson::documented);
        if (items.path("items").isObject()) {
            documentedItems((ObjectNode) items.path("items"));
        }
    }

    public static String text(ProductDescriptor descriptor) {
        return Api.JSON.writeValueAsString(descriptor);
    }
}
