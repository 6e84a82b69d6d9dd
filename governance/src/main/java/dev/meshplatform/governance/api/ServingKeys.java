package dev.meshplatform.governance.api;

/**
 * The keys serving and runs share across every instance: generated once into the platform's database unless
 * configured. They never go into a plan, an error text or a log line.
 */
public interface ServingKeys {

    /** The key of the HASH mask (HMAC-SHA256): {@code mesh.governance.mask-hash-key}, or the generated one. */
    String maskHashKey();

    /** The key that signs read cursors (HMAC-SHA256), so that a cursor cannot be forged or changed. */
    byte[] cursorSigningKey();
}
