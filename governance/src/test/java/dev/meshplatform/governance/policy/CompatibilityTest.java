package dev.meshplatform.governance.policy;

import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.testsupport.Descriptors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CompatibilityTest {

    private static ProductDescriptor withSchema(List<SchemaField> schema) {
        ProductDescriptor d = Descriptors.complete();
        return new ProductDescriptor(d.title(), d.description(), d.owner(), d.support(), d.tags(), d.inputPorts(),
                d.outputPort(), schema, d.slos(), d.quality(), d.transformation(), d.retention(),
                d.customProperties());
    }

    @Test
    void theSameSchemaAndWideningsAreCompatible() {
        ProductDescriptor before = Descriptors.complete();
        assertThat(Compatibility.between(before, before).breaking()).isFalse();
        List<SchemaField> widened = new ArrayList<>(before.schema());
        widened.set(2, Descriptors.field("age", "long", false, SchemaField.Classification.CONFIDENTIAL));
        widened.set(5, Descriptors.field("balance", "decimal(18, 2)", false, SchemaField.Classification.CONFIDENTIAL));
        widened.add(Descriptors.field("added", "string", false, SchemaField.Classification.PUBLIC));
        assertThat(Compatibility.between(before, withSchema(widened)).breaking()).isFalse();
        assertThat(Compatibility.between(null, before).breaking()).isFalse();
    }

    @Test
    void removalsNarrowingsAndNewlyRequiredFieldsBreak() {
        ProductDescriptor before = Descriptors.complete();
        List<SchemaField> changed = new ArrayList<>(before.schema());
        changed.remove(3);
        changed.set(0, Descriptors.field("id", "int", true, SchemaField.Classification.INTERNAL));
        changed.set(2, Descriptors.field("age", "int", true, SchemaField.Classification.CONFIDENTIAL));
        changed.set(4, Descriptors.field("balance", "decimal(12,4)", false, SchemaField.Classification.PII));
        Compatibility.Report report = Compatibility.between(before, withSchema(changed));
        assertThat(report.removed()).containsExactly("country");
        assertThat(report.retyped()).containsExactly("id (long → int)", "balance (decimal(12,2) → decimal(12,4))");
        assertThat(report.nowRequired()).containsExactly("age");
    }

    @Test
    void nestedFieldsAndListItemsCountByPath() {
        ProductDescriptor before = Descriptors.complete();
        List<SchemaField> changed = new ArrayList<>(before.schema());
        SchemaField address = changed.get(9);
        changed.set(9, new SchemaField("address", "struct", false, "postal address", address.classification(),
                address.tags(), List.of(address.fields().get(0)), null));
        SchemaField emails = changed.get(10);
        changed.set(10, new SchemaField("emails", "list", false, emails.description(), emails.classification(),
                List.of(), null, new SchemaField(null, "long", null, null, null, List.of(), null, null)));
        Compatibility.Report report = Compatibility.between(before, withSchema(changed));
        assertThat(report.removed()).containsExactly("address.zip");
        assertThat(report.retyped()).containsExactly("emails[] (string → long)");
    }
}
