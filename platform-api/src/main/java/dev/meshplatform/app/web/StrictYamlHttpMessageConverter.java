package dev.meshplatform.app.web;

import org.springframework.core.ResolvableType;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.yaml.JacksonYamlHttpMessageConverter;
import org.springframework.util.StreamUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * YAML bodies read as the JSON tree they stand for ({@link YamlTrees}: aliases expanded within a bound, duplicate
 * keys refused), then bound to their type under the same rules as JSON. Writing YAML is Jackson's.
 */
class StrictYamlHttpMessageConverter extends JacksonYamlHttpMessageConverter {

    private final YamlTrees trees = new YamlTrees();

    StrictYamlHttpMessageConverter(YAMLMapper.Builder builder) {
        super(builder);
    }

    @Override
    public Object read(ResolvableType type, HttpInputMessage input, Map<String, Object> hints) throws IOException {
        return read(type, input);
    }

    @Override
    protected Object readInternal(Class<?> type, HttpInputMessage input) throws IOException {
        return read(ResolvableType.forClass(type), input);
    }

    private Object read(ResolvableType type, HttpInputMessage input) throws IOException {
        // The body limit applies while this reads: a body over it fails here, before any parsing.
        String text = StreamUtils.copyToString(input.getBody(), StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = trees.read(text).orElse(null);
        } catch (YamlTrees.MalformedYamlException e) {
            throw new HttpMessageNotReadableException(e.getMessage(), e, input);
        }
        if (tree == null) {
            return null;
        }
        try {
            return getMapper().readerFor(getMapper().constructType(type.getType())).readValue(tree);
        } catch (tools.jackson.core.JacksonException e) {
            throw new HttpMessageNotReadableException("the body does not fit its type: " + e.getOriginalMessage(),
                    e, input);
        }
    }
}
