package dev.meshplatform.app.web;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.processing.api.RunView;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.yaml.JacksonYamlHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.List;
import java.util.Set;

/**
 * Request and response bodies in JSON and YAML with the same strictness: unknown fields, duplicate keys, nulls in
 * lists, control characters in strings and values of the wrong type are refused (Jackson 3 accepts or converts
 * them by default), decimals keep their digits. The API speaks JSON, YAML, NDJSON and CSV: the XML converter a dependency brings along is removed,
 * so that a request for XML is a 406, not a body that XML cannot carry. Boot's JSON customizers do not reach the
 * YAML mapper, so both are set up here from one place.
 */
@Configuration
class JsonConfiguration implements WebMvcConfigurer {

    static final MediaType APPLICATION_YAML = MediaType.parseMediaType("application/yaml");

    static <B extends MapperBuilder<?, ?>> B strict(B builder) {
        builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // A value of the wrong JSON type is refused, never converted: "12" is no number, 1.9 no integer,
                // "false" no boolean, 12345 or true no string, and 2 no lifecycle status.
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // A null inside a list is refused where it is sent, not found later as a missing element.
                .withConfigOverride(List.class, list -> list.setNullHandling(JsonSetter.Value.forContentNulls(
                        Nulls.FAIL)))
                .withConfigOverride(Set.class, set -> set.setNullHandling(JsonSetter.Value.forContentNulls(
                        Nulls.FAIL)))
                .addModule(new SimpleModule("strict-strings").addDeserializer(String.class, new StrictStrings()))
                .addMixIn(RunView.class, SnapshotIdAsString.class)
                .addMixIn(OutputPorts.SnapshotView.class, SnapshotIdAsString.class);
        return builder;
    }

    /**
     * Iceberg snapshot ids use all 64 bits: as JSON numbers, JavaScript (Swagger UI) and jq would round them to a
     * neighbour that does not exist, so every snapshot id the API shows is a string of digits.
     */
    abstract static class SnapshotIdAsString {
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        abstract Long snapshotId();
    }

    /**
     * A string is a JSON string without control characters other than tab, line feed and carriage return: a NUL
     * cannot be stored (PostgreSQL refuses it) and no other control character belongs in a name, a title or SQL.
     */
    static final class StrictStrings extends StdScalarDeserializer<String> {

        StrictStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (String) context.handleUnexpectedToken(String.class, parser);
            }
            String text = parser.getString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                    throw InvalidFormatException.from(parser, String.format("control character U+%04X is not "
                            + "allowed in a string", (int) c), text, String.class);
                }
            }
            return text;
        }
    }

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return JsonConfiguration::strict;
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        JacksonYamlHttpMessageConverter yaml = new StrictYamlHttpMessageConverter(strict(YAMLMapper.builder()));
        yaml.setSupportedMediaTypes(List.of(APPLICATION_YAML, MediaType.parseMediaType("application/x-yaml"),
                MediaType.parseMediaType("text/yaml"), MediaType.parseMediaType("application/*+yaml")));
        builder.withYamlConverter(yaml);
        builder.configureMessageConvertersList(converters -> converters.removeIf(converter ->
                converter.getSupportedMediaTypes().stream().anyMatch(type -> type.getSubtype().endsWith("xml"))));
    }
}
