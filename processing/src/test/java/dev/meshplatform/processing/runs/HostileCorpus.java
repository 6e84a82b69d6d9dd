package dev.meshplatform.processing.runs;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The hostile SQL corpus ({@code hostile-corpus.yaml}): entries and the views they run over. */
public final class HostileCorpus {

    public static final String RESOURCE = "/dev/meshplatform/processing/runs/hostile-corpus.yaml";
    public static final Set<String> TRANSFORMATION_VIEWS = Set.of("raw", "sales__orders_v1");
    public static final Set<String> RULE_VIEWS = Set.of("output");

    /** One entry; {@code line} and {@code column} are null when the entry states no position. */
    public record Entry(String id, String family, String kind, String sql, String expect, String construct,
                        Integer line, Integer column, JsonNode rows, String cause) {

        public Set<String> views() {
            return "rule".equals(kind) ? RULE_VIEWS : TRANSFORMATION_VIEWS;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private HostileCorpus() {
    }

    public static JsonNode document() {
        try (InputStream in = HostileCorpus.class.getResourceAsStream(RESOURCE)) {
            return YAMLMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : document().path("entries")) {
            entries.add(new Entry(e.path("id").asString(), e.path("family").asString(), e.path("kind").asString(),
                    e.path("sql").asString(), e.path("expect").asString(), text(e, "construct"), number(e, "line"),
                    number(e, "column"), e.get("rows"), text(e, "cause")));
        }
        return entries;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asString() : null;
    }

    private static Integer number(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asInt() : null;
    }
}
