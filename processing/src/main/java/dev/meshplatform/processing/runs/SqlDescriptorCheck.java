package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.SqlRefusedException;
import dev.meshplatform.registry.api.DescriptorCheck;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.RegistryException.FieldProblem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The sandbox's check when a version is applied: its transformation and every SQL quality rule must pass the same
 * parse-and-allowlist check their runs make, or the version is refused (400) naming the construct and its position.
 */
final class SqlDescriptorCheck implements DescriptorCheck {

    /** The view a quality rule of type {@code sql} reads: the run's staged result. */
    public static final String OUTPUT_VIEW = "output";

    /** The views a product's transformation may read: {@code raw} when it has a Kafka input, and each input product. */
    public static Set<String> transformationViews(ProductDescriptor descriptor) {
        Set<String> views = new LinkedHashSet<>();
        if (descriptor.kafkaInput().isPresent()) {
            views.add("raw");
        }
        for (InputPort input : descriptor.productInputs()) {
            if (input.domain() != null && input.product() != null && input.majorVersion() != null) {
                views.add(new ProductMajor(input.domain(), input.product(), input.majorVersion()).inputView());
            }
        }
        return views;
    }

    @Override
    public List<FieldProblem> check(String domain, String product, ProductDescriptor descriptor) {
        List<FieldProblem> problems = new ArrayList<>();
        if (descriptor.transformation() != null) {
            try {
                SandboxedSql.check(descriptor.transformation().sql(), transformationViews(descriptor));
            } catch (SqlRefusedException e) {
                problems.add(new FieldProblem("transformation.sql", e.getMessage()));
            }
        }
        for (int i = 0; i < descriptor.quality().size(); i++) {
            QualityRule rule = descriptor.quality().get(i);
            if (rule.type() == QualityRule.Type.SQL && rule.query() != null) {
                try {
                    SandboxedSql.check(rule.query(), Set.of(OUTPUT_VIEW));
                } catch (SqlRefusedException e) {
                    problems.add(new FieldProblem("quality[" + i + "].query", e.getMessage()));
                }
            }
        }
        return problems;
    }
}
