package dev.meshplatform.registry.api;

import java.util.List;

/**
 * Asked when a version is applied (dry runs included), after the descriptor's own validation: what another module
 * refuses in it, by field path. The registry answers 400 with these problems and stores nothing. Processing checks
 * the SQL of transformations and quality rules here, so that a version is refused when it is applied rather than
 * when it first runs.
 */
@FunctionalInterface
public interface DescriptorCheck {

    List<RegistryException.FieldProblem> check(String domain, String product, ProductDescriptor descriptor);
}
