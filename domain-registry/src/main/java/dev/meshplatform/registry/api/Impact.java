package dev.meshplatform.registry.api;

import java.util.List;

/**
 * What a change of a version would affect downstream, before it is made: for each breaking change (and for a
 * deprecation) the products that read the major and the domains that hold grants on it. Products are found through
 * their column lineage where it was computed (only those reading the changed column), through their input ports
 * otherwise.
 */
public record Impact(List<Affected> changes) {

    public static final Impact NONE = new Impact(List.of());

    public Impact {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /**
     * @param change     the change in words ({@code field email was removed}, {@code deprecation of v1})
     * @param column     the top-level column it touches, or null for a deprecation
     * @param downstream the products whose newest released version reads the major
     * @param grantees   the active grants that reach the column
     */
    public record Affected(String change, String column, List<Downstream> downstream, List<Grantee> grantees) {

        public Affected {
            downstream = List.copyOf(downstream);
            grantees = List.copyOf(grantees);
        }
    }

    /**
     * @param via     {@code column-lineage} (it reads the column; {@code outputs} name its output columns that derive
     *                from it) or {@code product-lineage} (its lineage is unavailable: it reads the major)
     * @param outputs the downstream output columns that derive from the changed column
     */
    public record Downstream(String domain, String product, int major, String version, String port, String via,
                             List<String> outputs) {

        public Downstream {
            outputs = outputs == null ? List.of() : List.copyOf(outputs);
        }
    }

    public record Grantee(String domain, String purpose, String grantId) {
    }
}
