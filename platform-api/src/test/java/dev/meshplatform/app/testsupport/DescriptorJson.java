package dev.meshplatform.app.testsupport;

import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.testsupport.Descriptors;
import tools.jackson.databind.node.ObjectNode;

/** Descriptors of the registry's test fixtures as JSON bodies. */
public final class DescriptorJson {

    private DescriptorJson() {
    }

    public static ObjectNode complete() {
        return Api.JSON.valueToTree(Descriptors.complete());
    }

    public static ObjectNode titled(String title) {
        ObjectNode node = complete();
        node.put("title", title);
        return node;
    }

    public static String text(ProductDescriptor descriptor) {
        return Api.JSON.writeValueAsString(descriptor);
    }
}
