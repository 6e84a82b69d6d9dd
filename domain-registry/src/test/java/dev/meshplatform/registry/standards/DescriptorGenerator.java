package dev.meshplatform.registry.standards;

import dev.meshplatform.registry.api.Contact;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.OutputPort;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.Transformation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random valid descriptors over every part of the model, from a seeded generator. */
final class DescriptorGenerator {
    private final Random random;
    private int names;
    private final List<String> columns = new ArrayList<>();
    private final List<SchemaField> topLevel = new ArrayList<>();

    DescriptorGenerator(Random random) {
        this.random = random;
    }

    ProductDescriptor descriptor() {
        List<SchemaField> schema = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            SchemaField field = field(0, "");
            schema.add(field);
            topLevel.add(field);
        }
        List<String> partitioning = new ArrayList<>();
        for (SchemaField field : topLevel) {
            if (random.nextInt(4) == 0 && !field.type().equals("struct") && !field.type().equals("list")) {
                partitioning.add(switch (field.type()) {
                    case "timestamp", "date" -> "day(" + field.name() + ")";
                    case "string" -> random.nextBoolean() ? field.name() : "truncate(4, " + field.name() + ")";
                    default -> random.nextBoolean() ? field.name() : "bucket(16, " + field.name() + ")";
                });
            }
        }
        Map<String, Object> custom = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            custom.put(pick("costCenter", "mesh.reviewed", "owner.note", "level" + i), switch (random.nextInt(4)) {
                case 0 -> "text " + i;
                case 1 -> i;
                case 2 -> random.nextBoolean();
                default -> Map.of("nested", List.of("a", "b"));
            });
        }
        List<InputPort> inputs = new ArrayList<>();
        if (random.nextBoolean()) {
            inputs.add(new InputPort("events", InputPort.Type.KAFKA, null, null, null,
                    random.nextBoolean() ? 3 : null, null, random.nextBoolean() ? false : null, null, null));
        }
        if (random.nextBoolean()) {
            inputs.add(new InputPort("customers", InputPort.Type.PRODUCT, "crm", "customers", 1, null, null, null,
                    null, "order-enrichment"));
        }
        return new ProductDescriptor("Product " + random.nextInt(1000),
                maybe("What it holds"),
                random.nextBoolean() ? null : new ProductDescriptor.Owner("team-" + random.nextInt(9),
                        random.nextBoolean() ? List.of() : List.of(new Contact("Ada", "ada@example.com", "owner"),
                                new Contact("Bob", null, null))),
                random.nextBoolean() ? List.of() : List.of(new ProductDescriptor.Support("slack",
                        "https://example.com/slack", maybe("ask here"))),
                random.nextBoolean() ? List.of() : List.of("t" + random.nextInt(5), "core"),
                inputs,
                // people_v1: the default name of a table, said anyway.
                outputPort(maybe(pick("main", "people_v1")), maybe("by id"), partitioning),
                schema,
                random.nextBoolean() ? null : new ProductDescriptor.Slos(
                        pick("PT1H", "PT30M", "P1D", "PT90S", "P2DT3H"),
                        random.nextBoolean() ? null : pick(new BigDecimal("99.5"), new BigDecimal("100"))),
                rules(),
                random.nextBoolean() ? null : new Transformation("SELECT * FROM raw",
                        pick("*/15 * * * *", null), pick(Transformation.Mode.MERGE, null),
                        null, pick("PT10M", null)),
                random.nextBoolean() ? null : new ProductDescriptor.Retention(pick("P30D", "P1Y", "PT12H")),
                custom);
    }

    /** An output port with nothing in it exports as none: it imports as none. */
    private OutputPort outputPort(String name, String description, List<String> partitioning) {
        return name == null && description == null && partitioning.isEmpty() ? null
                : new OutputPort(name, description, partitioning);
    }

    private SchemaField field(int depth, String prefix) {
        String name = "f" + (names++);
        String type = depth < 2 && random.nextInt(6) == 0 ? pick("struct", "list")
                : pick("string", "int", "long", "double", "decimal(10,2)", "boolean", "date", "timestamp",
                "Decimal(5, 0)", "STRING");
        List<SchemaField> fields = null;
        SchemaField items = null;
        if (type.equals("struct")) {
            fields = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                fields.add(field(depth + 1, prefix + name + "."));
            }
        } else if (type.equals("list")) {
            items = new SchemaField(null, pick("string", "long"), null, null, null, List.of(), null, null);
        } else {
            columns.add(prefix + name);
        }
        return new SchemaField(name, type, pick(true, false, null), maybe("the " + name),
                pick(SchemaField.Classification.values()), random.nextBoolean() ? List.of() : List.of("x"),
                fields, items);
    }

    private List<QualityRule> rules() {
        List<QualityRule> rules = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0 && !columns.isEmpty(); i--) {
            String column = columns.get(random.nextInt(columns.size()));
            QualityRule.Severity severity = pick(QualityRule.Severity.values());
            rules.add(switch (random.nextInt(7)) {
                case 0 -> new QualityRule("r" + i, QualityRule.Type.NOT_NULL, column, null, null, null, null,
                        null, severity, maybe("no nulls"));
                case 1 -> new QualityRule("r" + i, QualityRule.Type.UNIQUE, column, null, null, null, null,
                        null, severity, null);
                case 2 -> new QualityRule("r" + i, QualityRule.Type.UNIQUE, null, List.of(column), null, null,
                        null, null, severity, null);
                case 3 -> new QualityRule("r" + i, QualityRule.Type.ACCEPTED_VALUES, column, null,
                        List.of("a", "b"), null, null, null, severity, null);
                case 4 -> new QualityRule("r" + i, QualityRule.Type.RANGE, column, null, null,
                        pick(new BigDecimal("0"), null), new BigDecimal("99.5"), null, severity, null);
                case 5 -> new QualityRule("r" + i, QualityRule.Type.ROW_COUNT, null, null, null,
                        BigDecimal.ONE, pick(new BigDecimal("1000"), BigDecimal.ONE, null), null, severity, null);
                default -> new QualityRule("r" + i, QualityRule.Type.SQL, null, null, null,
                        pick(BigDecimal.ZERO, null), new BigDecimal("10"),
                        "SELECT count(*) FROM output WHERE " + column + " IS NULL", severity, null);
            });
        }
        return rules;
    }

    private String maybe(String value) {
        return random.nextBoolean() ? value : null;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
