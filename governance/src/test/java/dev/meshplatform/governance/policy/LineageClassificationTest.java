package dev.meshplatform.governance.policy;

import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.ColumnLineage.Derivation;
import dev.meshplatform.registry.api.ColumnLineage.OutputColumn;
import dev.meshplatform.registry.api.ColumnLineage.Source;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.SchemaField.Classification;
import dev.meshplatform.registry.api.Transformation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LineageClassificationTest {

    private static final String CUSTOMERS = "crm/customers/v1";
    private static final Map<String, List<SchemaField>> SCHEMAS = Map.of(CUSTOMERS, List.of(
            field("email", Classification.PII), field("segment", Classification.CONFIDENTIAL),
            field("country", Classification.PUBLIC),
            new SchemaField("address", "struct", null, "where", Classification.INTERNAL, null,
                    List.of(field("street", Classification.PII)), null)));

    @Test
    void anOutputColumnCarryingPiiMustBeClassifiedAtLeastAsStrictly() {
        ProductDescriptor descriptor = derived(field("contact", Classification.INTERNAL),
                field("segment", Classification.PII), field("country", null), field("mails", Classification.PUBLIC),
                field("street", Classification.CONFIDENTIAL));
        ColumnLineage lineage = new ColumnLineage(ColumnLineage.Status.COMPUTED, null, List.of(
                out("contact", source("email", Derivation.TRANSFORMED)),
                out("segment", source("segment", Derivation.DIRECT)),
                out("country", source("country", Derivation.DIRECT)),
                out("mails", source("email", Derivation.COUNTED)),
                out("street", source("address", Derivation.DIRECT))), List.of());
        assertThat(LineageClassification.underClassified(descriptor, lineage, k -> Optional.ofNullable(SCHEMAS.get(k))))
                .containsExactly(CUSTOMERS + ".email (PII) → contact (INTERNAL)",
                        CUSTOMERS + ".address (PII) → street (CONFIDENTIAL)");
    }

    @Test
    void unavailableLineageOverSensitiveInputsCannotBeJudged() {
        ProductDescriptor descriptor = derived(field("contact", Classification.PII));
        assertThat(LineageClassification.underClassified(descriptor, ColumnLineage.unavailable("it did not resolve"),
                k -> Optional.ofNullable(SCHEMAS.get(k))))
                .singleElement().asString().contains("it did not resolve").contains(CUSTOMERS + ".email (PII)");
        // Nothing sensitive upstream: nothing to judge.
        assertThat(LineageClassification.underClassified(descriptor, ColumnLineage.unavailable("x"),
                k -> Optional.of(List.of(field("country", Classification.PUBLIC))))).isEmpty();
    }

    @Test
    void theRawInputsClassificationCountsForASourceAlignedProduct() {
        InputPort kafka = new InputPort("events", InputPort.Type.KAFKA, null, null, null, null, null, null,
                List.of(field("email", Classification.PII)), null);
        ProductDescriptor descriptor = new ProductDescriptor("Leads", "leads", null, null, null, List.of(kafka), null,
                List.of(field("email", Classification.INTERNAL)), null, null, null, null, null);
        ColumnLineage lineage = new ColumnLineage(ColumnLineage.Status.COMPUTED, null,
                List.of(out("email", new Source(ColumnLineage.RAW, "email", Derivation.DIRECT))), List.of());
        assertThat(LineageClassification.underClassified(descriptor, lineage, k -> Optional.empty()))
                .containsExactly("raw.email (PII) → email (INTERNAL)");
    }

    private static ProductDescriptor derived(SchemaField... schema) {
        InputPort input = new InputPort("customers", InputPort.Type.PRODUCT, "crm", "customers", 1, null, null, null, null,
                "analytics");
        return new ProductDescriptor("Derived", "derived", null, null, null, List.of(input), null, List.of(schema),
                null, null, new Transformation("SELECT 1", null, null, null, null), null, null);
    }

    private static OutputColumn out(String name, Source... from) {
        return new OutputColumn(name, List.of(from));
    }

    private static Source source(String column, Derivation how) {
        return new Source(CUSTOMERS, column, how);
    }

    private static SchemaField field(String name, Classification classification) {
        return new SchemaField(name, "string", null, "a field", classification, null, null, null);
    }
}
