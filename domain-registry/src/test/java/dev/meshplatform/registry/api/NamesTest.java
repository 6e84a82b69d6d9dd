package dev.meshplatform.registry.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"ab", "sales", "customer-orders", "a1", "x-2-y"})
    void acceptsLowerKebab(String name) {
        assertThat(Names.isValidName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Sales", "1abc", "-abc", "abc-", "a--b", "a_b", "a.b", "",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"})
    void refusesEverythingElse(String name) {
        assertThat(Names.isValidName(name)).isFalse();
    }

    @Test
    void derivesTopicAndViewNames() {
        assertThat(new ProductMajor("sales", "customer-orders", 2).topic()).isEqualTo("sales.customer-orders.v2");
        assertThat(new ProductMajor("sales-eu", "customer-orders", 1).inputView())
                .isEqualTo("sales_eu__customer_orders_v1");
    }
}
