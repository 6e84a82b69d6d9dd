package dev.meshplatform.registry.health;

import dev.meshplatform.registry.api.HealthCatalog;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductHealth;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.SloState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the states the {@link SloEvaluator} keeps. */
final class HealthCatalogService implements HealthCatalog {

    private final ProductCatalog products;
    private final SloStateStore store;

    HealthCatalogService(ProductCatalog products, SloStateStore store) {
        this.products = products;
        this.store = store;
    }

    @Override
    public ProductHealth health(String domain, String product, Instant since, int transitionLimit) {
        // Released versions only: health is about what is served. Answers product-not-found for an unknown product.
        List<ProductVersionView> released = products.versions(domain, product, true);
        Map<Integer, ProductVersionView> servedMajors = new LinkedHashMap<>();
        for (ProductVersionView version : released) {
            if (version.status() == LifecycleStatus.PUBLISHED || version.status() == LifecycleStatus.DEPRECATED) {
                servedMajors.putIfAbsent(version.major(), version);
            }
        }
        Map<Integer, List<SloStateStore.Row>> rows = new LinkedHashMap<>();
        for (SloStateStore.Row row : store.ofProduct(domain, product)) {
            rows.computeIfAbsent(row.major().major(), m -> new ArrayList<>()).add(row);
        }
        List<ProductHealth.MajorHealth> majors = new ArrayList<>();
        SloState worst = null;
        for (ProductVersionView newest : servedMajors.values()) {
            if (newest.descriptor().slos() == null) {
                continue;
            }
            List<SloStateStore.Row> states = rows.getOrDefault(newest.major(), List.of());
            SloState state = null;
            for (SloStateStore.Row row : states) {
                state = SloState.worse(state, row.state());
            }
            worst = SloState.worse(worst, state);
            majors.add(new ProductHealth.MajorHealth(newest.major(), newest.version(), state,
                    states.stream().map(SloStateStore.Row::status).toList(),
                    store.transitions(new ProductMajor(domain, product, newest.major()), since, transitionLimit)));
        }
        return new ProductHealth(domain, product, worst, majors);
    }
}
