package dev.meshplatform.governance.policy;

import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.governance.api.PolicyKind;
import dev.meshplatform.governance.api.PolicySpec;
import dev.meshplatform.governance.api.PolicySpec.Enforcement;

import java.util.LinkedHashMap;
import java.util.Map;

/** The defaults the platform installs on first start (docs/governance.md); admins may change or disable them. */
final class ShippedPolicies {

    private ShippedPolicies() {
    }

    static Map<String, PolicySpec> all() {
        Map<String, PolicySpec> shipped = new LinkedHashMap<>();
        shipped.put("default-owner-and-description", gate("A product names its owner team and describes itself.",
                "(product.owner == '' ? ['an owner team is required (owner.team)'] : [])"
                        + " + (product.description == '' ? ['a description is required'] : [])",
                "the product needs an owner and a description"));
        shipped.put("default-field-documentation", gate("Every field has a description and a classification.",
                "product.all_fields.filter(f, f.description == '' || f.classification == '')"
                        + ".map(f, 'field ' + f.name + ' needs a description and a classification')",
                "every field needs a description and a classification"));
        shipped.put("default-pii-retention", gate("A product with PII fields declares how long it keeps data.",
                "!product.all_fields.exists(f, f.classification == 'PII') || product.retention != ''",
                "a product with PII fields must declare a retention period"));
        shipped.put("default-quality-rule", gate("A product declares at least one quality rule.",
                "product.quality.size() > 0", "at least one quality rule is required"));
        shipped.put("default-slo", gate("A product declares a service level (freshness or completeness).",
                "has(product.slos) && (product.slos.freshness != '' || has(product.slos.completeness))",
                "a service level (slos.freshness or slos.completeness) is required"));
        shipped.put("default-no-breaking-changes", gate("Within a major version, no field is removed or renamed, "
                        + "no type is narrowed and no optional field becomes required.",
                "compat.removed.map(f, 'field ' + f + ' was removed or renamed')"
                        + " + compat.retyped.map(f, 'field ' + f + ' changed its type')"
                        + " + compat.now_required.map(f, 'field ' + f + ' became required')",
                "a breaking change needs a new major version"));
        shipped.put("default-classification-follows-lineage", gate("An output column derived from a PII or "
                        + "CONFIDENTIAL input column is classified at least as strictly (column lineage).",
                "lineage.under_classified",
                "an output column derives from a more sensitive input column; classify it at least as strictly"));
        shipped.put("default-mask-pii", mask("PII columns are hashed for readers outside the owning domain, unless "
                        + "the field carries the tag purpose:<the grant's purpose>.", MaskKind.HASH,
                "field.classification == 'PII' && !request.own_domain && !(('purpose:' + request.purpose) in field.tags)"));
        shipped.put("default-mask-confidential", mask("CONFIDENTIAL columns are redacted for readers outside the "
                        + "owning domain, unless the field carries the tag purpose:<the grant's purpose>.",
                MaskKind.REDACT, "field.classification == 'CONFIDENTIAL' && !request.own_domain"
                        + " && !(('purpose:' + request.purpose) in field.tags)"));
        shipped.put("default-released-only", new PolicySpec("Outside the owning domain, only published and "
                + "deprecated versions are served.", PolicyKind.ACCESS, null,
                "request.own_domain || product.status in ['PUBLISHED', 'DEPRECATED']", null, null,
                "only published or deprecated versions are served outside the owning domain", true));
        return shipped;
    }

    private static PolicySpec gate(String description, String expression, String message) {
        return new PolicySpec(description, PolicyKind.GATE, null, expression, Enforcement.BLOCK, null, message, true);
    }

    private static PolicySpec mask(String description, MaskKind mask, String expression) {
        return new PolicySpec(description, PolicyKind.MASK, null, expression, null, mask, null, true);
    }
}
