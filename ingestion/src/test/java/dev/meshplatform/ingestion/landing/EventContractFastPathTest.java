package dev.meshplatform.ingestion.landing;

import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.testsupport.Descriptors;
import org.apache.iceberg.data.GenericRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming fast path against the tree path, over a corpus of valid, odd and hostile events: whatever the fast
 * path accepts, the tree path accepts as the same row, and reading an event gives what the tree path gives.
 */
class EventContractFastPathTest {

    /** The complete descriptor's top-level values, without its struct and list: a contract the fast path takes. */
    private static final List<SchemaField> FLAT = Descriptors.complete().schema().stream()
            .filter(f -> !f.type().equals("struct") && !f.type().equals("list")).toList();

    private static final String[] NAMES = {"id", "name", "age", "country", "score", "balance", "active", "birthday",
            "updated_at", "colour", "Id", "na\\u006de"};

    private static final String[] VALUES = {"7", "-9223372036854775808", "9223372036854775807",
            "9223372036854775808", "2147483647", "2147483648", "-2147483649", "0", "-0", "1.5", "1.50", "1e2", "1E-2",
            "12345678901.5", "1234567890.12", "0.005", "1.234", "\"12.3\"", "\" 12.30 \"", "\"1e400\"", "\"x\"",
            "\"\"", "\"Ada\"", "\"caf\\u00e9\"", "\"\\ud83d\\ude00\"", "\"NL\"", "true", "false", "null",
            "\"1815-12-10\"", "\"10/12/1815\"", "\"2026-02-30\"", "\"2026-01-31T12:00:00+01:00\"",
            "\"2026-01-31T12:00:00Z\"", "\"2026-01-31T12:00:00.123456789Z\"", "\"2026-01-31T12:00:00\"", "\"2026-01-31T12:00:00.5-05:30\"",
            "\"2026-01-31t12:00:00z\"", "\"2024-02-29T23:59:59-00:00\"", "\"2026-02-29T12:00:00Z\"",
            "\"2026-01-31T24:00:00Z\"", "\"2026-01-31T12:00:00+18:30\"", "\"2026-01-31T12:00:00.Z\"",
            "{}", "[]", "[1]", "{\"a\":1}", "1.7976931348623157E309", "4.9E-325", "00", "1.", "tru", "NaN"};

    private static final EventContract CONTRACT = EventContract.of(FLAT);

    @Test
    void theFastPathReadsOnlyWhatTheTreePathAcceptsAndTheSameRow() {
        List<String> corpus = corpus();
        int fast = 0;
        int accepted = 0;
        for (String event : corpus) {
            byte[] json = event.getBytes(StandardCharsets.UTF_8);
            EventContract.Outcome tree = CONTRACT.readTree(json);
            EventContract.Outcome read = CONTRACT.read(json);
            assertThat(read.refusal()).as(event).isEqualTo(tree.refusal());
            assertThat(read.row()).as(event).isEqualTo(tree.row());
            GenericRecord row = CONTRACT.readFast(json);
            if (row != null) {
                fast++;
                assertThat(tree.accepted()).as(event).isTrue();
                assertThat(row).as(event).isEqualTo(tree.row());
            }
            if (tree.accepted()) {
                accepted++;
            }
        }
        // The corpus exercises both paths: many valid events, most of them read without a tree.
        assertThat(accepted).isGreaterThan(corpus.size() / 10);
        assertThat(fast).isGreaterThan(accepted * 3 / 4);
    }

    @Test
    void aContractWithNestedFieldsHasNoFastPath() {
        EventContract nested = EventContract.of(Descriptors.complete().schema());
        assertThat(nested.readFast("{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CONTRACT.readFast("{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8))).isNotNull();
    }

    /** Valid events, each field's value drawn from valid and odd ones, and whole events broken in known ways. */
    private static List<String> corpus() {
        Random random = new Random(20261130);
        List<String> corpus = new ArrayList<>();
        String valid = "{\"id\": 1, \"name\": \"Ada\", \"age\": 36, \"country\": \"NL\", \"score\": 1.5, "
                + "\"balance\": \"12.3\", \"active\": true, \"birthday\": \"1815-12-10\", "
                + "\"updated_at\": \"2026-01-31T12:00:00+01:00\"}";
        corpus.add(valid);
        corpus.add(valid + " ");
        corpus.add(valid + " {}");
        corpus.add(valid + " x");
        corpus.add(valid.substring(0, valid.length() - 1));
        corpus.add("[" + valid + "]");
        corpus.add("null");
        corpus.add("");
        corpus.add("\"event\"");
        corpus.add("{\"id\": 1, \"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}");
        corpus.add("{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"age\": null}");
        corpus.add("{\"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}");
        corpus.add("{\"id\": null, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}");
        corpus.add("\uFEFF" + valid);
        corpus.add(valid.replace(" ", "\n\t "));
        for (int i = 0; i < 3_000; i++) {
            StringBuilder event = new StringBuilder("{");
            // Mostly the required fields with good values, then some others drawn from the whole corpus.
            List<String> parts = new ArrayList<>();
            parts.add("\"id\": " + (random.nextInt(4) == 0 ? VALUES[random.nextInt(VALUES.length)]
                    : String.valueOf(random.nextLong())));
            parts.add("\"name\": " + (random.nextInt(4) == 0 ? VALUES[random.nextInt(VALUES.length)] : "\"n\""));
            parts.add("\"updated_at\": " + (random.nextInt(4) == 0 ? VALUES[random.nextInt(VALUES.length)]
                    : "\"2026-01-31T12:00:00Z\""));
            int more = random.nextInt(5);
            for (int m = 0; m < more; m++) {
                parts.add("\"" + NAMES[random.nextInt(NAMES.length)] + "\": " + VALUES[random.nextInt(VALUES.length)]);
            }
            if (random.nextInt(20) == 0) {
                parts.remove(random.nextInt(parts.size()));
            }
            java.util.Collections.shuffle(parts, random);
            event.append(String.join(", ", parts)).append("}");
            corpus.add(event.toString());
        }
        return corpus;
    }
}
