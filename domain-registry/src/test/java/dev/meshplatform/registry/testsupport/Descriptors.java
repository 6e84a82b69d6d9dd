package dev.meshplatform.registry.testsupport;

import dev.meshplatform.registry.api.Contact;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.OutputPort;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.SchemaField.Classification;
import dev.meshplatform.registry.api.Transformation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Descriptors for tests: a complete one that uses every part of the model, and small variations of it. */
public final class Descriptors {

    private Descriptors() {
    }

    public static SchemaField field(String name, String type, boolean required, Classification classification) {
        return new SchemaField(name, type, required, "the " + name, classification, List.of(), null, null);
    }

    /** A source-aligned product with a Kafka input: people with name, age, country, and every type of the model. */
    public static ProductDescriptor complete() {
        List<SchemaField> schema = new ArrayList<>(List.of(
                field("id", "long", true, Classification.INTERNAL),
                field("name", "string", true, Classification.PII),
                field("age", "int", false, Classification.CONFIDENTIAL),
                field("country", "string", false, Classification.PUBLIC),
                field("score", "double", false, Classification.INTERNAL),
                field("balance", "decimal(12,2)", false, Classification.CONFIDENTIAL),
                field("active", "boolean", false, Classification.PUBLIC),
                field("birthday", "date", false, Classification.PII),
                field("updated_at", "timestamp", true, Classification.INTERNAL),
                new SchemaField("address", "struct", false, "postal address", Classification.PII, List.of("gdpr"),
                        List.of(field("city", "string", false, Classification.PII),
                                field("zip", "string", false, Classification.PII)), null),
                new SchemaField("emails", "list", false, "e-mail addresses", Classification.PII, List.of(), null,
                        new SchemaField(null, "string", null, null, null, List.of(), null, null))));
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("costCenter", "cc-42");
        custom.put("sensitivityReviewed", true);
        custom.put("nested", Map.of("level", 2));
        return new ProductDescriptor(
                "People",
                "Every person the sales domain knows about.",
                new ProductDescriptor.Owner("sales-data", List.of(new Contact("Ada", "ada@example.com", "owner"))),
                List.of(new ProductDescriptor.Support("slack", "https://example.com/slack/sales", null)),
                List.of("people", "core"),
                List.of(new InputPort("events", InputPort.Type.KAFKA, null, null, null, 3, 1, true, null, null)),
                new OutputPort("main", "people by id", List.of("day(updated_at)", "country")),
                schema,
                new ProductDescriptor.Slos("PT1H", new BigDecimal("99.5")),
                List.of(new QualityRule("id-present", QualityRule.Type.NOT_NULL, "id", null, null, null, null, null,
                                null, null),
                        new QualityRule("id-unique", QualityRule.Type.UNIQUE, "id", null, null, null, null, null,
                                QualityRule.Severity.ERROR, null),
                        new QualityRule("known-country", QualityRule.Type.ACCEPTED_VALUES, "country", null,
                                List.of("NL", "DE", "FR"), null, null, null, QualityRule.Severity.WARN, null),
                        new QualityRule("adult", QualityRule.Type.RANGE, "age", null, null, new BigDecimal("0"),
                                new BigDecimal("150"), null, null, null),
                        new QualityRule("some-rows", QualityRule.Type.ROW_COUNT, null, null, null, BigDecimal.ONE,
                                null, null, null, null),
                        new QualityRule("no-negative-balance", QualityRule.Type.SQL, null, null, null, null,
                                BigDecimal.ZERO, "SELECT count(*) FROM output WHERE balance < 0", null, null)),
                new Transformation("SELECT * FROM raw", "*/15 * * * *", Transformation.Mode.MERGE, List.of("id"), "PT10M"),
                new ProductDescriptor.Retention("P365D"),
                custom);
    }

    /** The smallest descriptor the registry accepts. */
    public static ProductDescriptor minimal(String title) {
        return new ProductDescriptor(title, null, null, null, null, null, null,
                List.of(field("id", "long", true, null)), null, null, null, null, null);
    }
}
