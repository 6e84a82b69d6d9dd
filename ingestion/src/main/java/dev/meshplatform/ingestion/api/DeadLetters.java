package dev.meshplatform.ingestion.api;

import java.util.List;

/** The events a product major's landing job refused, read back from its dead-letter topic. */
public interface DeadLetters {

    int PREVIEW_CHARACTERS = 1_000;
    int MAX_LIMIT = 500;

    /**
     * The newest dead letters of a product major, newest first, at most {@code limit} (1 to {@link #MAX_LIMIT}).
     * Refuses a major that was never released ({@code major-not-found}); a purged major has none.
     */
    List<DeadLetter> newest(String domain, String product, int major, int limit);
}
