package dev.meshplatform.registry.api;

/**
 * What a module deletes when a retired product major's retention is over: its topics, its tables and their files.
 * Called again after a failure, so every step must be idempotent (what is gone stays gone).
 */
public interface RetiredDataPurge {

    void purge(ProductMajor major);
}
