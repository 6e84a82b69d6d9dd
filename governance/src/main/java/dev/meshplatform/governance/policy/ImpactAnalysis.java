package dev.meshplatform.governance.policy;

import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.GrantView;
import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.GuardVerdict;
import dev.meshplatform.registry.api.Impact;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.SemanticVersion;
import dev.meshplatform.registry.api.TransitionCheck;
import dev.meshplatform.registry.api.TransitionGuard;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Impact before a change: for each breaking change of a version (within its major) and for a deprecation or
 * retirement, the products that read the major and the grant holders it reaches. A downstream product with computed
 * column lineage is affected only when its transformation reads the changed column; one without is affected through
 * its input port. A grant limited to columns is affected only when it grants the changed column.
 */
final class ImpactAnalysis implements TransitionGuard {

    private final ProductCatalog products;
    private final AccessStore grants;
    private final Clock clock;

    ImpactAnalysis(ProductCatalog products, AccessStore grants, Clock clock) {
        this.products = products;
        this.grants = grants;
        this.clock = clock;
    }

    /** Impact decides nothing: it is shown by dry runs and evaluations. */
    @Override
    public List<GuardVerdict> check(TransitionCheck check) {
        return List.of();
    }

    @Override
    public Impact impact(TransitionCheck check) {
        return of(check.domain(), check.product(), check.version(), check.to(), check.descriptor(),
                check.previousPublished());
    }

    Impact of(String domain, String product, String version, LifecycleStatus to, ProductDescriptor descriptor,
              ProductVersionView previous) {
        int major = SemanticVersion.parse(version).major();
        ProductMajor changed = new ProductMajor(domain, product, major);
        List<Impact.Affected> affected = new ArrayList<>();
        if (to == LifecycleStatus.DEPRECATED || to == LifecycleStatus.RETIRED) {
            String change = (to == LifecycleStatus.DEPRECATED ? "deprecation of " : "retirement of ") + version;
            affected.add(new Impact.Affected(change, null, downstream(changed, readers(changed), null),
                    grantees(domain, product, null)));
            return new Impact(affected);
        }
        if (to != LifecycleStatus.PUBLISHED || previous == null
                || SemanticVersion.parse(previous.version()).major() != major) {
            // A new major breaks nobody: its readers stay on the previous major until they move.
            return Impact.NONE;
        }
        Compatibility.Report report = Compatibility.between(previous.descriptor(), descriptor);
        List<String[]> changes = new ArrayList<>();
        report.removed().forEach(f -> changes.add(new String[]{f, "field " + f + " was removed or renamed"}));
        report.retyped().forEach(f -> changes.add(new String[]{f, "field " + f + " changed its type"}));
        report.nowRequired().forEach(f -> changes.add(new String[]{f, "field " + f + " became required"}));
        // The readers are looked up once, whatever the number of changes.
        List<ProductVersionView> readers = changes.isEmpty() ? List.of() : readers(changed);
        for (String[] change : changes) {
            String column = topLevel(change[0]);
            affected.add(new Impact.Affected(change[1], column, downstream(changed, readers, column),
                    grantees(domain, product, column)));
        }
        return new Impact(affected);
    }

    /** The newest served version of every product major but {@code changed}. */
    private List<ProductVersionView> readers(ProductMajor changed) {
        return products.servedNewest().stream().filter(v -> !ProductMajor.of(v).equals(changed)).toList();
    }

    /** Of {@code readers}, those that read {@code changed} (and, when given, its {@code column}). */
    private List<Impact.Downstream> downstream(ProductMajor changed, List<ProductVersionView> readers,
                                               String column) {
        List<Impact.Downstream> found = new ArrayList<>();
        for (ProductVersionView reader : readers) {
            ProductMajor candidate = ProductMajor.of(reader);
            for (InputPort input : reader.descriptor().productInputs()) {
                if (!changed.equals(new ProductMajor(input.domain(), input.product(), input.majorVersion()))) {
                    continue;
                }
                ColumnLineage lineage = products.columnLineage(reader.domain(), reader.product(), reader.version())
                        .orElse(null);
                if (column == null || lineage == null || !lineage.computed()) {
                    found.add(new Impact.Downstream(reader.domain(), reader.product(), candidate.major(),
                            reader.version(), input.name(), "product-lineage", List.of()));
                } else if (lineage.reads(changed.key(), column)) {
                    List<String> outputs = lineage.columns().stream()
                            .filter(c -> c.from().stream().anyMatch(s -> s.input().equals(changed.key())
                                    && s.column().equalsIgnoreCase(column)))
                            .map(ColumnLineage.OutputColumn::name).toList();
                    found.add(new Impact.Downstream(reader.domain(), reader.product(), candidate.major(),
                            reader.version(), input.name(), "column-lineage", outputs));
                }
            }
        }
        found.sort(Comparator.comparing(Impact.Downstream::domain).thenComparing(Impact.Downstream::product));
        return found;
    }

    /** Active grants on the product that reach {@code column} (all columns, or a list naming it). */
    private List<Impact.Grantee> grantees(String domain, String product, String column) {
        List<Impact.Grantee> found = new ArrayList<>();
        int page = 0;
        PageResult<GrantView> listed;
        do {
            listed = grants.grants(new Access.GrantQuery(domain, product, null, null, true, page++, 200),
                    clock.instant());
            for (GrantView grant : listed.items()) {
                boolean reaches = column == null || grant.columns() == null || grant.columns().isEmpty()
                        || grant.columns().stream().anyMatch(c -> topLevel(c).equalsIgnoreCase(column));
                if (reaches) {
                    found.add(new Impact.Grantee(grant.granteeDomain(), grant.purpose(), grant.id()));
                }
            }
        } while (listed.items().size() == 200);
        return found;
    }

    private static String topLevel(String path) {
        int dot = path.indexOf('.');
        int bracket = path.indexOf('[');
        int end = path.length();
        if (dot >= 0) {
            end = Math.min(end, dot);
        }
        if (bracket >= 0) {
            end = Math.min(end, bracket);
        }
        return path.substring(0, end);
    }
}
