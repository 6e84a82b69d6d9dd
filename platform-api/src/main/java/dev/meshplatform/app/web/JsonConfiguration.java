package dev.meshplatform.app.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.yaml.JacksonYamlHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.List;

/**
 * Request and response bodies in JSON and YAML with the same strictness: unknown fields are refused (Jackson 3
 * accepts them by default), decimals keep their digits. Boot's JSON customizers do not reach the YAML mapper, so
 * both are set up here from one place.
 */
@Configuration
class JsonConfiguration implements WebMvcConfigurer {

    static final MediaType APPLICATION_YAML = MediaType.parseMediaType("application/yaml");

    static <B extends MapperBuilder<?, ?>> B strict(B builder) {
        builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        return builder;
    }

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return JsonConfiguration::strict;
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        JacksonYamlHttpMessageConverter yaml = new JacksonYamlHttpMessageConverter(strict(YAMLMapper.builder()));
        yaml.setSupportedMediaTypes(List.of(APPLICATION_YAML, MediaType.parseMediaType("application/x-yaml"),
                MediaType.parseMediaType("text/yaml"), MediaType.parseMediaType("application/*+yaml")));
        builder.withYamlConverter(yaml);
    }
}
