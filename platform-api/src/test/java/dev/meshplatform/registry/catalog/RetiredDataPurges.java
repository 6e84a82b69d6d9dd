package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.ProductMajor;
import org.springframework.context.ApplicationContext;

import java.time.Instant;
import java.util.List;

/**
 * Lets a test run the purge of retired data now instead of waiting for its hourly pass; the purger itself stays
 * package-private.
 */
public final class RetiredDataPurges {

    private RetiredDataPurges() {
    }

    public static List<ProductMajor> purgeDue(ApplicationContext context, Instant now) {
        return context.getBean(RetentionPurger.class).purgeDue(now);
    }
}
