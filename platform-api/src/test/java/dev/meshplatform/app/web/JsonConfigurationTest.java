package dev.meshplatform.app.web;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonConfigurationTest {

    enum Status { DRAFT, PUBLISHED }

    record Body(String title, Integer partitions, Boolean startLanding, BigDecimal ratio, List<String> tags,
                Status to) {
    }

    private static final JsonMapper JSON = JsonConfiguration.strict(JsonMapper.builder()).build();
    private static final YAMLMapper YAML = JsonConfiguration.strict(YAMLMapper.builder()).build();

    @Test
    void valuesOfTheRightTypeAreRead() {
        Body body = JSON.readValue("{\"title\":\"a\\tb\\nc\",\"partitions\":12,\"startLanding\":false,"
                + "\"ratio\":1.50,\"tags\":[\"x\"],\"to\":\"PUBLISHED\"}", Body.class);
        assertThat(body).isEqualTo(new Body("a\tb\nc", 12, false, new BigDecimal("1.50"), List.of("x"),
                Status.PUBLISHED));
        assertThat(YAML.readValue("title: T\npartitions: 3\nratio: 2\n", Body.class).partitions()).isEqualTo(3);
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedNotConverted() {
        List<String> accepted = new java.util.ArrayList<>();
        for (String json : List.of("{\"title\":12345}", "{\"title\":true}", "{\"title\":1.5}",
                "{\"partitions\":\"12\"}", "{\"partitions\":1.9}", "{\"partitions\":1.0}",
                "{\"startLanding\":\"false\"}", "{\"startLanding\":0}", "{\"to\":1}", "{\"to\":\"published\"}",
                "{\"tags\":[null]}", "{\"tags\":[\"a\",7]}", "{\"title\":\"a\",\"title\":\"b\"}",
                "{\"title\":\"a\\u0000b\"}", "{\"title\":\"\\u001b[31m\"}", "{\"tags\":[\"\\u007f\"]}",
                "{\"title\":{\"a\":1}}", "{\"title\":[\"a\"]}")) {
            if (!refused(() -> JSON.readValue(json, Body.class))) {
                accepted.add(json);
            }
        }
        for (String yaml : List.of("title: 12345\n", "partitions: \"12\"\n", "title: a\ntitle: b\n",
                "tags: [null]\n", "startLanding: \"false\"\n")) {
            if (!refused(() -> YAML.readValue(yaml, Body.class))) {
                accepted.add(yaml);
            }
        }
        assertThat(accepted).as("accepted though wrong").isEmpty();
    }

    private static boolean refused(Runnable read) {
        try {
            read.run();
            return false;
        } catch (JacksonException expected) {
            return true;
        }
    }

    @Test
    void mapValuesAreCheckedToo() {
        assertThatThrownBy(() -> JSON.readValue("{\"a\":\"x\\u0000\"}", Map.class))
                .isInstanceOf(JacksonException.class);
        assertThat(JSON.readValue("{\"a\":\"x\",\"b\":2}", Map.class)).containsEntry("a", "x");
    }
}
