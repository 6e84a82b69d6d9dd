package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductQuery;
import dev.meshplatform.registry.api.ProductSummary;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException.FieldProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks the SQL of every published and deprecated version against this build's allowlist when the platform starts:
 * a version that passed an older allowlist may be refused by a newer one (a Spark upgrade, a family moved out). Such
 * a version is flagged {@value #FLAG} in the catalog with the construct and its position; its runs fail with the same
 * words; the fix is a new minor version. A version that passes again loses its flag.
 */
final class PublishedSqlRecheck implements ApplicationListener<ApplicationReadyEvent> {

    public static final String FLAG = "sql-refused";
    private static final Logger log = LoggerFactory.getLogger(PublishedSqlRecheck.class);
    private static final int PAGE = 200;

    private final ProductCatalog products;
    private final SqlDescriptorCheck check = new SqlDescriptorCheck();

    public PublishedSqlRecheck(ProductCatalog products) {
        this.products = products;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        try {
            recheck();
        } catch (RuntimeException e) {
            log.warn("Re-checking the SQL of published versions stopped: {}", e.toString());
        }
    }

    /** Checks every released version that runs; returns how many are refused now. */
    public int recheck() {
        int refused = 0;
        int checked = 0;
        for (int page = 0; ; page++) {
            PageResult<ProductSummary> found = products.search(new ProductQuery(null, null, null, null, true, page,
                    PAGE));
            for (ProductSummary product : found.items()) {
                for (ProductSummary.VersionRef ref : product.versions()) {
                    if (ref.status() != LifecycleStatus.PUBLISHED && ref.status() != LifecycleStatus.DEPRECATED) {
                        continue;
                    }
                    ProductVersionView version = products.getVersion(product.domain(), product.name(),
                            ref.version());
                    checked++;
                    if (recheck(version)) {
                        refused++;
                    }
                }
            }
            if ((long) (page + 1) * PAGE >= found.total()) {
                break;
            }
        }
        log.info("Re-checked the SQL of {} published version(s) against the allowlist: {} refused", checked, refused);
        return refused;
    }

    private boolean recheck(ProductVersionView version) {
        List<FieldProblem> problems = check.check(version.domain(), version.product(), version.descriptor());
        if (problems.isEmpty()) {
            if (version.flags().stream().anyMatch(f -> f.code().equals(FLAG))) {
                products.unflag(version.domain(), version.product(), version.version(), FLAG);
            }
            return false;
        }
        String message = problems.stream().map(p -> p.field() + ": " + p.message())
                .collect(Collectors.joining("; ")) + " (publish a new minor version with the SQL changed)";
        products.flag(version.domain(), version.product(), version.version(), FLAG, message);
        return true;
    }
}
