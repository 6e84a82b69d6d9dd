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

    @Test
    void filterValuesAreTypedAsTheColumnIsHoweverItsTypeIsWritten() {
        assertThat(FieldType.parse("LONG").filterValue("9007199254740993")).isEqualTo(9007199254740993L);
        assertThat(FieldType.parse("DECIMAL(10,2)").filterValue("12.5")).isEqualTo(new java.math.BigDecimal("12.50"));
        assertThat(FieldType.parse("decimal(10, 2)").filterValue("-99999999.99"))
                .isEqualTo(new java.math.BigDecimal("-99999999.99"));
        assertThat(FieldType.parse("Int").filterValue("7")).isEqualTo(7);
        assertThat(FieldType.parse("double").filterValue("1e3")).isEqualTo(1000.0);
        assertThat(FieldType.parse("boolean").filterValue("true")).isEqualTo(true);
        assertThat(FieldType.parse("date").filterValue("2026-11-29")).isEqualTo("2026-11-29");
        assertThat(FieldType.parse("timestamp").filterValue("2026-11-29T10:00:00Z")).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(FieldType.parse("string").filterValue("a:b")).isEqualTo("a:b");
    }

    @Test
    void refusesFilterValuesTheColumnCannotHold() {
        String[][] refused = {{"int", "2147483648"}, {"long", "1.5"}, {"decimal(10,2)", "1.234"},
                {"decimal(10,2)", "123456789"}, {"decimal(10,2)", "abc"}, {"double", "NaN-ish"}, {"boolean", "yes"},
                {"date", "2026-13-01"}, {"timestamp", "2026-11-29T10:00:00"}, {"struct", "x"}, {"list", "x"}};
        for (String[] typeAndValue : refused) {
            assertThatThrownBy(() -> FieldType.parse(typeAndValue[0]).filterValue(typeAndValue[1]))
                    .as(String.join(" ", typeAndValue)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void widensAsIcebergPromotes() {
        assertThat(FieldType.parse("int").widensTo(FieldType.parse("LONG"))).isTrue();
        assertThat(FieldType.parse("decimal(10,2)").widensTo(FieldType.parse("DECIMAL(12, 2)"))).isTrue();
        assertThat(FieldType.parse("decimal(10,2)").widensTo(FieldType.parse("decimal(12,3)"))).isFalse();
        assertThat(FieldType.parse("decimal(10,2)").widensTo(FieldType.parse("decimal(9,2)"))).isFalse();
        assertThat(FieldType.parse("long").widensTo(FieldType.parse("int"))).isFalse();
        assertThat(FieldType.parse("int").widensTo(FieldType.parse("double"))).isFalse();
        assertThat(FieldType.parse("String").widensTo(FieldType.parse("string"))).isTrue();
    }
}
