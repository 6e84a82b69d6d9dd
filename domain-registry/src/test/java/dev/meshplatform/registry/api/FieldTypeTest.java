package dev.meshplatform.registry.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldTypeTest {

    @Test
    void parsesEveryType() {
        assertThat(FieldType.parse("decimal(10, 2)")).isEqualTo(new FieldType(FieldType.Kind.DECIMAL, 10, 2));
        assertThat(FieldType.parse("TIMESTAMP").kind()).isEqualTo(FieldType.Kind.TIMESTAMP);
        for (String type : new String[]{"string", "int", "long", "double", "boolean", "date", "struct", "list"}) {
            assertThat(FieldType.parse(type).toString()).isEqualTo(type);
        }
    }

    @Test
    void refusesUnknownTypesAndBadDecimals() {
        assertThatThrownBy(() -> FieldType.parse("varchar")).hasMessageContaining("unknown type 'varchar'");
        assertThatThrownBy(() -> FieldType.parse("decimal(39,2)")).hasMessageContaining("1 <= p <= 38");
        assertThatThrownBy(() -> FieldType.parse("decimal(5,6)")).hasMessageContaining("s <= p");
    }
}
