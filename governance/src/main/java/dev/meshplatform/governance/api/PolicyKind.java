package dev.meshplatform.governance.api;

/**
 * What a policy decides. Its CEL expression sees different variables per kind (docs/governance.md):
 * <ul>
 *   <li>{@code GATE}: {@code product}, {@code previous}, {@code has_previous}, {@code compat}; answers a bool
 *       (passes) or a list of strings (the violations; empty passes);</li>
 *   <li>{@code ACCESS}: {@code principal}, {@code request}, {@code product}; answers whether access is allowed;</li>
 *   <li>{@code MASK}: {@code principal}, {@code request}, {@code product}, {@code field}; answers whether the
 *       policy's mask applies to that column.</li>
 * </ul>
 */
public enum PolicyKind {
    GATE, ACCESS, MASK
}
