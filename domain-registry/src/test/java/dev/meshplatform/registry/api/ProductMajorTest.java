package dev.meshplatform.registry.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ProductMajorTest {

    private static final String[] PARTS = {"orders", "raw", "v1", "v2", "v10", "x", "dlq", "a1", "out", "v"};

    @Test
    void derivesEveryName() {
        ProductMajor major = new ProductMajor("sales-eu", "customer-orders", 2);
        assertThat(major.topic()).isEqualTo("sales-eu.customer-orders.v2");
        assertThat(major.deadLetterTopic()).isEqualTo("sales-eu.customer-orders.v2.dlq");
        assertThat(major.key()).isEqualTo("sales-eu/customer-orders/v2");
        assertThat(major.namespace()).isEqualTo("sales_eu");
        assertThat(major.outputTable()).isEqualTo("customer_orders_v2");
        assertThat(major.rawTable()).isEqualTo("customer_orders_v2__raw");
        assertThat(major.legacyRawTable()).isEqualTo("customer_orders_raw_v2");
        assertThat(major.inputView()).isEqualTo("sales_eu__customer_orders_v2");
    }

    @Test
    void theProductNamedAfterAnotherProductsRawTableNoLongerSharesIt() {
        ProductMajor orders = new ProductMajor("shop", "orders", 1);
        ProductMajor ordersRaw = new ProductMajor("shop", "orders-raw", 1);
        assertThat(ordersRaw.outputTable()).isEqualTo(orders.legacyRawTable()).isNotEqualTo(orders.rawTable());
        assertThat(List.of(orders.rawTable(), orders.outputTable(), ordersRaw.rawTable(), ordersRaw.outputTable()))
                .doesNotHaveDuplicates();
    }

    /**
     * Many product majors built from parts chosen to look like suffixes ({@code raw}, {@code v1}, {@code dlq}): no two
     * of them share a name of any kind, and no name of one kind equals a name of another kind in the same namespace.
     */
    @Test
    void noTwoProductMajorsShareAName() {
        Random random = new Random(20261129);
        List<ProductMajor> majors = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            majors.add(new ProductMajor(name(random), name(random), random.nextInt(12)));
        }
        majors.add(new ProductMajor("shop", "orders", 1));
        majors.add(new ProductMajor("shop", "orders-raw", 1));
        majors.add(new ProductMajor("shop", "orders-v1", 1));
        majors.add(new ProductMajor("shop", "orders-v1-raw", 1));
        majors.add(new ProductMajor("shop-v1", "xy", 1));
        majors.add(new ProductMajor("shop", "v1-xy", 1));
        List<ProductMajor> distinct = majors.stream().distinct().toList();
        assertThat(distinct.size()).isGreaterThan(10_000);

        Map<String, ProductMajor> tables = new HashMap<>();
        Map<String, ProductMajor> topics = new HashMap<>();
        Map<String, ProductMajor> keys = new HashMap<>();
        Map<String, ProductMajor> views = new HashMap<>();
        for (ProductMajor major : distinct) {
            assertThat(List.of(major.domain(), major.product())).allMatch(Names::isValidName);
            unique(tables, major.namespace() + "." + major.rawTable(), major);
            unique(tables, major.namespace() + "." + major.outputTable(), major);
            unique(topics, major.topic(), major);
            unique(topics, major.deadLetterTopic(), major);
            unique(keys, major.key(), major);
            unique(views, major.inputView(), major);
        }
    }

    private static void unique(Map<String, ProductMajor> seen, String name, ProductMajor major) {
        ProductMajor before = seen.putIfAbsent(name, major);
        assertThat(before).as("%s is the name of both %s and %s", name, before, major).isNull();
    }

    private static String name(Random random) {
        StringBuilder name = new StringBuilder(PARTS[random.nextInt(PARTS.length)]);
        if (!Character.isLetter(name.charAt(0))) {
            name.insert(0, 'a');
        }
        for (int parts = random.nextInt(3); parts > 0; parts--) {
            name.append('-').append(PARTS[random.nextInt(PARTS.length)]);
        }
        return name.length() < 2 ? name + "x" : name.toString();
    }
}
