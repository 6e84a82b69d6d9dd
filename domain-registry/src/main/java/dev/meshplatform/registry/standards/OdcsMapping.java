package dev.meshplatform.registry.standards;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshplatform.registry.api.Contact;
import dev.meshplatform.registry.api.FieldType;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.OdpsProducts;
import dev.meshplatform.registry.api.OutputPort;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.SemanticVersion;
import dev.meshplatform.registry.api.Transformation;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The descriptor ↔ ODCS v3.1.0 mapping, both ways, in one place (docs/standards.md is its description). Export maps
 * every descriptor field; what ODCS has no place for travels in custom properties named {@code mesh.*}. Import reads
 * what the platform acts on, refuses what it cannot honour, and keeps the rest as a {@link DocumentDelta} that export
 * lays back over the document.
 */
final class OdcsMapping implements OdcsContracts {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    /** The descriptor's custom properties that hold what imports kept: never exported as custom properties. */
    static final Set<String> KEPT_KEYS = Set.of(KEPT, OdpsProducts.KEPT);
    static final String MESH = "mesh.";
    static final String INPUT_PORTS = "mesh.inputPorts";
    static final String TRANSFORMATION = "mesh.transformation";
    static final String OUTPUT_PORT_NAME = "mesh.outputPortName";
    static final String PARTITIONING = "mesh.partitioning";
    static final String ESCAPED = "mesh.custom.";
    static final String PARTITION_TRANSFORM = "partitionTransform";
    static final String TYPE_AS_WRITTEN = "meshType";
    static final String RANGE_MIN = "rangeMin";
    static final String RANGE_MAX = "rangeMax";
    static final String COLUMN = "column";

    /** What the server decides, whatever an imported document says: left out of what is kept. */
    static final Set<String> SERVER_OWNED = Set.of("/apiVersion", "/kind", "/id", "/version", "/status",
            "/domain", "/dataProduct", "/servers", "/schema/0/name", "/schema/0/physicalName",
            "/schema/0/logicalType", "/schema/0/physicalType");

