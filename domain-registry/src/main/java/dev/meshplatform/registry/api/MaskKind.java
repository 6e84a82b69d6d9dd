package dev.meshplatform.registry.api;

/**
 * How a column's values are hidden; when several masks apply to one column, the first in this order wins (the
 * strongest).
 */
public enum MaskKind {
    /** The value becomes null. */
    NULL,
    /** The value becomes {@code ****}. */
    REDACT,
    /** A hex SHA-256 (keyed when {@code mesh.governance.mask-hash-key} is set): equal values stay joinable. */
    HASH,
    /** All but the last four characters become {@code *}. */
    LAST4,
    /** Dates and timestamps keep their year only; other values are redacted. */
    YEAR
}
