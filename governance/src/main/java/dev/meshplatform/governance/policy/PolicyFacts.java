package dev.meshplatform.governance.policy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.SemanticVersion;

import java.util.List;
import java.util.Locale;

/** The values policies see: registry objects turned into the messages of {@link PolicyTypes}. */
final class PolicyFacts {

    private PolicyFacts() {
    }

    public static Message product(String domain, String product, String version, LifecycleStatus status,
                                  ProductDescriptor descriptor) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(PolicyTypes.PRODUCT);
        set(b, "domain", domain);
        set(b, "name", product);
        set(b, "version", version);
        if (version != null) {
            set(b, "major", (long) SemanticVersion.parse(version).major());
        }
        set(b, "status", status == null ? null : status.name());
        if (descriptor == null) {
            return b.build();
        }
        set(b, "title", descriptor.title());
        set(b, "description", descriptor.description());
        set(b, "owner", descriptor.owner() == null ? null : descriptor.owner().team());
        descriptor.tags().forEach(t -> add(b, "tags", t));
        descriptor.schema().forEach(f -> add(b, "schema", field(f, f.name())));
        // List items have no name of their own (nothing to describe or classify); their fields do.
        FieldPaths.of(descriptor.schema()).forEach((path, field) -> {
            if (!FieldPaths.isItems(path)) {
                add(b, "all_fields", field(field, path));
            }
        });
        // An input port's own schema is data the platform lands: documented and retained like the output's.
        descriptor.kafkaInput().filter(k -> k.schema() != null && !k.schema().isEmpty()).ifPresent(kafka ->
                FieldPaths.of(kafka.schema()).forEach((path, field) -> {
                    if (!FieldPaths.isItems(path)) {
                        add(b, "all_fields", field(field, "inputPorts." + kafka.name() + "." + path));
                    }
                }));
        for (QualityRule rule : descriptor.quality()) {
            DynamicMessage.Builder r = DynamicMessage.newBuilder(PolicyTypes.QUALITY_RULE);
            set(r, "name", rule.name());
            set(r, "type", rule.type().name().toLowerCase(Locale.ROOT));
            set(r, "severity", rule.blocking() ? "error" : "warn");
            set(r, "column", rule.column());
            add(b, "quality", r.build());
        }
        if (descriptor.slos() != null) {
            DynamicMessage.Builder s = DynamicMessage.newBuilder(PolicyTypes.SLOS);
            set(s, "freshness", descriptor.slos().freshness());
            if (descriptor.slos().completeness() != null) {
                set(s, "completeness", descriptor.slos().completeness().doubleValue());
            }
            set(b, "slos", s.build());
        }
        set(b, "retention", descriptor.retention() == null ? null : descriptor.retention().period());
        for (InputPort input : descriptor.inputPorts()) {
            add(b, "inputs", input.type() == InputPort.Type.PRODUCT
                    ? input.domain() + "/" + input.product() : "kafka:" + input.name());
        }
        set(b, "transformation", descriptor.transformation() == null ? null : descriptor.transformation().sql());
        return b.build();
    }

    /** A schema field; nested fields are named by their path ({@code address.city}). */
    public static Message field(SchemaField field, String path) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(PolicyTypes.FIELD);
        set(b, "name", path);
        set(b, "type", field.type());
        set(b, "required", field.mandatory());
        set(b, "description", field.description());
        set(b, "classification", field.classification() == null ? null : field.classification().name());
        field.tags().forEach(t -> add(b, "tags", t));
        if (field.fields() != null) {
            field.fields().forEach(f -> add(b, "fields", field(f, path + "." + f.name())));
        }
        return b.build();
    }

    public static Message principal(MeshPrincipal principal) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(PolicyTypes.PRINCIPAL);
        set(b, "name", principal.name());
        set(b, "role", principal.role().name());
        set(b, "domain", principal.domain());
        return b.build();
    }

    public static Message request(String operation, String purpose, List<String> columns, boolean ownDomain,
                                  boolean granted) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(PolicyTypes.REQUEST);
        set(b, "operation", operation);
        set(b, "purpose", purpose);
        columns.forEach(c -> add(b, "columns", c));
        set(b, "own_domain", ownDomain);
        set(b, "granted", granted);
        return b.build();
    }

    public static Message compatibility(Compatibility.Report report) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(PolicyTypes.COMPATIBILITY);
        report.removed().forEach(v -> add(b, "removed", v));
        report.retyped().forEach(v -> add(b, "retyped", v));
        report.nowRequired().forEach(v -> add(b, "now_required", v));
        return b.build();
    }

    public static Message lineage(ColumnLineage lineage, List<String> underClassified) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(PolicyTypes.LINEAGE);
        if (lineage != null) {
            set(b, "status", lineage.status().name());
            set(b, "reason", lineage.reason());
        }
        underClassified.forEach(v -> add(b, "under_classified", v));
        return b.build();
    }

    private static void set(DynamicMessage.Builder b, String field, Object value) {
        if (value != null) {
            b.setField(descriptor(b).findFieldByName(field), value);
        }
    }

    private static void add(DynamicMessage.Builder b, String field, Object value) {
        b.addRepeatedField(descriptor(b).findFieldByName(field), value);
    }

    private static Descriptor descriptor(DynamicMessage.Builder b) {
        return b.getDescriptorForType();
    }
}