    private static final Pattern PARTITION = Pattern.compile(
            "\\s*(?:[a-z]+\\(\\s*(?:\\d+\\s*,\\s*)?)?([A-Za-z][A-Za-z0-9_]*)\\s*\\)?\\s*");
    private static final Pattern DURATION = Pattern.compile("P(?:(\\d+)([YMWD])|T(\\d+)([HMS]))");
    private static final Pattern DECIMAL_PRECISION = Pattern.compile("(?:decimal|numeric)\\(\\s*(\\d+)\\s*\\)");
    private static final Pattern DECIMAL = Pattern.compile("(?:decimal|numeric)\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    // ---------------------------------------------------------------- export

    @Override
    public ObjectNode export(String domain, String product, String version, LifecycleStatus status,
                             ProductDescriptor descriptor, String kafkaBootstrapServers) {
        ObjectNode document = exportMapped(domain, product, version, status, descriptor, kafkaBootstrapServers);
        Object kept = descriptor.customProperties().get(KEPT);
        if (kept != null) {
            DocumentDelta.fromTree(MAPPER.valueToTree(kept)).applyTo(document);
        }
        return document;
    }

    @Override
    public ObjectNode asVersion(ObjectNode exported, String apiVersion) {
        return NewerMinors.ODCS.unfold(exported, apiVersion);
    }

    /** The export of what the platform acts on, without the parts kept from an import. */
    ObjectNode exportMapped(String domain, String product, String version, LifecycleStatus status,
                            ProductDescriptor d, String kafkaBootstrapServers) {
        ProductMajor major = new ProductMajor(domain, product, SemanticVersion.parse(version).major());
        ObjectNode doc = NODES.objectNode();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", "DataContract");
        doc.put("id", major.key());
        doc.put("name", d.title());
        doc.put("version", version);
        doc.put("status", status(status));
        doc.put("domain", domain);
        doc.put("dataProduct", product);
        if (d.description() != null) {
            doc.putObject("description").put("purpose", d.description());
        }
        if (!d.tags().isEmpty()) {
            strings(doc.putArray("tags"), d.tags());
        }
        ObjectNode table = doc.putArray("schema").addObject();
        table.put("name", major.outputTable());
        table.put("physicalName", major.namespace() + "." + major.outputTable());
        table.put("logicalType", "object");
        table.put("physicalType", "table");
        if (d.outputPort() != null && d.outputPort().description() != null) {
            table.put("description", d.outputPort().description());
        }
        Map<String, ObjectNode> byColumn = new LinkedHashMap<>();
        ArrayNode properties = table.putArray("properties");
        for (SchemaField field : d.schema()) {
            properties.add(property(field, "", byColumn));
        }
        boolean partitionsOnProperties = markPartitions(d, byColumn);
        ArrayNode tableQuality = NODES.arrayNode();
        for (QualityRule rule : d.quality()) {
            ObjectNode on = rule.column() == null ? null : byColumn.get(rule.column());
            ObjectNode check = quality(rule, on == null && rule.column() != null);
            if (on == null) {
                tableQuality.add(check);
            } else {
                (on.has("quality") ? (ArrayNode) on.get("quality") : on.putArray("quality")).add(check);
            }
        }
        if (!tableQuality.isEmpty()) {
            table.set("quality", tableQuality);
        }
        team(doc, d.owner());
        support(doc, d.support());
        ArrayNode sla = NODES.arrayNode();
        if (d.slos() != null && d.slos().freshness() != null) {
            sla.add(durationSla("latency", d.slos().freshness()));
        }
        if (d.slos() != null && d.slos().completeness() != null) {
            sla.addObject().put("property", "completeness").put("value", d.slos().completeness())
                    .put("unit", "percent");
        }
        if (d.retention() != null) {
            sla.add(durationSla("retention", d.retention().period()));
        }
        if (d.transformation() != null && d.transformation().schedule() != null) {
            sla.addObject().put("property", "frequency").put("value", d.transformation().schedule())
                    .put("unit", "cron");
        }
        if (!sla.isEmpty()) {
            doc.set("slaProperties", sla);
        }
        ArrayNode servers = doc.putArray("servers");
        if (d.kafkaInput().isPresent()) {
            ObjectNode kafka = servers.addObject();
            kafka.put("server", "kafka");
            kafka.put("type", "kafka");
            kafka.put("description", "the product's own topic; events that do not fit go to the dead-letter topic");
            kafka.put("host", kafkaBootstrapServers);
            kafka.put("format", "json");
            ArrayNode custom = kafka.putArray("customProperties");
            custom.addObject().put("property", "topic").put("value", major.topic());
            custom.addObject().put("property", "deadLetterTopic").put("value", major.deadLetterTopic());
        }
        ObjectNode iceberg = servers.addObject();
        iceberg.put("server", "iceberg");
        iceberg.put("type", "custom");
        iceberg.put("description", "the output port's Iceberg table");
        iceberg.put("format", "iceberg");
        iceberg.put("database", major.namespace());
        iceberg.putArray("customProperties").addObject().put("property", "table")
                .put("value", major.namespace() + "." + major.outputTable());
        ArrayNode custom = NODES.arrayNode();
        if (!d.inputPorts().isEmpty()) {
            custom.addObject().put("property", INPUT_PORTS).set("value", MAPPER.valueToTree(d.inputPorts()));
        }
        if (d.transformation() != null) {
            custom.addObject().put("property", TRANSFORMATION).set("value", MAPPER.valueToTree(d.transformation()));
        }
        if (d.outputPort() != null && d.outputPort().name() != null) {
            custom.addObject().put("property", OUTPUT_PORT_NAME).put("value", d.outputPort().name());
        }
        if (!partitionsOnProperties) {
            strings(custom.addObject().put("property", PARTITIONING).putArray("value"), d.outputPort().partitioning());
        }
        customProperties(custom, d.customProperties());
        if (!custom.isEmpty()) {
            doc.set("customProperties", custom);
        }
        return doc;
    }

    /** The owner as ODCS and ODPS write a team: members by username (the e-mail, or the name). */
    static void team(ObjectNode doc, ProductDescriptor.Owner owner) {
        if (owner != null) {
            ObjectNode team = doc.putObject("team");
            team.put("name", owner.team());
            if (!owner.contacts().isEmpty()) {
                ArrayNode members = team.putArray("members");
                for (Contact contact : owner.contacts()) {
                    ObjectNode member = members.addObject();
                    member.put("username", contact.email() != null ? contact.email() : contact.name());
                    member.put("name", contact.name());
                    if (contact.role() != null) {
                        member.put("role", contact.role());
                    }
                }
            }
        }
    }

    static void support(ObjectNode doc, List<ProductDescriptor.Support> channels) {
        if (!channels.isEmpty()) {
            ArrayNode support = doc.putArray("support");
            for (ProductDescriptor.Support channel : channels) {
                ObjectNode item = support.addObject();
                item.put("channel", channel.channel());
                item.put("url", channel.url());
                if (channel.description() != null) {
                    item.put("description", channel.description());
                }
            }
        }
    }

    /** The descriptor's own custom properties, {@code mesh.*} names escaped, what imports kept left out. */
    static void customProperties(ArrayNode custom, Map<String, Object> properties) {
        properties.forEach((key, value) -> {
            if (!KEPT_KEYS.contains(key)) {
                custom.addObject().put("property", key.startsWith(MESH) ? ESCAPED + key : key)
                        .set("value", MAPPER.valueToTree(value));
            }
        });
    }

    static String status(LifecycleStatus status) {
        return switch (status) {
            case DRAFT -> "draft";
            case PUBLISHED -> "active";
            case DEPRECATED -> "deprecated";
            case RETIRED -> "retired";
        };
    }

    private ObjectNode property(SchemaField field, String parentPath, Map<String, ObjectNode> byColumn) {
        ObjectNode p = NODES.objectNode();
        if (field.name() != null) {
            p.put("name", field.name());
        }
        FieldType type = parsedOrNull(field.type());
        if (type != null) {
            p.put("logicalType", logicalType(type.kind()));
            p.put("physicalType", physicalType(type));
        } else {
            p.put("physicalType", field.type());
        }
        if (field.required() != null) {
            p.put("required", field.required());
        }
        if (field.description() != null) {
            p.put("description", field.description());
        }
        if (field.classification() != null) {
            p.put("classification", field.classification().name().toLowerCase(Locale.ROOT));
        }
        if (!field.tags().isEmpty()) {
            strings(p.putArray("tags"), field.tags());
        }
        String path = field.name() == null ? null : parentPath + field.name();
        if (path != null) {
            byColumn.putIfAbsent(path, p);
        }
        if (field.fields() != null) {
            ArrayNode children = p.putArray("properties");
            for (SchemaField child : field.fields()) {
                children.add(property(child, path == null ? "\u0000" : path + ".", byColumn));
            }
        }
        if (field.items() != null) {
            p.set("items", property(field.items(), "\u0000", byColumn));
        }
        if (type == null || !type.toString().equals(field.type())) {
            customProperty(p, TYPE_AS_WRITTEN, NODES.stringNode(field.type()));
        }
        return p;
    }

    /** Marks the partition columns on their properties; false when a transform cannot be written there. */
    private static boolean markPartitions(ProductDescriptor d, Map<String, ObjectNode> byColumn) {
        List<String> partitioning = d.outputPort() == null ? List.of() : d.outputPort().partitioning();
        List<ObjectNode> marked = new ArrayList<>();
        for (String spec : partitioning) {
            Matcher matcher = PARTITION.matcher(spec);
            ObjectNode column = matcher.matches() ? byColumn.get(matcher.group(1)) : null;
            if (column == null || marked.contains(column) || column.has("partitioned")
                    || !spec.equals(matcher.group(1)) && !spec.contains("(")) {
                marked.forEach(node -> {
                    node.remove("partitioned");
                    node.remove("partitionKeyPosition");
                    removeCustomProperty(node, PARTITION_TRANSFORM);
                });
                return false;
            }
            marked.add(column);
        }
        for (int i = 0; i < marked.size(); i++) {
            ObjectNode column = marked.get(i);
            String spec = partitioning.get(i);
            // Written before the custom properties a property already has, so the export's key order is stable.
            ObjectNode rewritten = NODES.objectNode();
            column.properties().forEach(e -> {
                if (!e.getKey().equals("customProperties") && !e.getKey().equals("properties")
                        && !e.getKey().equals("items") && !e.getKey().equals("quality")) {
                    rewritten.set(e.getKey(), e.getValue());
                }
            });
            rewritten.put("partitioned", true);
            rewritten.put("partitionKeyPosition", i + 1);
            for (String key : List.of("properties", "items", "quality", "customProperties")) {
                if (column.has(key)) {
                    rewritten.set(key, column.get(key));
                }
            }
            column.removeAll();
            column.setAll(rewritten);
            if (!spec.equals(column.get("name").asString())) {
                customProperty(column, PARTITION_TRANSFORM, NODES.stringNode(spec));
            }
        }
        return true;
    }

    private ObjectNode quality(QualityRule rule, boolean columnUnplaced) {
        ObjectNode q = NODES.objectNode();
        q.put("name", rule.name());
        if (rule.description() != null) {
            q.put("description", rule.description());
        }
        switch (rule.type()) {
            case NOT_NULL -> q.put("type", "library").put("metric", "nullValues").put("mustBe", 0);
            case UNIQUE -> {
                q.put("type", "library").put("metric", "duplicateValues");
                if (rule.columns() != null) {
                    strings(q.putObject("arguments").putArray("properties"), rule.columns());
                }
                q.put("mustBe", 0);
            }
            case ACCEPTED_VALUES -> {
                q.put("type", "library").put("metric", "invalidValues");
                q.putObject("arguments").set("validValues", MAPPER.valueToTree(
                        rule.values() == null ? List.of() : rule.values()));
                q.put("mustBe", 0);
            }
            case RANGE -> {
                List<String> outside = new ArrayList<>();
                if (rule.min() != null) {
                    outside.add(rule.column() + " < " + rule.min().toPlainString());
                }
                if (rule.max() != null) {
                    outside.add(rule.column() + " > " + rule.max().toPlainString());
                }
                q.put("type", "sql").put("query", "SELECT count(*) FROM ${object} WHERE "
                        + (outside.isEmpty() ? "false" : String.join(" OR ", outside)));
                q.put("mustBe", 0);
                if (rule.min() != null) {
                    customProperty(q, RANGE_MIN, NODES.numberNode(rule.min()));
                }
                if (rule.max() != null) {
                    customProperty(q, RANGE_MAX, NODES.numberNode(rule.max()));
                }
            }
            case ROW_COUNT -> bounds(q.put("type", "library").put("metric", "rowCount"), rule);
            case SQL -> bounds(q.put("type", "sql").put("query", rule.query()), rule);
        }
        if (rule.severity() != null) {
            q.put("severity", rule.severity() == QualityRule.Severity.WARN ? "warning" : "error");
        }
        if (columnUnplaced) {
            customProperty(q, COLUMN, NODES.stringNode(rule.column()));
        }
        return q;
    }

    private static void bounds(ObjectNode q, QualityRule rule) {
        if (rule.min() != null && rule.max() != null && rule.min().compareTo(rule.max()) != 0) {
            q.putArray("mustBeBetween").add(rule.min()).add(rule.max());
        } else if (rule.min() != null && rule.max() != null) {
            q.put("mustBe", rule.min());
        } else if (rule.min() != null) {
            q.put("mustBeGreaterOrEqualTo", rule.min());
        } else if (rule.max() != null) {
            q.put("mustBeLessOrEqualTo", rule.max());
        }
    }

    private static ObjectNode durationSla(String property, String duration) {
        ObjectNode sla = NODES.objectNode().put("property", property);
        Matcher matcher = DURATION.matcher(duration);
        if (matcher.matches()) {
            boolean time = matcher.group(3) != null;
            long amount = Long.parseLong(time ? matcher.group(3) : matcher.group(1));
            String unit = switch ((time ? "T" : "") + (time ? matcher.group(4) : matcher.group(2))) {
                case "Y" -> "y";
                case "M" -> "month";
                case "W" -> "w";
                case "D" -> "d";
                case "TH" -> "h";
                case "TM" -> "m";
                default -> "s";
            };
            if (String.valueOf(amount).equals(time ? matcher.group(3) : matcher.group(1))) {
                return sla.put("value", amount).put("unit", unit);
            }
        }
        return sla.put("value", duration);
    }

    static String logicalType(FieldType.Kind kind) {
        return switch (kind) {
            case STRING -> "string";
            case INT, LONG -> "integer";
            case DOUBLE, DECIMAL -> "number";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case STRUCT -> "object";
            case LIST -> "array";
        };
    }

    static String physicalType(FieldType type) {
        return switch (type.kind()) {
            case STRING -> "string";
            case INT -> "int";
            case LONG -> "bigint";
            case DOUBLE -> "double";
            case DECIMAL -> type.toString();
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIMESTAMP -> "timestamptz";
            case STRUCT -> "struct";
            case LIST -> "list";
        };
    }

    private static FieldType parsedOrNull(String type) {
        try {
            return FieldType.parse(type);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void customProperty(ObjectNode node, String property, JsonNode value) {
        ArrayNode custom = node.has("customProperties") ? (ArrayNode) node.get("customProperties")
                : node.putArray("customProperties");
        custom.addObject().put("property", property).set("value", value);
    }

    private static void removeCustomProperty(ObjectNode node, String property) {
        if (node.get("customProperties") instanceof ArrayNode custom) {
            for (int i = custom.size() - 1; i >= 0; i--) {
                if (property.equals(custom.get(i).path("property").asString(null))) {
                    custom.remove(i);
                }
            }
            if (custom.isEmpty()) {
                node.remove("customProperties");
            }
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    // ---------------------------------------------------------------- import

    @Override
    public Imported read(JsonNode document, String domain, String product, String version) {
        Reading reading = new Reading(domain, "");
        JsonNode folded = withoutRunResults(NewerMinors.ODCS.fold(document, reading.warnings), reading.warnings);
        ProductDescriptor mapped = reading.guarded("", () -> reading.descriptor(folded));
        reading.refuseIfAnyProblem("the contract has parts the platform cannot honour");
        ProductDescriptor kept = keep(folded, domain, product, version, mapped, reading);
        return new Imported(kept, reading.warnings(), path -> DocumentPaths.inContract(kept, path));
    }

    /** The document without the run results an export adds on request: the server's, ignored with a warning. */
    static JsonNode withoutRunResults(JsonNode document, List<String> warnings) {
        if (!(document.get("customProperties") instanceof ArrayNode custom)) {
            return document;
        }
        ObjectNode copy = null;
        for (int i = custom.size() - 1; i >= 0; i--) {
            if (LAST_RUN.equals(custom.get(i).path("property").asString(null))) {
                copy = copy == null ? ((ObjectNode) document).deepCopy() : copy;
                ((ArrayNode) copy.get("customProperties")).remove(i);
                warnings.add("customProperties[" + i + "]: " + LAST_RUN + " ignored, run results are the server's");
            }
        }
        if (copy != null && copy.get("customProperties").isEmpty()) {
            copy.remove("customProperties");
        }
        return copy == null ? document : copy;
    }

    /** {@code d} with what {@code document} says beyond d's own export kept in the custom property {@value KEPT}. */
    ProductDescriptor keep(JsonNode document, String domain, String product, String version, ProductDescriptor d,
                           Reading reading) {
        JsonNode exported = exportMapped(domain, product, version, LifecycleStatus.DRAFT, d, "");
        reading.disagreements(exported, document, SERVER_OWNED);
        return reading.keep(d, KEPT, DocumentDelta.between(exported, document, SERVER_OWNED));
    }

    /** One import: the problems found (paths in the document) and the warnings. */
    static final class Reading {
        final String domain;
        final List<RegistryException.FieldProblem> problems = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<QualityRule> quality = new ArrayList<>();
        final List<Partition> partitions = new ArrayList<>();
        final Set<String> madeUp = new java.util.HashSet<>();

        /** Where the document sits in what was sent: empty for a document alone, {@code [1].} in a bundle. */
        final String at;

        Reading(String domain, String at) {
            this.domain = domain;
            this.at = at;
        }

        /** The warnings, each path placed in what was sent. */
        List<String> warnings() {
            return warnings.stream().map(warning -> at + warning).toList();
        }

        /** A JSON Pointer as the paths of problems and warnings are written: {@code schema[0].properties[1].tags}. */
        static String dotted(String pointer) {
            StringBuilder path = new StringBuilder();
            for (String segment : pointer.substring(1).split("/", -1)) {
                if (segment.matches("\\d+")) {
                    path.append('[').append(segment).append(']');
                } else {
                    path.append(path.isEmpty() ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
                }
            }
            return path.toString();
        }

        void refuseIfAnyProblem(String message) {
            if (!problems.isEmpty()) {
                throw RegistryException.invalid(message, problems);
            }
        }

        /**
         * A warning for each field the server owns that the document gives another value (the version is applied as
         * a draft, so a status other than draft disagrees); agreeing ones, as in an export sent back, say nothing.
         */
        void disagreements(JsonNode exported, JsonNode document, Set<String> serverOwned) {
            serverOwned.stream().sorted().forEach(pointer -> {
                JsonNode given = document.at(pointer);
                JsonNode ours = exported.at(pointer);
                if (given.isMissingNode() || withoutHosts(given).equals(withoutHosts(ours))) {
                    return;
                }
                String path = dotted(pointer);
                warnings.add(switch (path) {
                    case "status" -> "status: '" + given.asString("") + "' ignored, the server keeps the lifecycle "
                            + "status: an applied version is a draft until a transition publishes it";
                    case "servers" -> "servers: ignored, the platform names the topic and table";
                    default -> path + ": " + (given.isValueNode() ? "'" + given.asString("") + "'" : "the value")
                            + " ignored, the server's is " + (ours.isValueNode() ? "'" + ours.asString("") + "'"
                            : "its own");
                });
            });
        }

        /** Servers compared without their host: where clients connect is the deployment's, not the contract's. */
        private static JsonNode withoutHosts(JsonNode node) {
            if (!node.isArray()) {
                return node;
            }
            ArrayNode copy = ((ArrayNode) node).deepCopy();
            copy.forEach(item -> {
                if (item instanceof ObjectNode server) {
                    server.remove("host");
                }
            });
            return copy;
        }

        /** {@code d} with {@code kept} in its custom property {@code key}, and a warning per kept value. */
        ProductDescriptor keep(ProductDescriptor d, String key, DocumentDelta kept) {
            Map<String, Object> custom = new LinkedHashMap<>(d.customProperties());
            custom.remove(key);
            if (!kept.isEmpty()) {
                custom.put(key, MAPPER.treeToValue(kept.toTree(), Object.class));
                kept.set().keySet().forEach(path -> warnings.add(dotted(path) + ": kept as given, not acted on"));
            }
            return new ProductDescriptor(d.title(), d.description(), d.owner(), d.support(), d.tags(),
                    d.inputPorts(), d.outputPort(), d.schema(), d.slos(), d.quality(), d.transformation(),
                    d.retention(), custom);
        }

        record Partition(int position, int order, String spec) {
        }

        void refuse(String path, String message) {
            String whole = at.isEmpty() ? "$" : at.substring(0, at.length() - 1);
            problems.add(new RegistryException.FieldProblem(path.isEmpty() ? whole : at + path, message));
        }

        ProductDescriptor descriptor(JsonNode doc) {
            if (!doc.isObject()) {
                refuse("$", "an ODCS document is an object");
                return null;
            }
            String apiVersion = doc.path("apiVersion").asString("");
            if (!apiVersion.matches("v3\\.\\d+\\.\\d+")) {
                refuse("apiVersion", "the platform reads ODCS v3 documents (v3.1.0 and older v3.0.x), not '"
                        + apiVersion + "'");
            }
            if (!"DataContract".equals(doc.path("kind").asString(""))) {
                refuse("kind", "must be DataContract");
            }
            String title = text(doc, "name", "name");
            String description = text(doc.path("description"), "purpose", "description.purpose");
            List<String> tags = strings(doc.get("tags"), "tags");
            JsonNode schema = doc.get("schema");
            List<SchemaField> fields = new ArrayList<>();
            String tableDescription = null;
            if (schema == null || !schema.isArray() || schema.size() != 1) {
                refuse("schema", "one schema object is needed: the output port's table");
            } else {
                JsonNode table = schema.get(0);
                tableDescription = text(table, "description", "schema[0].description");
                JsonNode properties = table.get("properties");
                if (properties == null || !properties.isArray()) {
                    refuse("schema[0].properties", "the table's columns are needed");
                } else {
                    for (int i = 0; i < properties.size(); i++) {
                        String at = "schema[0].properties[" + i + "]";
                        JsonNode property = properties.get(i);
                        addPresent(fields, guarded(at, () -> field(property, at, "", true)));
                    }
                }
                rules(table.get("quality"), "schema[0].quality", null);
            }
            ProductDescriptor.Owner owner = guarded("team", () -> owner(doc.get("team")));
            List<ProductDescriptor.Support> support = guarded("support", () -> support(doc.get("support")));
            support = support == null ? List.of() : support;
            String freshness = null;
            BigDecimal completeness = null;
            ProductDescriptor.Retention retention = null;
            JsonNode sla = doc.get("slaProperties");
            if (sla != null && sla.isArray()) {
                for (int i = 0; i < sla.size(); i++) {
                    JsonNode item = sla.get(i);
                    String path = "slaProperties[" + i + "]";
                    if (!item.isObject() || (item.has("value") && !item.get("value").isValueNode())) {
                        refuse(path, "an SLA property is an object with a property and a plain value");
                        continue;
                    }
                    switch (item.path("property").asString("")) {
                        case "latency", "freshness" -> freshness = duration(item, path);
                        case "retention" -> {
                            String period = duration(item, path);
                            retention = period == null ? null : new ProductDescriptor.Retention(period);
                        }
                        case "completeness" -> {
                            if (item.path("value").isNumber()) {
                                completeness = item.path("value").decimalValue();
                            } else {
                                refuse(path + ".value", "completeness is a percentage, a number from 0 to 100");
                            }
                        }
                        default -> {
                            // frequency comes from the transformation's schedule; the others are kept as given.
                        }
                    }
                }
            }
            List<InputPort> inputPorts = List.of();
            Transformation transformation = null;
            String outputPortName = null;
            List<String> partitioning = null;
            Map<String, Object> custom = new LinkedHashMap<>();
            JsonNode customProperties = doc.get("customProperties");
            if (customProperties != null && customProperties.isArray()) {
                for (int i = 0; i < customProperties.size(); i++) {
                    JsonNode item = customProperties.get(i);
                    String property = item.path("property").asString("");
                    String path = "customProperties[" + i + "].value";
                    JsonNode value = item.get("value");
                    try {
                        switch (property) {
                            case INPUT_PORTS -> inputPorts = withoutNulls(MAPPER.treeToValue(value,
                                    new TypeReference<List<InputPort>>() { }), path);
                            case TRANSFORMATION -> transformation = MAPPER.treeToValue(value, Transformation.class);
                            case OUTPUT_PORT_NAME -> outputPortName = value.asString();
                            case PARTITIONING -> partitioning = withoutNulls(MAPPER.treeToValue(value,
                                    new TypeReference<List<String>>() { }), path);
                            default -> customProperty(property, value, "customProperties[" + i + "]", custom);
                        }
                    } catch (RuntimeException e) {
                        refuse(path, "does not fit " + property + ": " + reason(e));
                    }
                }
            }
            if (partitioning == null) {
                partitioning = partitions.stream()
                        .sorted(Comparator.comparingInt(Partition::position).thenComparingInt(Partition::order))
                        .map(Partition::spec).toList();
            }
            OutputPort outputPort = outputPortName == null && tableDescription == null && partitioning.isEmpty()
                    ? null : new OutputPort(outputPortName, tableDescription, partitioning);
            ProductDescriptor.Slos slos = freshness == null && completeness == null ? null
                    : new ProductDescriptor.Slos(freshness, completeness);
            return new ProductDescriptor(title, description, owner, support, tags, inputPorts, outputPort, fields,
                    slos, quality, transformation, retention, custom);
        }

        /**
         * What {@code read} makes of one part of the document, or null and a refusal at {@code path} when the part is
         * not in a form the reading expects (a text where a number belongs, a list holding nothing).
         */
        <T> T guarded(String path, java.util.function.Supplier<T> read) {
            try {
                return read.get();
            } catch (RegistryException e) {
                throw e;
            } catch (RuntimeException e) {
                refuse(path, "not in the form the standard gives it");
                return null;
            }
        }

        /** The list without its nulls (refused at {@code path}); empty for none. */
        <T> List<T> withoutNulls(List<T> list, String path) {
            if (list == null) {
                refuse(path, "a list");
                return List.of();
            }
            if (list.contains(null)) {
                refuse(path, "a list without nulls");
            }
            return list.stream().filter(java.util.Objects::nonNull).toList();
        }

        /** A name for an unnamed check, told apart from the names of the checks before it (the descriptor's are unique). */
        String madeUpName(String base) {
            Set<String> taken = new java.util.HashSet<>(madeUp);
            quality.forEach(rule -> taken.add(rule.name()));
            String name = base;
            for (int n = 2; taken.contains(name); n++) {
                name = base + "-" + n;
            }
            madeUp.add(name);
            return name;
        }

        /** Why a value did not read, in the reader's words: an exception's own text only where it describes the value. */
        static String reason(RuntimeException e) {
            return e instanceof NullPointerException || e.getMessage() == null ? "a value is needed"
                    : e.getMessage().lines().findFirst().orElse("");
        }

        static <T> void addPresent(List<T> list, T value) {
            if (value != null) {
                list.add(value);
            }
        }

        /** A custom property of the descriptor's own, as the export writes them ({@code mesh.*} escaped). */
        void customProperty(String property, JsonNode value, String path, Map<String, Object> custom) {
            if (KEPT_KEYS.contains(property)) {
                warnings.add(path + ": the name " + property + " is the platform's own; kept as given");
            } else if (property.startsWith(ESCAPED)) {
                custom.put(property.substring(ESCAPED.length()), MAPPER.treeToValue(value, Object.class));
            } else if (property.startsWith(MESH)) {
                refuse(path + ".property", "'" + property
                        + "' is not one of the platform's properties (mesh.* is reserved)");
            } else {
                custom.put(property, value == null ? null : MAPPER.treeToValue(value, Object.class));
            }
        }

        SchemaField field(JsonNode p, String path, String parentColumn, boolean topLevel) {
            if (!p.isObject()) {
                refuse(path, "a property is an object");
                return null;
            }
            String name = text(p, "name", path + ".name");
            String type = type(p, path);
            JsonNode asWritten = customValue(p, TYPE_AS_WRITTEN);
            if (asWritten != null && asWritten.isString()) {
                type = asWritten.asString();
            }
            Boolean required = null;
            if (p.has("required")) {
                if (p.get("required").isBoolean()) {
                    required = p.get("required").booleanValue();
                } else {
                    refuse(path + ".required", "true or false");
                }
            }
            SchemaField.Classification classification = null;
            if (p.has("classification")) {
                String value = p.get("classification").asString("").toUpperCase(Locale.ROOT);
                try {
                    classification = SchemaField.Classification.valueOf(value);
                } catch (IllegalArgumentException e) {
                    refuse(path + ".classification", "masking and access policies key on public, internal, "
                            + "confidential or pii; '" + p.get("classification").asString("") + "' is none of them");
                }
            }
            String column = name == null ? null : parentColumn + name;
            List<SchemaField> children = null;
            if (p.get("properties") instanceof ArrayNode properties) {
                children = new ArrayList<>();
                for (int i = 0; i < properties.size(); i++) {
                    String at = path + ".properties[" + i + "]";
                    JsonNode child = properties.get(i);
                    String parent = column == null ? "\u0000" : column + ".";
                    addPresent(children, guarded(at, () -> field(child, at, parent, false)));
                }
            }
            SchemaField items = null;
            if (p.has("items")) {
                items = field(p.get("items"), path + ".items", "\u0000", false);
            }
            if (p.path("partitioned").asBoolean(false)) {
                if (!topLevel) {
                    refuse(path + ".partitioned", "only top-level columns partition the table");
                } else if (name != null) {
                    JsonNode transform = customValue(p, PARTITION_TRANSFORM);
                    partitions.add(new Partition(p.path("partitionKeyPosition").asInt(-1) < 0 ? Integer.MAX_VALUE
                            : p.path("partitionKeyPosition").asInt(), partitions.size(),
                            transform != null && transform.isString() ? transform.asString() : name));
                }
            }
            if (p.has("quality")) {
                if (column == null || column.contains("\u0000")) {
                    refuse(path + ".quality", "quality rules run on named columns and struct fields, not list items");
                } else {
                    rules(p.get("quality"), path + ".quality", column);
                }
            }
            return new SchemaField(name, type, required, text(p, "description", path + ".description"),
                    classification, strings(p.get("tags"), path + ".tags"), children, items);
        }

        String type(JsonNode p, String path) {
            String physical = p.path("physicalType").asString("").trim().toLowerCase(Locale.ROOT);
            String logical = p.path("logicalType").asString("");
            Matcher decimal = DECIMAL.matcher(physical);
            if (decimal.matches()) {
                return "decimal(" + decimal.group(1) + "," + decimal.group(2) + ")";
            }
            Matcher precisionOnly = DECIMAL_PRECISION.matcher(physical);
            if (precisionOnly.matches()) {
                // SQL's DECIMAL(p) has scale 0.
                return "decimal(" + precisionOnly.group(1) + ",0)";
            }
            if (physical.equals("decimal") || physical.equals("numeric")) {
                refuse(path + ".physicalType", "a decimal needs its precision and scale, e.g. decimal(12,2): "
                        + "engines default them differently");
                return "string";
            }
            String byPhysical = switch (physical.replaceAll("\\(.*\\)$", "")) {
                case "string", "varchar", "char", "text" -> "string";
                case "int", "integer", "int32" -> "int";
                case "bigint", "long", "int64" -> "long";
                case "double", "float64", "double precision" -> "double";
                case "boolean", "bool" -> "boolean";
                case "date" -> "date";
                case "timestamptz", "timestamp", "timestamp with time zone" -> "timestamp";
                case "struct", "object", "record" -> "struct";
                case "list", "array" -> "list";
                case "time", "binary", "varbinary", "bytes", "uuid", "map", "interval", "fixed" -> {
                    refuse(path + ".physicalType", "'" + p.path("physicalType").asString()
                            + "' has no type in the platform's tables");
                    yield "string";
                }
                default -> null;
            };
            if (byPhysical != null) {
                return byPhysical;
            }
            return switch (logical) {
                case "string" -> "string";
                case "integer" -> "long";
                case "number" -> "double";
                case "boolean" -> "boolean";
                case "date" -> "date";
                case "timestamp" -> "timestamp";
                case "object" -> "struct";
                case "array" -> "list";
                case "time" -> {
                    refuse(path + ".logicalType", "a time of day has no type in the platform's tables");
                    yield "string";
                }
                default -> {
                    refuse(path + ".logicalType", "a logicalType (or a physicalType the platform knows) is needed");
                    yield "string";
                }
            };
        }

        void rules(JsonNode checks, String path, String column) {
            if (checks == null) {
                return;
            }
            if (!checks.isArray()) {
                refuse(path, "a list of quality checks");
                return;
            }
            for (int i = 0; i < checks.size(); i++) {
                String at = path + "[" + i + "]";
                JsonNode check = checks.get(i);
                addPresent(quality, guarded(at, () -> rule(check, at, column)));
            }
        }

        QualityRule rule(JsonNode q, String path, String column) {
            String type = q.path("type").asString(q.has("metric") ? "library" : "library");
            String metric = q.path("metric").asString(q.path("rule").asString(""));
            String name = q.has("name") ? text(q, "name", path + ".name") : madeUpName(
                    (metric.isEmpty() ? type : metric) + (column == null ? "" : "-" + column));
            String description = text(q, "description", path + ".description");
            QualityRule.Severity severity = null;
            if (q.has("severity")) {
                severity = switch (q.get("severity").asString("")) {
                    case "error" -> QualityRule.Severity.ERROR;
                    case "warning", "warn", "info" -> QualityRule.Severity.WARN;
                    default -> {
                        refuse(path + ".severity", "error, warning or info");
                        yield null;
                    }
                };
            }
            JsonNode ownColumn = customValue(q, COLUMN);
            if (column == null && ownColumn != null && ownColumn.isString()) {
                column = ownColumn.asString();
            }
            if (q.has("unit") && !"rows".equals(q.get("unit").asString())) {
                refuse(path + ".unit", "the platform counts rows; a check in '" + q.get("unit").asString()
                        + "' cannot run");
                return null;
            }
            switch (type) {
                case "text" -> {
                    warnings.add(path + ": a text check is documentation; kept, not run");
                    return null;
                }
                case "custom" -> {
                    refuse(path + ".type", "vendor-specific checks (custom) cannot run on the platform; "
                            + "use library metrics or sql");
                    return null;
                }
                case "library" -> {
                    switch (metric) {
                        case "nullValues", "duplicateValues", "invalidValues" -> {
                            if (!zero(q.get("mustBe"))) {
                                refuse(path, "the platform checks that there are none: mustBe: 0");
                                return null;
                            }
                            if (metric.equals("nullValues")) {
                                if (column == null) {
                                    refuse(path + ".metric", "nullValues needs a column: put it on the property");
                                    return null;
                                }
                                return new QualityRule(name, QualityRule.Type.NOT_NULL, column, null, null, null,
                                        null, null, severity, description);
                            }
                            if (metric.equals("duplicateValues")) {
                                List<String> columns = strings(q.path("arguments").get("properties"),
                                        path + ".arguments.properties");
                                if (column == null && columns.isEmpty()) {
                                    refuse(path + ".metric", "duplicateValues needs a column or "
                                            + "arguments.properties");
                                    return null;
                                }
                                return new QualityRule(name, QualityRule.Type.UNIQUE, column,
                                        q.path("arguments").has("properties") ? columns : null, null, null, null,
                                        null, severity, description);
                            }
                            JsonNode valid = q.path("arguments").get("validValues");
                            if (column == null || valid == null || !valid.isArray()) {
                                refuse(path + ".arguments", "invalidValues runs with arguments.validValues on a "
                                        + "property (patterns cannot run)");
                                return null;
                            }
                            return new QualityRule(name, QualityRule.Type.ACCEPTED_VALUES, column, null,
                                    MAPPER.treeToValue(valid, new TypeReference<List<Object>>() { }), null, null,
                                    null, severity, description);
                        }
                        case "rowCount" -> {
                            BigDecimal[] bounds = bounds(q, path);
                            return bounds == null ? null : new QualityRule(name, QualityRule.Type.ROW_COUNT, null,
                                    null, null, bounds[0], bounds[1], null, severity, description);
                        }
                        default -> {
                            refuse(path + ".metric", "'" + metric + "' cannot run on the platform: it runs "
                                    + "nullValues, duplicateValues, invalidValues and rowCount");
                            return null;
                        }
                    }
                }
                case "sql" -> {
                    String query = q.path("query").asString("");
                    JsonNode min = customValue(q, RANGE_MIN);
                    JsonNode max = customValue(q, RANGE_MAX);
                    if (column != null && (min != null || max != null)) {
                        return new QualityRule(name, QualityRule.Type.RANGE, column, null, null,
                                min == null ? null : min.decimalValue(), max == null ? null : max.decimalValue(),
                                null, severity, description);
                    }
                    BigDecimal[] bounds = bounds(q, path);
                    String runnable = query.replace("${object}", "output").replace("${table}", "output");
                    if (column != null) {
                        // A check on a property names it with the standard's placeholders.
                        runnable = runnable.replace("${column}", column).replace("${property}", column);
                    } else if (runnable.contains("${column}") || runnable.contains("${property}")) {
                        refuse(path + ".query", "${column} and ${property} name the property a check is on; "
                                + "this check is on the table");
                        return null;
                    }
                    return bounds == null ? null : new QualityRule(name, QualityRule.Type.SQL, null, null, null,
                            bounds[0], bounds[1], runnable, severity, description);
                }
                default -> {
                    refuse(path + ".type", "text, library, sql or custom");
                    return null;
                }
            }
        }

        BigDecimal[] bounds(JsonNode q, String path) {
            for (String unsupported : List.of("mustNotBe", "mustBeGreaterThan", "mustBeLessThan",
                    "mustNotBeBetween")) {
                if (q.has(unsupported)) {
                    refuse(path + "." + unsupported, "the platform checks inclusive bounds: use mustBe, "
                            + "mustBeGreaterOrEqualTo, mustBeLessOrEqualTo or mustBeBetween");
                    return null;
                }
            }
            if (q.path("mustBe").isNumber()) {
                return new BigDecimal[]{q.get("mustBe").decimalValue(), q.get("mustBe").decimalValue()};
            }
            if (q.path("mustBeBetween").isArray() && q.get("mustBeBetween").size() == 2) {
                return new BigDecimal[]{q.get("mustBeBetween").get(0).decimalValue(),
                        q.get("mustBeBetween").get(1).decimalValue()};
            }
            BigDecimal min = q.path("mustBeGreaterOrEqualTo").isNumber()
                    ? q.get("mustBeGreaterOrEqualTo").decimalValue() : null;
            BigDecimal max = q.path("mustBeLessOrEqualTo").isNumber()
                    ? q.get("mustBeLessOrEqualTo").decimalValue() : null;
            if (min == null && max == null) {
                refuse(path, "a numeric bound is needed (mustBe, mustBeBetween, mustBeGreaterOrEqualTo or "
                        + "mustBeLessOrEqualTo)");
                return null;
            }
            return new BigDecimal[]{min, max};
        }

        ProductDescriptor.Owner owner(JsonNode team) {
            if (team == null) {
                return null;
            }
            JsonNode members = team.isArray() ? team : team.get("members");
            String name = team.isObject() ? text(team, "name", "team.name") : null;
            if (name == null) {
                name = domain;
                warnings.add("team.name: none given, the domain's name is used");
            }
            List<Contact> contacts = new ArrayList<>();
            if (members != null && members.isArray()) {
                for (JsonNode member : members) {
                    String username = member.path("username").asString(null);
                    String memberName = member.path("name").asString(username);
                    contacts.add(new Contact(memberName,
                            username == null || username.equals(memberName) ? null : username,
                            member.path("role").asString(null)));
                }
            }
            return new ProductDescriptor.Owner(name, contacts);
        }

        List<ProductDescriptor.Support> support(JsonNode support) {
            List<ProductDescriptor.Support> channels = new ArrayList<>();
            if (support != null && support.isArray()) {
                for (int i = 0; i < support.size(); i++) {
                    JsonNode item = support.get(i);
                    if (item.has("url")) {
                        channels.add(new ProductDescriptor.Support(text(item, "channel", "support[" + i + "].channel"),
                                text(item, "url", "support[" + i + "].url"),
                                text(item, "description", "support[" + i + "].description")));
                    } else {
                        warnings.add("support[" + i + "]: no url, kept as given but not listed as a channel");
                    }
                }
            }
            return channels;
        }

        String duration(JsonNode item, String path) {
            JsonNode value = item.get("value");
            String unit = item.path("unit").asString(null);
            if (unit == null && value != null && value.isString()) {
                return value.asString();
            }
            if (unit == null || value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()
                    || value.asLong() < 0) {
                refuse(path + ".value", "an ISO-8601 duration, or a whole number with a unit");
                return null;
            }
            long n = value.asLong();
            return switch (unit.toLowerCase(Locale.ROOT)) {
                case "y", "yr", "year", "years" -> "P" + n + "Y";
                case "month", "months" -> "P" + n + "M";
                case "w", "week", "weeks" -> "P" + n + "W";
                case "d", "day", "days" -> "P" + n + "D";
                case "h", "hour", "hours" -> "PT" + n + "H";
                case "m", "min", "minute", "minutes" -> "PT" + n + "M";
                case "s", "sec", "second", "seconds" -> "PT" + n + "S";
                default -> {
                    refuse(path + ".unit", "a unit of time: y, month, w, d, h, m or s");
                    yield null;
                }
            };
        }

        String text(JsonNode node, String key, String path) {
            JsonNode value = node == null ? null : node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isString()) {
                refuse(path, "text");
                return null;
            }
            return value.asString();
        }

        List<String> strings(JsonNode node, String path) {
            List<String> values = new ArrayList<>();
            if (node == null) {
                return values;
            }
            if (!node.isArray()) {
                refuse(path, "a list of text");
                return values;
            }
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isString()) {
                    values.add(node.get(i).asString());
                } else {
                    refuse(path + "[" + i + "]", "text");
                }
            }
            return values;
        }

        static boolean zero(JsonNode value) {
            return value != null && value.isNumber() && value.decimalValue().signum() == 0;
        }
    }

    static JsonNode customValue(JsonNode node, String property) {
        JsonNode custom = node.get("customProperties");
        if (custom != null && custom.isArray()) {
            for (JsonNode item : custom) {
                if (property.equals(item.path("property").asString(null))) {
                    return item.get("value");
                }
            }
        }
        return null;
    }
}
