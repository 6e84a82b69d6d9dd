package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.PageResult;

/** Runs of products' transformations: started through the API or a schedule, one at a time per product. */
public interface Runs {

    /** Queues a run of the newest published version's transformation. */
    RunView trigger(String domain, String product, String trigger, String requestedBy);

    RunView get(String domain, String product, String runId);

    /** A product's runs, newest first. */
    PageResult<RunView> history(String domain, String product, int page, int size);

    /** Cancels a queued or running run; a finished run is returned as it is. */
    RunView cancel(String domain, String product, String runId);
}
