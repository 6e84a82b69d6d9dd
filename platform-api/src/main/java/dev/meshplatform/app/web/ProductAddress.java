package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.Names;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SemanticVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * A product's name and version as the standards' mappings need them (they name tables after them), refused as the
 * apply refuses them before any document is read.
 */
public final class ProductAddress {

    private ProductAddress() {
    }

    public static void check(String product, String version) {
        List<RegistryException.FieldProblem> problems = new ArrayList<>();
        if (!Names.isValidName(product)) {
            problems.add(new RegistryException.FieldProblem("product",
                    "lower-kebab, 2 to 63 characters, starting with a letter"));
        }
        if (!SemanticVersion.isValid(version)) {
            problems.add(new RegistryException.FieldProblem("version",
                    "a semantic version MAJOR.MINOR.PATCH, e.g. 1.0.0"));
        }
        if (!problems.isEmpty()) {
            throw RegistryException.invalid("invalid product address", problems);
        }
    }
}
