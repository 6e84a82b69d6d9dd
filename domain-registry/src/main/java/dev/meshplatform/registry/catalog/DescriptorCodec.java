package dev.meshplatform.registry.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshplatform.registry.api.ProductDescriptor;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How descriptors are stored: canonical JSON (map keys sorted, nulls left out) and its SHA-256, so that the same
 * descriptor applied twice is recognised as unchanged whatever the order of its keys. Independent of the web
 * layer's JSON settings on purpose: stored data must not change when those do.
 */
final class DescriptorCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Stored descriptors written by a newer version must still load.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private DescriptorCodec() {
    }

    static String toJson(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static ProductDescriptor descriptor(String json) {
        return MAPPER.readValue(json, ProductDescriptor.class);
    }

    static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    static <T> T read(String json, tools.jackson.core.type.TypeReference<T> type) {
        return MAPPER.readValue(json, type);
    }

    static JsonNode tree(ProductDescriptor descriptor) {
        return MAPPER.valueToTree(descriptor);
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
