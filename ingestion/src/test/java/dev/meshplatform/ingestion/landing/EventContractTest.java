package dev.meshplatform.ingestion.landing;

import dev.meshplatform.registry.testsupport.Descriptors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventContractTest {

    private final EventContract contract = EventContract.of(Descriptors.complete().schema());

    private EventContract.Outcome read(String json) {
        return contract.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aValidEventBecomesARowOfEveryType() {
        EventContract.Outcome outcome = read("""
                {"id": 7, "name": "Ada", "age": 36, "country": "NL", "score": 1.5, "balance": "12.3",
                 "active": true, "birthday": "1815-12-10", "updated_at": "2026-01-31T12:00:00+01:00",
                 "address": {"city": "London"}, "emails": ["ada@example.com", null]}
                """);
        assertThat(outcome.refusal()).isNull();
        Record row = outcome.row();
        assertThat(row.getField("id")).isEqualTo(7L);
        assertThat(row.getField("age")).isEqualTo(36);
        assertThat(row.getField("score")).isEqualTo(1.5);
        assertThat(row.getField("balance")).isEqualTo(new BigDecimal("12.30"));
        assertThat(row.getField("birthday")).isEqualTo(LocalDate.of(1815, 12, 10));
        assertThat(row.getField("updated_at")).isEqualTo(OffsetDateTime.parse("2026-01-31T12:00:00+01:00"));
        assertThat(((Record) row.getField("address")).getField("city")).isEqualTo("London");
        assertThat(((Record) row.getField("address")).getField("zip")).isNull();
        assertThat((List<Object>) row.getField("emails")).containsExactly("ada@example.com", null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\": 1|malformed JSON",
            "[1, 2]|an event is a JSON object, got an array",
            "{\"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}|missing required field 'id'",
            "{\"id\": null, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}|required field 'id' is null",
            "{\"id\": \"7\", \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}|field 'id' must be a long, got a string \"7\"",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"age\": 3000000000}|field 'age' must be an int",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"age\": 1.5}|field 'age' must be an int",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"score\": 1e309}|field 'score' does not fit a double",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00\"}|field 'updated_at' must be an ISO-8601 timestamp with an offset",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"birthday\": \"10/12/1815\"}|field 'birthday' must be a date",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"balance\": 1.234}|field 'balance' has more than 2 decimal places",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"balance\": 12345678901.5}|field 'balance' does not fit decimal(12,2)",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"colour\": \"red\"}|unknown field 'colour'",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"address\": {\"street\": \"x\"}}|unknown field 'address.street'",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"emails\": [\"a\", 2]}|field 'emails[1]' must be a string",
            "{\"id\": 1, \"id\": 2, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}|malformed JSON: Duplicate Object property",
            "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"} {}|malformed JSON"
    })
    void invalidEventsAreRefusedWithTheirReason(String json, String reason) {
        EventContract.Outcome outcome = read(json);
        assertThat(outcome.accepted()).isFalse();
        assertThat(outcome.refusal()).startsWith(reason);
    }

    @Test
    void reasonsAreInPlainWordsWithoutParserInternals() {
        for (String json : new String[]{"{\"id\": 1", "{\"id\": tru}", "{\"id\": 1,,}", "\u0000", "{\"id\": 1} x",
                "{\"id\": 1, \"id\": 2}", "{\"id\": \"a\nb}"}) {
            String reason = read(json).refusal();
            assertThat(reason).as(json).startsWith("malformed JSON: ").doesNotContain("StreamReadFeature")
                    .doesNotContain("REDACTED").doesNotContain("\n").doesNotContain("Source:");
        }
        assertThat(read("{\"id\": 1,\n \"x\" ~}").refusal()).contains("(line 2, column");
        assertThat(read("{\"name\": null, \"id\": 1, \"updated_at\": \"2026-01-01T00:00:00Z\", \"age\": null, "
                + "\"address\": []}").refusal()).doesNotContain("null null");
        assertThat(read("null").refusal()).isEqualTo("an event is a JSON object, got null");
    }

    @Test
    void aWiderTableColumnTakesTheValue() {
        // A later minor version widened age from int to long: the table holds longs.
        Schema widened = IcebergSchemas.rawTableSchema(Descriptors.complete().schema());
        Schema table = new Schema(widened.columns().stream()
                .map(c -> c.name().equals("age") ? Types.NestedField.optional(c.fieldId(), "age", Types.LongType.get())
                        : c).toList());
        EventContract onWiderTable = new EventContract(Descriptors.complete().schema(), table);
        Record row = onWiderTable.read(("{\"id\": 1, \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", "
                + "\"age\": 5}").getBytes(StandardCharsets.UTF_8)).row();
        assertThat(row.getField("age")).isEqualTo(5L);
    }
}
