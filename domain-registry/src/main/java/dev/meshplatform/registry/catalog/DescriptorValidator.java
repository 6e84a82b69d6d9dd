package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.CronSchedule;
import dev.meshplatform.registry.api.FieldType;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.Names;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.RegistryException.FieldProblem;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.Transformation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a descriptor must satisfy to be stored: the bean constraints of its records and the rules between
 * its parts (types, references to fields, ports, schedules). Policies (what may be published) are governance's.
 */
final class DescriptorValidator {

    /** Starts with a letter: names with a leading underscore are the platform's own columns. */
    private static final Pattern FIELD_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,127}$");
    private static final Pattern PARTITION = Pattern.compile(
            "^\\s*(?:(year|month|day|hour)\\(\\s*([^,()\\s]+)\\s*\\)|(bucket|truncate)\\(\\s*(\\d{1,6})\\s*,\\s*([^,()\\s]+)\\s*\\)|([^,()\\s]+))\\s*$");

    private final Validator validator;

    DescriptorValidator(Validator validator) {
        this.validator = validator;
    }

    List<FieldProblem> validate(String domain, String product, ProductDescriptor d) {
        List<FieldProblem> problems = new ArrayList<>();
        for (ConstraintViolation<ProductDescriptor> v : validator.validate(d)) {
            problems.add(new FieldProblem(cleanPath(v.getPropertyPath().toString()), v.getMessage()));
        }
        checkSchema("schema", d.schema(), problems);
        checkInputPorts(domain, product, d, problems);
        checkPartitioning(d, problems);
        checkQuality(d, problems);
        checkTransformation(d, problems);
        checkDurations(d, problems);
        d.customProperties().keySet().stream()
                .filter(k -> k.isBlank() || k.length() > 128)
                .forEach(k -> problems.add(new FieldProblem("customProperties",
                        "property names are 1 to 128 characters: '" + k + "'")));
        problems.sort(Comparator.comparing(FieldProblem::field));
        return problems.stream().distinct().toList();
    }

    // Hibernate Validator names container elements "<list element>"; clients want plain paths.
    private static String cleanPath(String path) {
        return path.replace(".<list element>", "").replace(".<map value>", "").replace("<list element>", "");
    }

    private void checkSchema(String path, List<SchemaField> fields, List<FieldProblem> problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            SchemaField f = fields.get(i);
            String at = path + "[" + i + "]";
            if (f == null) {
                problems.add(new FieldProblem(at, "must not be null"));
                continue;
            }
            if (f.name() == null || !FIELD_NAME.matcher(f.name()).matches()) {
                problems.add(new FieldProblem(at + ".name",
                        "a field name starts with a letter and has letters, digits and '_' (at most 128)"));
            } else if (!seen.add(f.name().toLowerCase(Locale.ROOT))) {
                problems.add(new FieldProblem(at + ".name", "duplicate field name '" + f.name()
                        + "' (names are case-insensitive in Spark SQL)"));
            }
            checkType(at, f, problems, 0);
        }
    }

    private void checkType(String at, SchemaField f, List<FieldProblem> problems, int depth) {
        if (depth > 10) {
            problems.add(new FieldProblem(at, "types nest at most 10 levels deep"));
            return;
        }
        FieldType type;
        try {
            type = FieldType.parse(f.type());
        } catch (IllegalArgumentException e) {
            if (f.type() != null && !f.type().isBlank()) {
                problems.add(new FieldProblem(at + ".type", e.getMessage()));
            }
            return;
        }
        if (type.kind() == FieldType.Kind.STRUCT) {
            if (f.fields() == null || f.fields().isEmpty()) {
                problems.add(new FieldProblem(at + ".fields", "a struct declares its fields"));
            } else {
                checkSchema(at + ".fields", f.fields(), problems);
            }
        } else if (f.fields() != null) {
            problems.add(new FieldProblem(at + ".fields", "only a struct has fields"));
        }
        if (type.kind() == FieldType.Kind.LIST) {
            if (f.items() == null) {
                problems.add(new FieldProblem(at + ".items", "a list declares the type of its items"));
            } else {
                checkType(at + ".items", f.items(), problems, depth + 1);
            }
        } else if (f.items() != null) {
            problems.add(new FieldProblem(at + ".items", "only a list has items"));
        }
    }

    private void checkInputPorts(String domain, String product, ProductDescriptor d, List<FieldProblem> problems) {
        Set<String> names = new HashSet<>();
        int kafkaPorts = 0;
        for (int i = 0; i < d.inputPorts().size(); i++) {
            InputPort p = d.inputPorts().get(i);
            String at = "inputPorts[" + i + "]";
            if (p == null || p.type() == null) {
                continue;
            }
            if (p.name() != null && !names.add(p.name())) {
                problems.add(new FieldProblem(at + ".name", "duplicate input port name '" + p.name() + "'"));
            }
            if (p.type() == InputPort.Type.KAFKA) {
                kafkaPorts++;
                if (p.domain() != null || p.product() != null || p.majorVersion() != null || p.purpose() != null) {
                    problems.add(new FieldProblem(at, "a kafka port reads the product's own topic: "
                            + "domain, product, majorVersion and purpose belong to product ports"));
                }
                if (p.schema() != null) {
                    if (p.schema().isEmpty()) {
                        problems.add(new FieldProblem(at + ".schema", "leave the schema out or declare its fields"));
                    }
                    checkSchema(at + ".schema", p.schema(), problems);
                }
            } else {
                if (!Names.isValidName(p.domain())) {
                    problems.add(new FieldProblem(at + ".domain", "the input product's domain (lower-kebab)"));
                }
                if (!Names.isValidName(p.product())) {
                    problems.add(new FieldProblem(at + ".product", "the input product's name (lower-kebab)"));
                }
                if (p.majorVersion() == null) {
                    problems.add(new FieldProblem(at + ".majorVersion", "the input product's major version"));
                }
                if (domain.equals(p.domain()) && product.equals(p.product())) {
                    problems.add(new FieldProblem(at, "a product cannot read its own output port"));
                }
                if (p.purpose() != null && !p.purpose().matches("[a-z0-9][a-z0-9-]*")) {
                    problems.add(new FieldProblem(at + ".purpose", "a purpose is lower-kebab, e.g. fraud-detection"));
                } else if (p.purpose() == null && p.domain() != null && !domain.equals(p.domain())) {
                    problems.add(new FieldProblem(at + ".purpose", "another domain's product is read for a purpose: "
                            + "name it (the purpose of the grant you hold, e.g. campaign-planning)"));
                }
                if (p.partitions() != null || p.replicationFactor() != null || p.startLanding() != null
                        || p.schema() != null) {
                    problems.add(new FieldProblem(at, "partitions, replicationFactor, startLanding and schema "
                            + "belong to kafka ports"));
                }
            }
        }
        if (kafkaPorts > 1) {
            problems.add(new FieldProblem("inputPorts", "a product has at most one kafka input port (its own topic)"));
        }
    }

    private void checkPartitioning(ProductDescriptor d, List<FieldProblem> problems) {
        if (d.outputPort() == null) {
            return;
        }
        if (d.outputPort().name() != null && !Names.isValidName(d.outputPort().name())) {
            problems.add(new FieldProblem("outputPort.name", "lower-kebab, 2 to 63 characters"));
        }
        List<String> partitioning = d.outputPort().partitioning();
        for (int i = 0; i < partitioning.size(); i++) {
            String at = "outputPort.partitioning[" + i + "]";
            String spec = partitioning.get(i);
            Matcher m = spec == null ? null : PARTITION.matcher(spec);
            if (m == null || !m.matches()) {
                problems.add(new FieldProblem(at, "use column, year(c), month(c), day(c), hour(c), bucket(N, c) "
                        + "or truncate(N, c)"));
                continue;
            }
            String column = m.group(2) != null ? m.group(2) : m.group(5) != null ? m.group(5) : m.group(6);
            Optional<SchemaField> field = topLevel(d.schema(), column);
            if (field.isEmpty()) {
                problems.add(new FieldProblem(at, "no top-level field '" + column + "' in the schema"));
                continue;
            }
            FieldType type = safeType(field.get());
            if (type == null) {
                continue;
            }
            if (type.kind() == FieldType.Kind.STRUCT || type.kind() == FieldType.Kind.LIST) {
                problems.add(new FieldProblem(at, "cannot partition by a " + type));
            } else if (m.group(1) != null && !type.kind().isTemporal()) {
                problems.add(new FieldProblem(at, m.group(1) + "() needs a date or timestamp field, '"
                        + column + "' is " + type));
            } else if (m.group(1) != null && m.group(1).equals("hour") && type.kind() != FieldType.Kind.TIMESTAMP) {
                problems.add(new FieldProblem(at, "hour() needs a timestamp field"));
            } else if (m.group(3) != null && Integer.parseInt(m.group(4)) < 1) {
                problems.add(new FieldProblem(at, m.group(3) + " needs a width of at least 1"));
            }
        }
    }

    private void checkQuality(ProductDescriptor d, List<FieldProblem> problems) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < d.quality().size(); i++) {
            QualityRule r = d.quality().get(i);
            String at = "quality[" + i + "]";
            if (r == null || r.type() == null) {
                continue;
            }
            if (r.name() != null && !names.add(r.name())) {
                problems.add(new FieldProblem(at + ".name", "duplicate rule name '" + r.name() + "'"));
            }
            switch (r.type()) {
                case NOT_NULL, ACCEPTED_VALUES, RANGE -> requireColumn(d, at, r.column(), problems);
                case UNIQUE -> {
                    if (r.column() == null && (r.columns() == null || r.columns().isEmpty())) {
                        problems.add(new FieldProblem(at + ".column", "unique names a column or columns"));
                    }
                    if (r.column() != null) {
                        requireColumn(d, at, r.column(), problems);
                    }
                    if (r.columns() != null) {
                        r.columns().forEach(c -> requireColumn(d, at + ".columns", c, problems));
                    }
                }
                case ROW_COUNT, SQL -> {
                    if (r.column() != null) {
                        problems.add(new FieldProblem(at + ".column", r.type().name().toLowerCase(Locale.ROOT)
                                + " rules apply to the whole result, not a column"));
                    }
                }
            }
            if (r.type() == QualityRule.Type.ACCEPTED_VALUES && (r.values() == null || r.values().isEmpty())) {
                problems.add(new FieldProblem(at + ".values", "accepted_values lists the values"));
            }
            if ((r.type() == QualityRule.Type.RANGE || r.type() == QualityRule.Type.ROW_COUNT
                    || r.type() == QualityRule.Type.SQL) && r.min() == null && r.max() == null) {
                problems.add(new FieldProblem(at, "give min, max or both"));
            }
            if (r.min() != null && r.max() != null && r.min().compareTo(r.max()) > 0) {
                problems.add(new FieldProblem(at + ".min", "min is greater than max"));
            }
            if (r.type() == QualityRule.Type.SQL && (r.query() == null || r.query().isBlank())) {
                problems.add(new FieldProblem(at + ".query", "a sql rule has a query over the view 'output'"));
            }
            if (r.type() != QualityRule.Type.SQL && r.query() != null) {
                problems.add(new FieldProblem(at + ".query", "only sql rules have a query"));
            }
        }
    }

    private void requireColumn(ProductDescriptor d, String at, String column, List<FieldProblem> problems) {
        if (column == null || column.isBlank()) {
            problems.add(new FieldProblem(at + ".column", "the rule names a column"));
        } else if (resolve(d.schema(), column).isEmpty()) {
            problems.add(new FieldProblem(at + ".column", "no field '" + column + "' in the schema"));
        }
    }

    private void checkTransformation(ProductDescriptor d, List<FieldProblem> problems) {
        Transformation t = d.transformation();
        if (t == null) {
            return;
        }
        if (t.schedule() != null) {
            try {
                CronSchedule.parse(t.schedule());
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("transformation.schedule", e.getMessage()));
            }
        }
        if (t.timeLimit() != null) {
            try {
                java.time.Duration limit = java.time.Duration.parse(t.timeLimit());
                if (limit.isNegative() || limit.isZero()) {
                    problems.add(new FieldProblem("transformation.timeLimit", "a positive duration"));
                }
            } catch (java.time.format.DateTimeParseException e) {
                problems.add(new FieldProblem("transformation.timeLimit",
                        "an ISO-8601 duration such as PT10M or PT2H"));
            }
        }
        List<String> keys = t.mergeKeys();
        if (t.effectiveMode() == Transformation.Mode.MERGE) {
            if (keys == null || keys.isEmpty()) {
                problems.add(new FieldProblem("transformation.mergeKeys", "merge mode needs the key columns"));
            } else {
                keys.stream().filter(k -> topLevel(d.schema(), k).isEmpty()).forEach(k -> problems.add(
                        new FieldProblem("transformation.mergeKeys", "no top-level field '" + k + "' in the schema")));
            }
        } else if (keys != null) {
            problems.add(new FieldProblem("transformation.mergeKeys", "only merge mode has merge keys"));
        }
    }

    private void checkDurations(ProductDescriptor d, List<FieldProblem> problems) {
        if (d.slos() != null && d.slos().freshness() != null && !isDuration(d.slos().freshness())) {
            problems.add(new FieldProblem("slos.freshness", "an ISO-8601 duration such as PT15M, PT1H or P1D"));
        }
        if (d.retention() != null && d.retention().period() != null && !d.retention().period().isBlank()
                && !isPeriod(d.retention().period())) {
            problems.add(new FieldProblem("retention.period", "an ISO-8601 period such as P30D, P1Y or PT12H"));
        }
    }

    private static boolean isDuration(String text) {
        try {
            return !Duration.parse(text).isNegative();
        } catch (DateTimeParseException e) {
            return isPeriod(text);
        }
    }

    private static boolean isPeriod(String text) {
        try {
            return !Period.parse(text).isNegative();
        } catch (DateTimeParseException e) {
            try {
                return !Duration.parse(text).isNegative();
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }

    private static FieldType safeType(SchemaField f) {
        try {
            return FieldType.parse(f.type());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Optional<SchemaField> topLevel(List<SchemaField> fields, String name) {
        return fields.stream().filter(f -> f != null && f.name() != null && f.name().equalsIgnoreCase(name))
                .findFirst();
    }

    /** A field by a dotted path into structs, e.g. {@code address.city}. */
    private static Optional<SchemaField> resolve(List<SchemaField> fields, String path) {
        String[] parts = path.split("\\.", 2);
        Optional<SchemaField> head = topLevel(fields, parts[0]);
        if (parts.length == 1 || head.isEmpty()) {
            return head;
        }
        return head.get().fields() == null ? Optional.empty() : resolve(head.get().fields(), parts[1]);
    }
}
