package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.PageResult;

/**
 * Runs of products' transformations: started through the API or a schedule, one at a time per product major (each
 * major has its own output table, runs and schedule: v1 goes on after 2.0.0 is published).
 */
public interface Runs {

    /**
     * Queues a run of the transformation of {@code major}'s newest published version; with {@code major} null, of
     * the newest published version of all.
     */
    RunView trigger(String domain, String product, Integer major, String trigger, String requestedBy);

    RunView get(String domain, String product, String runId);

    /** A product's runs, newest first. */
    PageResult<RunView> history(String domain, String product, int page, int size);

    /** Cancels a queued or running run; a finished run is returned as it is. */
    RunView cancel(String domain, String product, String runId);
}
