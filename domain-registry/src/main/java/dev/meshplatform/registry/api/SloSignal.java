package dev.meshplatform.registry.api;

import java.time.Instant;

/**
 * What the module that moves a product major's data observed, for its SLOs.
 *
 * @param newestDataAt for a source-aligned product, the Kafka timestamp of the newest event committed to its raw
 *                     table; for a derived product, the oldest of its inputs' newest-data times read by its last
 *                     published run; null when there is no data yet
 * @param passed       over the last 24 h: events landed (source-aligned) or blocking quality rules passed (derived)
 * @param total        over the last 24 h: events that arrived, landed or dead-lettered (source-aligned), or blocking
 *                     quality rules checked (derived); zero when nothing arrived or ran
 * @param counted      what {@code passed} and {@code total} count, e.g. {@code events}, for operators
 */
public record SloSignal(Instant newestDataAt, long passed, long total, String counted) {

    public SloSignal {
        if (passed < 0 || total < 0 || passed > total) {
            throw new IllegalArgumentException("passed " + passed + " of " + total);
        }
    }
}
