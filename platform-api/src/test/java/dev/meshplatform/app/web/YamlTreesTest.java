package dev.meshplatform.app.web;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class YamlTreesTest {

    private final YamlTrees trees = new YamlTrees();

    private JsonNode read(String yaml) {
        return trees.read(yaml).orElseThrow();
    }

    @Test
    void valuesKeepTheirYamlCoreTypes() {
        JsonNode tree = read("""
                int: 12
                hex: 0x1F
                tagged: !!int 0x1F
                capital: True
                big: 123456789012345678901234567890
                decimal: 0.10
                yes: true
                nothing: null
                quoted: "12"
                single: 'true'
                text: plain words
                version: 1.0.0
                list: [1, two]
                """);
        assertThat(tree.path("int").isIntegralNumber()).isTrue();
        assertThat(tree.path("int").asLong()).isEqualTo(12);
        // Plain scalars follow YAML's JSON schema: what is not a JSON number, boolean or null is text.
        assertThat(tree.path("hex").asString()).isEqualTo("0x1F");
        assertThat(tree.path("capital").asString()).isEqualTo("True");
        assertThat(tree.path("tagged").asLong()).isEqualTo(31);
        assertThat(tree.path("big").bigIntegerValue().toString()).isEqualTo("123456789012345678901234567890");
        assertThat(tree.path("decimal").decimalValue()).isEqualTo(new BigDecimal("0.10"));
        assertThat(tree.path("yes").isBoolean()).isTrue();
        assertThat(tree.path("nothing").isNull()).isTrue();
        assertThat(tree.path("quoted").isString()).isTrue();
        assertThat(tree.path("single").asString()).isEqualTo("true");
        assertThat(tree.path("text").asString()).isEqualTo("plain words");
        assertThat(tree.path("version").asString()).isEqualTo("1.0.0");
        assertThat(tree.path("list").size()).isEqualTo(2);
        assertThat(trees.read("")).isEmpty();
        assertThat(trees.read("# only a comment\n")).isEmpty();
    }

    @Test
    void anchorsAndAliasesAreExpanded() {
        JsonNode tree = read("""
                base: &base {type: string, nullable: false}
                first: *base
                names: [&n alice, *n]
                """);
        assertThat(tree.path("first")).isEqualTo(tree.path("base"));
        assertThat(tree.path("first").path("type").asString()).isEqualTo("string");
        assertThat(tree.path("names").get(1).asString()).isEqualTo("alice");
    }

    /** Ten keys of ten aliases each to the level below: 10^10 values from a few hundred bytes. */
    static String billionLaughs(String firstKey) {
        StringBuilder laughs = new StringBuilder(firstKey + ": &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 9; level++) {
            laughs.append("l").append(level).append(": &l").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*l" + (level - 1)))).append("]\n");
        }
        return laughs.toString();
    }

    @Test
    void hostileDocumentsAreRefusedWithAReason() {
        String laughs = billionLaughs("l0");
        Map<String, String> corpus = new LinkedHashMap<>();
        corpus.put("a billion laughs", laughs);
        corpus.put("duplicate keys", "a: 1\na: 2\n");
        corpus.put("duplicate keys in a flow mapping", "{a: 1, a: 2}");
        corpus.put("a recursive alias", "a: &a [1, *a]\n");
        corpus.put("an alias before its anchor", "a: *nowhere\n");
        corpus.put("two documents", "a: 1\n---\nb: 2\n");
        corpus.put("nesting deeper than the bound", "[".repeat(5_000) + "]".repeat(5_000));
        corpus.put("a binary tag", "a: !!binary aGVsbG8=\n");
        corpus.put("a custom tag", "a: !java.lang.Runtime x\n");
        corpus.put("a mapping as a key", "? {a: 1}\n: 2\n");
        corpus.put("infinity", "a: .inf\n");
        corpus.put("not YAML", "a: [unclosed\n");
        corpus.put("a tab as indentation", "a:\n\t- 1\n");
        for (Map.Entry<String, String> entry : corpus.entrySet()) {
            assertThat(refusal(entry.getValue())).as(entry.getKey()).isNotBlank();
        }
        assertThat(refusal(laughs)).contains("anchors and aliases count each time they are used");
        assertThat(refusal("a: 1\na: 2\n")).contains("duplicate key 'a'");
    }

    @Test
    void theBoundCountsWhatAliasesExpandTo() {
        // 10 × 10 × 10 × 100 = 100,000 leaves from a few hundred bytes: over the bound.
        String yaml = "a: &a [" + String.join(", ", java.util.Collections.nCopies(100, "x")) + "]\n"
                + "b: &b [" + String.join(", ", java.util.Collections.nCopies(10, "*a")) + "]\n"
                + "c: &c [" + String.join(", ", java.util.Collections.nCopies(10, "*b")) + "]\n"
                + "d: [" + String.join(", ", java.util.Collections.nCopies(10, "*c")) + "]\n";
        assertThat(yaml.length()).isLessThan(1_000);
        assertThat(refusal(yaml)).contains("more than " + YamlTrees.MAX_NODES);
        // A tenth of it fits.
        assertThat(read(yaml.substring(0, yaml.indexOf("d:"))).path("c").size()).isEqualTo(10);
    }

    private String refusal(String yaml) {
        try {
            trees.read(yaml);
            return "";
        } catch (YamlTrees.MalformedYamlException e) {
            return e.getMessage();
        }
    }
}
